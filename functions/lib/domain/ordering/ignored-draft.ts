import type { Actor, AuditDraft } from '../audit/entry.ts';
import { STALE_REASONS, type StaleReason } from './person-facts.ts';

/** The `request.ignored` audit entry of an event that was not newer than what the person's record holds. */
export interface IgnoredEvent {
  requestType: 'joiner' | 'mover' | 'leaver';
  subject: string;
  actor: Actor;
  deliveryId: string;
  occurredAt: string;
  why: StaleReason;
  appliedAt?: string | undefined;
  ids: { requestId: string; executionId: string; executionName: string };
}

export function ignoredDraft(event: IgnoredEvent): AuditDraft {
  const occurredAt = new Date(event.occurredAt).toISOString();
  const appliedAt = event.appliedAt === undefined ? undefined : new Date(event.appliedAt).toISOString();
  return {
    kind: 'request.ignored',
    subject: event.subject,
    actor: event.actor,
    requestId: event.ids.requestId,
    executionId: event.ids.executionId,
    reason: `${event.requestType} event of ${occurredAt} ignored (stale): ${STALE_REASONS[event.why]}`,
    idempotencyKey: `${event.ids.executionName}/request.ignored`,
    detail: {
      requestType: event.requestType,
      deliveryId: event.deliveryId,
      why: event.why,
      occurredAt,
      ...(appliedAt ? { appliedAt } : {}),
    },
  };
}
