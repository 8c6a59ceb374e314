import { z } from 'zod';
import { ConfigError, ValidationError } from '#lib/domain/shared/errors';
import { employeeIdSchema, employeeSchema, hrisEmployeeSchema } from '#lib/domain/events/employee-events';
import { deliveryIdFrom } from './delivery-id.ts';
import { jsonBody, parseWith, settle } from './parse.ts';
import { checkTimestamp, hmac, requiredHeader, signatureMatches, unauthorized } from './signature.ts';
import type { HrisAdapter, HrisEvent, HrisRequest } from './types.ts';

/**
 * "Any sender of signed JSON": Standard Webhooks (https://www.standardwebhooks.com/)
 * signing, and a payload that is the normalised event minus its envelope.
 *
 * Headers: `webhook-id` (the delivery id), `webhook-timestamp` (unix seconds),
 * `webhook-signature` (space-separated `v1,<base64 HMAC-SHA256 of "id.timestamp.body">`;
 * other versions are ignored). The secret is `whsec_<base64 key>` or a raw UTF-8 key.
 *
 * Body (unknown fields are rejected, so a typo is an error, not a silent default):
 *   { "type": "employee.hired",   "timestamp": "<ISO 8601 with offset>", "data": <Employee> }
 *   { "type": "employee.changed", "timestamp": "...", "data": <Employee> & { "previousRole"? } }
 *   { "type": "employee.left",    "timestamp": "...",
 *     "data": { "employeeId", "effectiveAt"?: <ISO instant, default timestamp>, "immediate"?: false } }
 *   { "type": "employee.leave.cancelled", "timestamp": "...", "data": { "employeeId" } }  (termination rescinded)
 * `data.role` is optional: without it the catalogue's assignment rules pick the role from the
 * employee's fields and `data.attributes` ({ "jobTitle": ..., "location": ..., "custom.<name>": ... }).
 * A role that is sent must be in the deployed catalogue (checked at ingest).
 */
const employeeData = z.strictObject(hrisEmployeeSchema.shape);
const instant = z.iso.datetime({ offset: true });

export const genericPayloadSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('employee.hired'), timestamp: instant, data: employeeData }),
  z.strictObject({
    type: z.literal('employee.changed'),
    timestamp: instant,
    data: employeeData.extend({ previousRole: employeeSchema.shape.role.optional() }),
  }),
  z.strictObject({
    type: z.literal('employee.left'),
    timestamp: instant,
    data: z.strictObject({
      employeeId: employeeIdSchema,
      effectiveAt: instant.optional(),
      immediate: z.boolean().default(false),
    }),
  }),
  z.strictObject({ type: z.literal('employee.leave.cancelled'), timestamp: instant, data: z.strictObject({ employeeId: employeeIdSchema }) }),
]);
export type GenericPayload = z.infer<typeof genericPayloadSchema>;

/** `whsec_<base64>` means the key is the decoded bytes; anything else is the UTF-8 key itself. */
export function standardWebhooksKey(secret: string): Buffer {
  if (!secret.startsWith('whsec_')) {
    if (secret.length === 0) throw new ConfigError('webhook secret is empty');
    return Buffer.from(secret, 'utf8');
  }
  const encoded = secret.slice('whsec_'.length);
  const key = Buffer.from(encoded, 'base64');
  // Node decodes leniently; insist on the canonical spelling so one key has one secret.
  if (key.length === 0 || key.toString('base64') !== encoded) throw new ConfigError('whsec_ webhook secret is not base64');
  return key;
}

const toUtc = (iso: string): string => new Date(iso).toISOString();

function deliveryId(req: HrisRequest): string {
  const id = req.headers['webhook-id'];
  if (id === undefined || id.length === 0) throw new ValidationError('headers.webhook-id: required');
  return deliveryIdFrom('generic', id);
}

export const genericAdapter: HrisAdapter = {
  source: 'generic',

  verify(req, secret, clock) {
    const key = standardWebhooksKey(secret);
    const id = requiredHeader(req, 'webhook-id');
    const timestamp = checkTimestamp(requiredHeader(req, 'webhook-timestamp'), clock);
    const received = requiredHeader(req, 'webhook-signature').split(' ');
    const digest = hmac('sha256', key, [Buffer.from(`${id}.${timestamp}.`, 'utf8'), req.rawBody]);
    const expected = `v1,${digest.toString('base64')}`;
    // Check every candidate, so the time taken does not depend on which one matched.
    const matched = received.map((candidate) => signatureMatches(candidate, expected)).includes(true);
    if (!matched) throw unauthorized();
  },

  normalise: (req) => settle(() => normaliseGeneric(req)),
  deliveryId,
};

function normaliseGeneric(req: HrisRequest): HrisEvent[] {
  const payload = parseWith(genericPayloadSchema, jsonBody(req.rawBody));
  const envelope = { deliveryId: deliveryId(req), source: 'generic' as const, occurredAt: toUtc(payload.timestamp) };
  let event: HrisEvent;
  switch (payload.type) {
    case 'employee.hired':
      event = { type: payload.type, ...envelope, employee: payload.data };
      break;
    case 'employee.changed': {
      const { previousRole, ...employee } = payload.data;
      event = { type: payload.type, ...envelope, employee, ...(previousRole === undefined ? {} : { previousRole }) };
      break;
    }
    case 'employee.left':
      event = {
        type: payload.type,
        ...envelope,
        employeeId: payload.data.employeeId,
        effectiveAt: toUtc(payload.data.effectiveAt ?? payload.timestamp),
        immediate: payload.data.immediate,
      };
      break;
    case 'employee.leave.cancelled':
      event = { type: payload.type, ...envelope, employeeId: payload.data.employeeId };
      break;
  }
  return [event];
}
