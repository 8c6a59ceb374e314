import { z } from 'zod';
import { employeeIdSchema } from '#lib/domain/events/employee-events';
import { bodyDeliveryId } from './delivery-id.ts';
import { employeeOf, fetchEmployee } from './directory-lookup.ts';
import { invalid, jsonBody, parseWith, toIsoInstant } from './parse.ts';
import { requiredHeader, secretBytes, signatureMatches, unauthorized } from './signature.ts';
import type { EmployeeDirectoryPort, HrisAdapter, HrisEvent, HrisRequest } from './types.ts';

/**
 * Personio webhooks (developer.personio.de/v2.0/reference/webhooks, "Create new webhook").
 *
 * Verification: Personio does NOT sign its webhooks. A webhook created with `auth_type:
 * TOKEN` (the default) sends the configured `token` verbatim as the `Authorization` header
 * of every delivery ("no prefix will be added automatically"); there is no HMAC over the
 * body and no timestamp. So we compare that header, in constant time, with the token kept
 * in Secrets Manager (`gatehouse/hris/personio`): a shared bearer secret over HTTPS, which
 * proves the sender knows the token but not that the body is unaltered, and does not stop
 * replays (the delivery id does, downstream). `auth_type: NONE` is refused.
 *
 * Payloads are dataless notifications: `{ company_id, event_name, occurred_at, payload, meta? }`
 * where `payload` names the changed entity; we read the person from `payload.person_id`,
 * or `payload.id` on person events, and fetch the record through the directory port.
 * Events: person.created -> hired; person.updated, employment.created|updated -> changed
 * (nothing for a terminated person); employment.terminated (sent on the termination date),
 * person.deleted, employment.deleted -> left; employment.started -> nothing (the hire came
 * with person.created). Personio sends no delivery id: the SHA-256 of the body is used.
 */
const EVENTS = ['person.created', 'person.updated', 'person.deleted', 'employment.created', 'employment.updated', 'employment.deleted', 'employment.started', 'employment.terminated'] as const;

const idValue = z.union([employeeIdSchema, z.number().int().nonnegative().transform(String)]);
const personioSchema = z.object({
  company_id: z.union([z.string(), z.number()]),
  event_name: z.enum(EVENTS),
  occurred_at: z.string(),
  payload: z.looseObject({ id: idValue.optional(), person_id: idValue.optional() }),
  meta: z.record(z.string(), z.unknown()).optional(),
});
type PersonioEvent = z.infer<typeof personioSchema>;

function personIdOf(event: PersonioEvent): string {
  const id = event.payload.person_id ?? (event.event_name.startsWith('person.') ? event.payload.id : undefined);
  if (id === undefined) throw invalid('body', ['payload', 'person_id'], 'required');
  return id;
}

async function normalisePersonio(req: HrisRequest, port: EmployeeDirectoryPort): Promise<HrisEvent[]> {
  const event = parseWith(personioSchema, jsonBody(req.rawBody));
  const occurredAt = toIsoInstant(event.occurred_at);
  if (occurredAt === undefined) throw invalid('body', ['occurred_at'], 'must be an ISO 8601 timestamp');
  const envelope = { deliveryId: bodyDeliveryId('personio', req.rawBody), source: 'personio' as const, occurredAt };
  const employeeId = personIdOf(event);
  switch (event.event_name) {
    case 'employment.started':
      return [];
    case 'employment.terminated':
    case 'person.deleted':
    case 'employment.deleted':
      return [{ type: 'employee.left', ...envelope, employeeId, effectiveAt: occurredAt, immediate: false }];
    case 'person.created': {
      const record = await fetchEmployee(port, 'personio', employeeId);
      return record.terminated === true ? [] : [{ type: 'employee.hired', ...envelope, employee: employeeOf(record) }];
    }
    default: {
      const record = await fetchEmployee(port, 'personio', employeeId);
      return record.terminated === true ? [] : [{ type: 'employee.changed', ...envelope, employee: employeeOf(record) }];
    }
  }
}

export const personioAdapter: HrisAdapter = {
  source: 'personio',

  verify(req, secret) {
    const expected = secretBytes(secret).toString('utf8');
    if (!signatureMatches(requiredHeader(req, 'authorization'), expected)) throw unauthorized();
  },

  normalise: normalisePersonio,
  deliveryId: (req) => bodyDeliveryId('personio', req.rawBody),
};
