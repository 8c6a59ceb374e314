import { z } from 'zod';
import { employeeSchema } from '#lib/domain/events/employee-events';
import { invalid, parseWith } from '#lib/domain/hris/parse';
import { isCatalogueRole, lookupRole, type CatalogueRoleId } from '#lib/domain/hris/roles';
import type { DirectoryEmployee } from '#lib/domain/hris/types';
import { compact, recordRoot, required, text } from './vendor-records.ts';

/**
 * What Gatehouse reads from Personio API v2 (developer.personio.de "Retrieve a person"
 * `GET /v2/persons/{id}`, "List employments of a given Person"
 * `GET /v2/persons/{person_id}/employments`, most recent first). A person has names and
 * e-mail and custom attributes; the role, manager, type and dates live on the employment.
 * Role rule: the person's custom attribute labelled "Gatehouse Role" holds a catalogue role
 * id and wins; otherwise the employment's position title must be in the table below.
 */
export const PERSONIO_TITLE_ROLES: Readonly<Record<string, CatalogueRoleId>> = {
  'Software Engineer': 'engineer',
  'Platform Engineer': 'platform-engineer',
  'Data Scientist': 'data-scientist',
  'Account Executive': 'sales',
  'Finance Administrator': 'finance-admin',
};
export const PERSONIO_ROLE_ATTRIBUTE = 'Gatehouse Role';

const personSchema = z.looseObject({
  id: z.union([z.string().min(1), z.number()]).transform(String),
  first_name: z.unknown().optional(),
  last_name: z.unknown().optional(),
  email: z.unknown().optional(),
  custom_attributes: z.array(z.looseObject({ id: z.string().optional(), label: z.string().optional(), value: z.unknown().optional() })).optional(),
});
const ref = z.looseObject({ id: z.union([z.string(), z.number()]).transform(String).optional() }).nullable().optional();
const employmentSchema = z.looseObject({
  id: z.string().optional(),
  status: z.enum(['ACTIVE', 'INACTIVE', 'ONBOARDING', 'LEAVE']),
  type: z.string().nullable().optional(),
  position: z.looseObject({ title: z.string().nullable().optional() }).nullable().optional(),
  supervisor: ref,
  start_date: z.string().nullable().optional(),
  termination_date: z.string().nullable().optional(),
});
export type PersonioPerson = z.infer<typeof personSchema>;
export type PersonioEmployment = z.infer<typeof employmentSchema>;

export const parsePersonioPerson = (value: unknown): PersonioPerson => parseWith(personSchema, value, 'directory.personio');
export const parsePersonioEmployment = (value: unknown, personId: string): PersonioEmployment =>
  parseWith(employmentSchema, value, `${recordRoot('personio', personId)}.employment`);

function roleOf(person: PersonioPerson, employment: PersonioEmployment, root: string): CatalogueRoleId {
  const attribute = person.custom_attributes?.find((entry) => entry.label === PERSONIO_ROLE_ATTRIBUTE);
  const explicit = text(attribute?.value);
  if (explicit !== undefined) {
    if (!isCatalogueRole(explicit)) throw invalid(root, ['custom_attributes', PERSONIO_ROLE_ATTRIBUTE], 'must be a catalogue role id');
    return explicit;
  }
  const title = text(employment.position?.title);
  if (title === undefined) throw invalid(root, ['employment', 'position', 'title'], `required (or the "${PERSONIO_ROLE_ATTRIBUTE}" attribute)`);
  const role = lookupRole(PERSONIO_TITLE_ROLES, title);
  if (role === undefined) throw invalid(root, ['employment', 'position', 'title'], `has no role mapping; set the "${PERSONIO_ROLE_ATTRIBUTE}" attribute`);
  return role;
}

/** A person and their most recent employment as a directory record; undefined employment = not employed (yet). */
export function personioRecord(person: PersonioPerson, employment: PersonioEmployment): DirectoryEmployee {
  const root = recordRoot('personio', person.id);
  const shape = employeeSchema.shape;
  const check = (path: PropertyKey[], value: unknown, schema: z.ZodType<string>): string | undefined => {
    const raw = text(value);
    return raw === undefined ? undefined : parseWith(schema, raw, `${root}.${path.map(String).join('.')}`);
  };
  return compact({
    employeeId: person.id,
    email: required(check(['email'], person.email, shape.email), root, ['email']),
    firstName: required(check(['first_name'], person.first_name, shape.firstName), root, ['first_name']),
    lastName: required(check(['last_name'], person.last_name, shape.lastName), root, ['last_name']),
    role: roleOf(person, employment, root),
    managerId: check(['employment', 'supervisor', 'id'], employment.supervisor?.id, shape.managerId.unwrap()),
    employmentType: employment.type === 'EXTERNAL' ? 'contractor' : 'employee',
    startDate: required(check(['employment', 'start_date'], employment.start_date?.slice(0, 10), shape.startDate), root, ['employment', 'start_date']),
    endDate: check(['employment', 'termination_date'], employment.termination_date?.slice(0, 10), shape.startDate),
    terminated: employment.status === 'INACTIVE',
  });
}
