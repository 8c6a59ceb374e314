import { attributeValueSchema } from '#lib/domain/events/attributes';
import { employeeSchema } from '#lib/domain/events/employee-events';
import { parseWith } from './parse.ts';

/**
 * HiBob's part in role assignment, for the directory port that reads Bob's People API (HiBob
 * payloads are thin, so the adapter itself only sees ids). The custom field
 * `work.custom.gatehouseRole`, when set, holds the catalogue role id and wins; otherwise the
 * catalogue's assignment rules pick the role, and `work.title` is their `jobTitle`. No title
 * table lives in code: the catalogue is the operator's data (docs/catalogue.md).
 */
export function hibobRoleFields(
  work: { title?: string | undefined; gatehouseRole?: string | undefined },
  root = 'work',
): { role?: string; attributes?: { jobTitle: string } } {
  const explicit = work.gatehouseRole?.trim();
  const title = work.title?.trim();
  return {
    ...(explicit ? { role: parseWith(employeeSchema.shape.role, explicit, `${root}.custom.gatehouseRole`) } : {}),
    ...(title ? { attributes: { jobTitle: parseWith(attributeValueSchema, title, `${root}.title`) } } : {}),
  };
}
