import { z } from 'zod';
import { employeeSchema } from '#lib/domain/events/employee-events';
import { hibobRoleFields } from '#lib/domain/hris/hibob-roles';
import { invalid, parseWith } from '#lib/domain/hris/parse';
import type { DirectoryEmployee } from '#lib/domain/hris/types';
import { compact, recordRoot, required, text } from './vendor-records.ts';

/**
 * What Gatehouse reads from Bob's People API (`POST /v1/people/{id}` and `/v1/people/search`,
 * apidocs.hibob.com "People read API contract"). Field ids are dot notation in requests;
 * responses nest them as objects (`work.title` -> `{ "work": { "title": ... } }`). With
 * `humanReadable: "APPEND"` list fields (title, department, employment type) keep their
 * machine value and gain a label under `humanReadable`, while dates stay ISO. A field the
 * service user may not read is silently omitted by Bob, so a missing required field is a
 * ValidationError naming it (fix the permission group, docs/hris.md).
 */
export const HIBOB_FIELDS = [
  'root.id', 'root.firstName', 'root.surname', 'root.email',
  'work.title', 'work.department', 'work.reportsTo', 'work.startDate',
  'work.custom.gatehouseRole', 'work.custom.contractEndDate',
  'payroll.employment.type', 'internal.status',
] as const;

const loose = z.record(z.string(), z.unknown());
const hibobPersonSchema = z.object({
  id: z.union([z.string(), z.number()]).transform(String),
  firstName: z.unknown().optional(),
  surname: z.unknown().optional(),
  email: z.unknown().optional(),
  work: loose.optional(),
  internal: loose.optional(),
  payroll: z.object({ employment: loose.optional() }).optional(),
  humanReadable: z.object({ work: loose.optional(), payroll: z.object({ employment: loose.optional() }).optional() }).optional(),
});

/** Bob employment types that are not employees (labels as HR spells them). */
const CONTRACTOR_TYPES = new Set(['Contractor', 'Freelancer', 'Consultant']);

const field = (root: string, path: readonly PropertyKey[], value: unknown, schema: z.ZodType<string>): string | undefined => {
  const raw = text(value);
  return raw === undefined ? undefined : parseWith(schema, raw, `${root}.${path.map(String).join('.')}`);
};

/** One person from Bob as a directory record; ValidationError naming the field otherwise. */
export function hibobRecord(value: unknown): DirectoryEmployee {
  const person = parseWith(hibobPersonSchema, value, 'directory.hibob');
  const root = recordRoot('hibob', person.id);
  const work = person.work ?? {};
  const label = (key: string): unknown => person.humanReadable?.work?.[key] ?? work[key];
  const custom = z.object({ gatehouseRole: z.unknown().optional(), contractEndDate: z.unknown().optional() }).safeParse(work.custom ?? {});
  if (!custom.success) throw invalid(root, ['work', 'custom'], 'must be an object');
  const reportsTo = z.object({ id: z.unknown().optional(), email: z.unknown().optional() }).safeParse(work.reportsTo ?? {});
  const manager = reportsTo.success ? reportsTo.data : {};
  const type = text(person.humanReadable?.payroll?.employment?.type ?? person.payroll?.employment?.type);
  const status = text(person.internal?.status);
  const shape = employeeSchema.shape;
  return compact({
    employeeId: person.id,
    email: required(field(root, ['email'], person.email, shape.email), root, ['email']),
    firstName: required(field(root, ['firstName'], person.firstName, shape.firstName), root, ['firstName']),
    lastName: required(field(root, ['surname'], person.surname, shape.lastName), root, ['surname']),
    ...hibobRoleFields({ title: text(label('title')), gatehouseRole: text(custom.data.gatehouseRole) }, `${root}.work`),
    department: field(root, ['work', 'department'], label('department'), shape.department.unwrap()),
    managerId: field(root, ['work', 'reportsTo', 'id'], typeof manager.id === 'number' ? String(manager.id) : manager.id, shape.managerId.unwrap()),
    managerEmail: field(root, ['work', 'reportsTo', 'email'], manager.email, shape.managerEmail.unwrap()),
    employmentType: type !== undefined && CONTRACTOR_TYPES.has(type) ? 'contractor' : 'employee',
    startDate: required(field(root, ['work', 'startDate'], work.startDate, shape.startDate), root, ['work', 'startDate']),
    endDate: field(root, ['work', 'custom', 'contractEndDate'], custom.data.contractEndDate, shape.startDate),
    terminated: status === undefined ? undefined : status !== 'Active',
  });
}
