import type { z } from 'zod';
import { attributeValueSchema } from '#lib/domain/events/attributes';
import { employeeSchema } from '#lib/domain/events/employee-events';
import { formatPath, invalid, parseWith } from './parse.ts';
import { BAMBOOHR_FIELDS, EMPLOYMENT_STATUSES, type BambooField } from './bamboohr-mapping.ts';
import type { DirectoryEmployee } from './types.ts';

/** The posted `fields` of one entry, read with error paths rooted at that entry. */
export class BambooFieldValues {
  constructor(
    private readonly fields: Readonly<Record<string, unknown>>,
    private readonly path: readonly PropertyKey[],
  ) {}

  private key(field: BambooField): string | undefined {
    return BAMBOOHR_FIELDS[field].find((name) => Object.hasOwn(this.fields, name));
  }

  /** The trimmed string value; undefined when absent, null, empty or BambooHR's "0000-00-00". */
  text(field: BambooField): string | undefined {
    const key = this.key(field);
    if (key === undefined) return undefined;
    const value = this.fields[key];
    if (value === null || value === undefined) return undefined;
    if (typeof value !== 'string') throw invalid('body', [...this.path, key], 'must be a string');
    const trimmed = value.trim();
    return trimmed === '' || trimmed === '0000-00-00' ? undefined : trimmed;
  }

  /** A value checked against a schema, the error naming the BambooHR field. */
  checked<S extends z.ZodType<string>>(field: BambooField, schema: S): z.infer<S> | undefined {
    const value = this.text(field);
    const key = this.key(field) ?? BAMBOOHR_FIELDS[field][0];
    return value === undefined ? undefined : parseWith(schema, value, formatPath('body', [...this.path, key]));
  }

  /** true for Inactive / Terminated, false for Active / another status, undefined when not posted. */
  terminated(): boolean | undefined {
    const status = this.text('status');
    const employment = this.employment();
    if (status === 'Inactive' || employment === 'terminated') return true;
    return status === undefined && employment === undefined ? undefined : false;
  }

  private employment(): 'employee' | 'contractor' | 'terminated' | undefined {
    const value = this.text('employmentStatus');
    if (value === undefined) return undefined;
    if (!Object.hasOwn(EMPLOYMENT_STATUSES, value)) throw this.fail('employmentStatus', `must be one of ${Object.keys(EMPLOYMENT_STATUSES).join(', ')}`);
    return EMPLOYMENT_STATUSES[value];
  }

  private fail(field: BambooField, problem: string): Error {
    return invalid('body', [...this.path, this.key(field) ?? BAMBOOHR_FIELDS[field][0]], problem);
  }

  /** The Gatehouse Role field, if posted: it wins over the catalogue's assignment rules. */
  role(): string | undefined {
    return this.checked('gatehouseRole', employeeSchema.shape.role);
  }

  /** The attributes rules read beyond the employee fields (job title, location). */
  attributes(): Record<string, string> | undefined {
    const jobTitle = this.checked('jobTitle', attributeValueSchema);
    const location = this.checked('location', attributeValueSchema);
    const attributes = { ...(jobTitle ? { jobTitle } : {}), ...(location ? { location } : {}) };
    return Object.keys(attributes).length > 0 ? attributes : undefined;
  }

  /** Whether the posted fields hold a whole employee record (else the directory is asked). */
  isComplete(): boolean {
    const has = (field: BambooField): boolean => this.text(field) !== undefined;
    return (['workEmail', 'firstName', 'lastName', 'employmentStatus', 'hireDate'] as const).every(has);
  }

  /** The employee record from posted fields; call only when {@link isComplete}. */
  toEmployee(employeeId: string): DirectoryEmployee {
    const shape = employeeSchema.shape;
    const employment = this.employment();
    const required = <T>(field: BambooField, value: T | undefined): T => {
      if (value === undefined) throw this.fail(field, 'required');
      return value;
    };
    const optional = <K extends string, V>(key: K, value: V | undefined): Partial<Record<K, V>> =>
      value === undefined ? {} : ({ [key]: value } as Record<K, V>);
    return {
      employeeId,
      email: required('workEmail', this.checked('workEmail', shape.email)),
      firstName: required('firstName', this.checked('firstName', shape.firstName)),
      lastName: required('lastName', this.checked('lastName', shape.lastName)),
      ...optional('role', this.role()),
      ...optional('attributes', this.attributes()),
      ...optional('department', this.checked('department', shape.department.unwrap())),
      ...optional('managerId', this.checked('supervisorId', shape.managerId.unwrap())),
      ...optional('managerEmail', this.checked('supervisorEmail', shape.managerEmail.unwrap())),
      employmentType: employment === 'contractor' ? 'contractor' : 'employee',
      startDate: required('hireDate', this.checked('hireDate', shape.startDate)),
      ...optional('endDate', this.checked('contractEndDate', shape.startDate)),
      ...optional('terminated', this.terminated()),
    };
  }
}
