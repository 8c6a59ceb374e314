import { z } from 'zod';
import { employeeIdSchema } from '#lib/domain/events/employee-events';
import { BambooFieldValues } from './bamboohr-fields.ts';
import { fieldFromName, type BambooField } from './bamboohr-mapping.ts';
import { fromUnixSeconds, invalid, parseWith, toIsoInstant } from './parse.ts';
import type { HrisRequest } from './types.ts';

/**
 * BambooHR posts one of two JSON shapes (documentation.bamboohr.com/docs/webhooks,
 * .../field-based-webhooks, .../event-based-webhooks):
 *
 * Field-based ("Global", legacy `employee_with_fields.*`):
 *   { "employees": [ { "id": "123", "action": "Created"|"Updated"|"Deleted",
 *       "timestamp": "2026-01-31T18:42:00+0000", "changedFields": ["Job Title"],
 *       "fields": { "Job Title": "Data Scientist", ... } } ] }
 *   Created/Deleted carry empty `changedFields`/`fields` (PHP may encode `{}` as `[]`).
 * Event-based (recommended, `employee.created|updated|deleted`), always thin:
 *   { "type": "employee.updated", "timestamp": "2026-01-31T18:42:00+0000",
 *     "data": { "companyId": "1", "employeeId": "123", "changedFields": ["jobTitle"] } }
 * Only JSON encoding is supported (not form posts). Both become {@link BambooEntry}s.
 */
export interface BambooEntry {
  employeeId: string;
  action: 'created' | 'updated' | 'deleted';
  /** Changed fields we know, by canonical name (unknown names are dropped). */
  changed: ReadonlySet<BambooField>;
  values: BambooFieldValues;
  occurredAt: string;
}

/** BambooHR ids are numeric strings; accept a JSON number too. */
const bambooId = z.union([employeeIdSchema, z.number().int().nonnegative().transform(String)]);
const emptyOrRecord = z.union([z.record(z.string(), z.unknown()), z.tuple([]).transform(() => ({}))]);

const fieldBasedSchema = z.object({
  employees: z
    .array(
      z.object({
        id: bambooId,
        action: z.enum(['Created', 'Updated', 'Deleted']),
        timestamp: z.string().optional(),
        changedFields: z.array(z.string()).default([]),
        fields: emptyOrRecord.default({}),
      }),
    )
    .min(1),
});

const eventBasedSchema = z.object({
  type: z.enum(['employee.created', 'employee.updated', 'employee.deleted']),
  timestamp: z.string(),
  data: z.object({
    companyId: z.union([z.string(), z.number()]).optional(),
    employeeId: bambooId,
    changedFields: z.array(z.string()).default([]),
  }),
});

const changedSet = (names: readonly string[]): ReadonlySet<BambooField> =>
  new Set(names.map(fieldFromName).filter((field): field is BambooField => field !== undefined));

/** The entry's instant: its own timestamp, else the signed `x-bamboohr-timestamp` header. */
function occurredAt(req: HrisRequest, timestamp: string | undefined, path: readonly PropertyKey[]): string {
  if (timestamp !== undefined) {
    const iso = toIsoInstant(timestamp);
    if (iso === undefined) throw invalid('body', path, 'must be an ISO 8601 timestamp');
    return iso;
  }
  const header = req.headers['x-bamboohr-timestamp'];
  if (header !== undefined && /^\d{1,12}$/.test(header)) return fromUnixSeconds(header);
  throw invalid('body', path, 'required (no x-bamboohr-timestamp header either)');
}

export function bambooEntries(req: HrisRequest, body: unknown): BambooEntry[] {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw invalid('body', [], 'must be a JSON object');
  if ('employees' in body) {
    const payload = parseWith(fieldBasedSchema, body);
    return payload.employees.map((entry, index) => ({
      employeeId: entry.id,
      action: entry.action === 'Created' ? 'created' : entry.action === 'Updated' ? 'updated' : 'deleted',
      changed: changedSet(entry.changedFields),
      values: new BambooFieldValues(entry.fields, ['employees', index, 'fields']),
      occurredAt: occurredAt(req, entry.timestamp, ['employees', index, 'timestamp']),
    }));
  }
  if ('type' in body) {
    const payload = parseWith(eventBasedSchema, body);
    return [
      {
        employeeId: payload.data.employeeId,
        action: payload.type === 'employee.created' ? 'created' : payload.type === 'employee.updated' ? 'updated' : 'deleted',
        changed: changedSet(payload.data.changedFields),
        values: new BambooFieldValues({}, ['data', 'fields']),
        occurredAt: occurredAt(req, payload.timestamp, ['timestamp']),
      },
    ];
  }
  throw invalid('body', [], 'must have "employees" (field-based) or "type" (event-based)');
}
