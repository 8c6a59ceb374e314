import type { EmployeeHired } from '#lib/domain/events/employee-events';
import { ACCESS_FIELDS } from './bamboohr-mapping.ts';
import { bambooEntries, type BambooEntry } from './bamboohr-payload.ts';
import { entryDeliveryId, signedContentDeliveryId } from './delivery-id.ts';
import { employeeOf, fetchEmployee } from './directory-lookup.ts';
import { jsonBody } from './parse.ts';
import { checkTimestamp, hmac, requiredHeader, secretBytes, signatureMatches, unauthorized } from './signature.ts';
import type { EmployeeDirectoryPort, HrisAdapter, HrisEvent, HrisRequest } from './types.ts';

/**
 * BambooHR. Signature: `x-bamboohr-signature` = lower-case hex HMAC-SHA256, keyed with
 * the webhook's private key, of the raw body bytes followed by the `x-bamboohr-timestamp`
 * value (unix seconds, checked against the clock).
 *
 * BambooHR has no termination event: a change of Status to "Inactive" or of Employment
 * Status to "Terminated" is a leave; Status back to "Active" is a (re)hire; a change to
 * job title, Gatehouse Role, department, supervisor, employment status or contract end
 * date is `employee.changed`; any other change is ignored. A deleted record is a leave.
 * Where the payload does not carry the whole record (event-based webhooks, or
 * field-based ones that post few fields) the record comes from the directory port.
 *
 * Delivery id: BambooHR signs no delivery id, so it is the SHA-256 of the signature input
 * (body bytes, then the timestamp): a replay of the same signed bytes is the same delivery
 * whatever other headers say (an unsigned `x-bamboohr-delivery-id` once started a second
 * joiner for a terminated person, issue #11), and within the five-minute timestamp window
 * the execution name (this id) refuses a second run. A redelivery BambooHR signs afresh is a
 * new delivery id for the same events; per-person ordering makes it a no-op (same
 * occurredAt). With several employees in one body each event gets `<delivery id>-<index>`.
 */
const SIGNATURE = 'x-bamboohr-signature';
const TIMESTAMP = 'x-bamboohr-timestamp';

function deliveryId(req: HrisRequest): string {
  return signedContentDeliveryId('bamboohr', [req.rawBody, Buffer.from(req.headers[TIMESTAMP] ?? '', 'utf8')]);
}

/** The envelope every event of one delivery shares (HRIS sources only; `operator` is the kill switch's). */
type Envelope = Pick<EmployeeHired, 'deliveryId' | 'source' | 'occurredAt'>;

async function normaliseEntry(entry: BambooEntry, envelope: Envelope, port: EmployeeDirectoryPort): Promise<HrisEvent | undefined> {
  const left: HrisEvent = { type: 'employee.left', ...envelope, employeeId: entry.employeeId, effectiveAt: envelope.occurredAt, immediate: false };
  if (entry.action === 'deleted') return left;

  const relevant = [...entry.changed].some((field) => ACCESS_FIELDS.has(field));
  if (entry.action === 'updated' && !relevant) return undefined;
  const statusChanged = entry.changed.has('status') || entry.changed.has('employmentStatus');
  const postedTermination = entry.values.terminated();
  if (entry.action === 'updated' && statusChanged && postedTermination === true) return left;

  const record = entry.values.isComplete()
    ? entry.values.toEmployee(entry.employeeId)
    : await fetchEmployee(port, 'bamboohr', entry.employeeId);
  const terminated = postedTermination ?? record.terminated ?? false;
  const employee = employeeOf(record);

  if (entry.action === 'created') return terminated ? undefined : { type: 'employee.hired', ...envelope, employee };
  if (terminated) return statusChanged ? left : undefined;
  if (entry.changed.has('status')) return { type: 'employee.hired', ...envelope, employee };
  return { type: 'employee.changed', ...envelope, employee };
}

export const bamboohrAdapter: HrisAdapter = {
  source: 'bamboohr',

  verify(req, secret, clock) {
    const key = secretBytes(secret);
    const timestamp = checkTimestamp(requiredHeader(req, TIMESTAMP), clock);
    const received = requiredHeader(req, SIGNATURE);
    const expected = hmac('sha256', key, [req.rawBody, Buffer.from(timestamp, 'utf8')]).toString('hex');
    if (!signatureMatches(received, expected)) throw unauthorized();
  },

  async normalise(req, port) {
    const entries = bambooEntries(req, jsonBody(req.rawBody));
    const id = deliveryId(req);
    const events: HrisEvent[] = [];
    for (const [index, entry] of entries.entries()) {
      const envelope = { deliveryId: entryDeliveryId('bamboohr', id, index, entries.length), source: 'bamboohr' as const, occurredAt: entry.occurredAt };
      const event = await normaliseEntry(entry, envelope, port);
      if (event !== undefined) events.push(event);
    }
    return events;
  },

  deliveryId,
};
