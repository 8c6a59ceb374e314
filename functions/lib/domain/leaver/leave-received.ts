import type { Actor, AuditDraft } from '../audit/entry.ts';
import type { EmployeeLeft } from '../events/employee-events.ts';
import { clip } from '../shared/ids.ts';

/**
 * The leaver's request.received audit entry: who asked for the leave and why. Three triggers
 * end access, and the entry tells them apart by its actor:
 * - the HRIS (`hris:<source>`): employee.left from a webhook;
 * - the contract end date (`system:end-date-schedule`): the schedule the joiner created;
 * - an operator's kill switch (`operator:<e-mail or subject>`): their reason, verbatim.
 */

/** Delivery ids of the joiner's end-date schedules (joiner/deprovisioning.ts leaveDeliveryId). */
const END_DATE_PREFIX = 'end-date-';

export function leaveActor(event: EmployeeLeft): Actor {
  if (event.source === 'operator' && event.operator) return { type: 'operator', id: event.operator.id };
  if (event.deliveryId.startsWith(END_DATE_PREFIX)) return { type: 'system', id: 'end-date-schedule' };
  return { type: 'hris', id: event.source };
}

function reasonOf(event: EmployeeLeft): string {
  if (event.operator) return event.operator.reason;
  if (event.deliveryId.startsWith(END_DATE_PREFIX)) return clip(`contract of ${event.employeeId} ends ${event.effectiveAt}`);
  const when = event.immediate ? 'immediately' : `effective ${event.effectiveAt}`;
  return clip(`leave of ${event.employeeId} ${when}, delivered by ${event.source}`);
}

export function leaveReceivedDraft(event: EmployeeLeft, revokeAt: string, ids: { executionId: string; executionName: string }): AuditDraft {
  return {
    kind: 'request.received',
    subject: event.employeeId,
    actor: leaveActor(event),
    requestId: ids.executionName,
    executionId: ids.executionId,
    reason: reasonOf(event),
    idempotencyKey: `${ids.executionName}/request.received`,
    detail: { requestType: 'leaver', deliveryId: event.deliveryId, effectiveAt: revokeAt },
  };
}
