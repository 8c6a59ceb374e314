import { z } from 'zod';
import { employeeIdSchema } from '#lib/domain/events/employee-events';
import { bodyDeliveryId, deliveryIdFrom } from './delivery-id.ts';
import { employeeOf, fetchEmployee } from './directory-lookup.ts';
import { startOfDayUtc } from '../shared/dates.ts';
import { invalid, jsonBody, parseWith, toIsoInstant } from './parse.ts';
import { hmac, requiredHeader, secretBytes, signatureMatches, unauthorized } from './signature.ts';
import type { EmployeeDirectoryPort, HrisAdapter, HrisEvent, HrisRequest } from './types.ts';

/**
 * HiBob webhooks v2 (apidocs.hibob.com "Working with webhooks", "Employee data webhooks").
 * Signature: `bob-signature` = base64 HMAC-SHA512 of the raw body, keyed with the secret
 * from the Bob UI. The scheme has no timestamp, so replays are stopped only by the
 * delivery-id idempotency downstream.
 *
 * Payloads are thin: { "companyId": 636192, "type": "employee.joined", "triggeredBy":
 * "<id>|system", "triggeredAt": "2025-01-08T13:06:26.915906" (no offset: read as UTC),
 * "version": "v2", "data": { "employeeId": "<id>", ... } }; the record comes from the
 * directory port. Assumed `data` extras: `fieldUpdates` on employee.updated, a list of
 * field ids (`"/work/title"` or `{ "fieldId": "/work/title" }`); `effectiveDate` on
 * lifecycle events. HiBob documents no delivery id: a top-level `id` string is used if
 * present, else the SHA-256 of the body.
 */
const HANDLED = ['employee.joined', 'employee.updated', 'employee.left', 'employee.access.revoked.immediately', 'employee.deleted'] as const;
/** Subscribable events that never change access on their own (joined/left carry the lifecycle). */
const IGNORED: ReadonlySet<string> = new Set([
  'employee.created', 'employee.activated', 'employee.inactivated', 'employee.temporaryLeave',
  'table.entry.created', 'table.entry.updated',
]);
/** employee.updated matters only for these fields (HiBob field ids, dotted). */
export const HIBOB_ACCESS_FIELDS: ReadonlySet<string> = new Set([
  'work.title', 'work.department', 'work.reportsTo', 'work.custom.gatehouseRole', 'payroll.employment.type',
]);

const fieldUpdate = z.union([z.string(), z.object({ fieldId: z.string() })]);
const hibobSchema = z.object({
  id: z.string().optional(),
  companyId: z.union([z.number(), z.string()]),
  type: z.enum(HANDLED),
  triggeredBy: z.string().optional(),
  triggeredAt: z.string(),
  version: z.string().optional(),
  data: z.object({
    employeeId: employeeIdSchema,
    fieldUpdates: z.array(fieldUpdate).optional(),
    effectiveDate: z.iso.date().optional(),
  }),
});
type HibobPayload = z.infer<typeof hibobSchema>;

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** Bob's connection check posts the text "Ping test" or { "text": "Ping test" }. */
function isPing(req: HrisRequest): boolean {
  const text = req.rawBody.toString('utf8').trim();
  if (text === 'Ping test') return true;
  try {
    const body: unknown = JSON.parse(text);
    return isObject(body) && body.text === 'Ping test' && !('type' in body);
  } catch {
    return false;
  }
}

const fieldKey = (update: z.infer<typeof fieldUpdate>): string =>
  (typeof update === 'string' ? update : update.fieldId).replace(/^\/+/, '').replaceAll('/', '.');

/** Without `fieldUpdates` we cannot tell what changed, so the change counts (movers diff grants; a no-op is harmless). */
const affectsAccess = (payload: HibobPayload): boolean =>
  payload.data.fieldUpdates === undefined || payload.data.fieldUpdates.some((update) => HIBOB_ACCESS_FIELDS.has(fieldKey(update)));

function deliveryId(req: HrisRequest): string {
  let body: unknown;
  try {
    body = JSON.parse(req.rawBody.toString('utf8'));
  } catch {
    body = undefined;
  }
  const id = isObject(body) ? body.id : undefined;
  return typeof id === 'string' && id.length > 0 ? deliveryIdFrom('hibob', id) : bodyDeliveryId('hibob', req.rawBody);
}

async function normaliseHibob(req: HrisRequest, port: EmployeeDirectoryPort): Promise<HrisEvent[]> {
  if (isPing(req)) return [];
  const body = jsonBody(req.rawBody);
  if (isObject(body) && typeof body.type === 'string' && IGNORED.has(body.type)) return [];
  const payload = parseWith(hibobSchema, body);
  const occurredAt = toIsoInstant(payload.triggeredAt);
  if (occurredAt === undefined) throw invalid('body', ['triggeredAt'], 'must be an ISO 8601 timestamp');
  const envelope = { deliveryId: deliveryId(req), source: 'hibob' as const, occurredAt };
  const { employeeId } = payload.data;
  const left = (effectiveAt: string, immediate: boolean): HrisEvent =>
    ({ type: 'employee.left', ...envelope, employeeId, effectiveAt, immediate });

  switch (payload.type) {
    case 'employee.joined': {
      const record = await fetchEmployee(port, 'hibob', employeeId);
      return [{ type: 'employee.hired', ...envelope, employee: employeeOf(record) }];
    }
    case 'employee.updated': {
      if (!affectsAccess(payload)) return [];
      const record = await fetchEmployee(port, 'hibob', employeeId);
      // A terminated person's field edits grant nothing; employee.left carries the leave.
      return record.terminated === true ? [] : [{ type: 'employee.changed', ...envelope, employee: employeeOf(record) }];
    }
    case 'employee.left': {
      const effectiveDate = payload.data.effectiveDate;
      return [left(effectiveDate === undefined ? occurredAt : startOfDayUtc(effectiveDate).toISOString(), false)];
    }
    case 'employee.access.revoked.immediately':
      return [left(occurredAt, true)];
    case 'employee.deleted':
      return [left(occurredAt, false)];
  }
}

export const hibobAdapter: HrisAdapter = {
  source: 'hibob',

  verify(req, secret) {
    const key = secretBytes(secret);
    const received = requiredHeader(req, 'bob-signature');
    const expected = hmac('sha512', key, [req.rawBody]).toString('base64');
    if (!signatureMatches(received, expected)) throw unauthorized();
  },

  normalise: normaliseHibob,
  deliveryId,
};
