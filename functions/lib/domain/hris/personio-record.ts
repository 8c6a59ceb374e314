import { z } from 'zod';
import { employeeSchema } from '#lib/domain/events/employee-events';
import { parseWith } from '#lib/domain/hris/parse';
import { attributeValueSchema } from '#lib/domain/events/attributes';
import type { DirectoryEmployee } from '#lib/domain/hris/types';
import { compact, recordRoot, required, text } from './vendor-records.ts';

/**
 * What Gatehouse reads from Personio API v2 (developer.personio.de "Retrieve a person"
 * `GET /v2/persons/{id}`, "List employments of a given Person"
 * `GET /v2/persons/{person_id}/employments`, most recent first). A person has names and
 * e-mail and custom attributes; the role, manager, type and dates live on the employment.
 * Role: the person's custom attribute labelled "Gatehouse Role", when set, holds the catalogue
 * role id and wins; otherwise the catalogue's assignment rules pick the role, and the
 * employment's position title is their `jobTitle` (no title table in code: docs/catalogue.md).
 */
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

function roleFields(person: PersonioPerson, employment: PersonioEmployment, root: string): { role?: string; attributes?: { jobTitle: string } } {
  const attribute = person.custom_attributes?.find((entry) => entry.label === PERSONIO_ROLE_ATTRIBUTE);
  const explicit = text(attribute?.value);
  const title = text(employment.position?.title);
  return {
    ...(explicit !== undefined ? { role: parseWith(employeeSchema.shape.role, explicit, `${root}.custom_attributes.${PERSONIO_ROLE_ATTRIBUTE}`) } : {}),
    ...(title !== undefined ? { attributes: { jobTitle: parseWith(attributeValueSchema, title, `${root}.employment.position.title`) } } : {}),
  };
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
    ...roleFields(person, employment, root),
    managerId: check(['employment', 'supervisor', 'id'], employment.supervisor?.id, shape.managerId.unwrap()),
    employmentType: employment.type === 'EXTERNAL' ? 'contractor' : 'employee',
    startDate: required(check(['employment', 'start_date'], employment.start_date?.slice(0, 10), shape.startDate), root, ['employment', 'start_date']),
    endDate: check(['employment', 'termination_date'], employment.termination_date?.slice(0, 10), shape.startDate),
    terminated: employment.status === 'INACTIVE',
  });
}
