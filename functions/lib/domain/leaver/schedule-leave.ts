import { namedOutcome, type WorkflowOutcome } from '../outcomes/workflow-outcome.ts';
import type { AuditStore } from '../audit/ports.ts';
import type { Clock } from '../shared/clock.ts';
import type { AuditDraft } from '../audit/entry.ts';
import { ignoredDraft } from '../ordering/ignored-draft.ts';
import { STALE_REASONS } from '../ordering/person-facts.ts';
import type { EmployeeLeaveCancelled, EmployeeLeft, HrisSource } from '../events/employee-events.ts';
import { schedulerAt } from '../shared/dates.ts';
import { scheduledLeave, scheduleNameFor, type Schedules } from '../schedules/schedules.ts';
import { clip } from '../shared/ids.ts';
import { decideCancellation, decideLeave, type EmployeeFacts } from './leave-timing.ts';
import type { ScheduleLeaveInput } from './schemas.ts';

/**
 * Decide When Access Ends and Cancel Scheduled Leave. A future-dated leave parks no
 * execution: the person's single end-of-access schedule (`leave-<employeeId>`, the same one
 * the contract end date uses) is created or moved to effectiveAt with the very same
 * employee.left event as input, and the leaver ends. When it fires, the leaver runs again
 * with that event, now effective, and revokes at once. A cancellation deletes a scheduled
 * leave and puts the contract end date back. Each decision is audited (`leave.decided`)
 * before it is acted on, under one idempotency key per execution, so a retry neither
 * duplicates the entry nor leaves the action half done.
 */

export interface LeaveSchedulePorts {
  /** The event in the person's schedule, or undefined when there is none. */
  scheduled(employeeId: string): Promise<EmployeeLeft | undefined>;
  /** Deletes the person's schedule; one already gone counts as deleted. */
  remove(employeeId: string): Promise<void>;
  /** The employees table's facts, or undefined when Gatehouse does not know the person. */
  employee(employeeId: string): Promise<(EmployeeFacts & { source?: HrisSource }) | undefined>;
}

export interface ScheduleLeaveDeps {
  ports: LeaveSchedulePorts;
  schedules: Schedules;
  audit: Pick<AuditStore, 'append'>;
  clock: Clock;
}

export type TimingResult =
  | { action: 'revoke'; revokeAt: string }
  | { action: 'scheduled'; scheduleName: string; effectiveAt: string; change: 'scheduled' | 'moved' | 'unchanged' }
  | { action: 'ignored'; why: string; reason: string }
  | { action: 'cancelled'; deleted: string | null; restoredEndAt: string | null };

type DecidedDetail = Extract<AuditDraft, { kind: 'leave.decided' }>['detail'];

function decidedDraft(input: ScheduleLeaveInput, reason: string, detail: Omit<DecidedDetail, 'deliveryId' | 'decidedAt'>): AuditDraft {
  const { event } = input;
  return {
    kind: 'leave.decided',
    subject: event.employeeId,
    actor: event.type === 'employee.left' && event.operator ? { type: 'operator', id: event.operator.id } : { type: 'hris', id: event.source },
    requestId: input.executionName,
    executionId: input.executionId,
    reason: clip(reason),
    idempotencyKey: `${input.executionName}/leave.decided`,
    detail: { deliveryId: event.deliveryId, decidedAt: new Date(event.occurredAt).toISOString(), ...detail },
  };
}

const olderReason = (current: EmployeeLeft | undefined, what: string): string =>
  `${what} ignored: a newer decision (delivery ${current?.deliveryId ?? '?'}, occurred ${current?.occurredAt ?? '?'}) stands`;

export async function decideTiming(deps: ScheduleLeaveDeps, input: ScheduleLeaveInput & { action: 'decide' }): Promise<TimingResult> {
  const { event } = input;
  const [scheduled, employee] = await Promise.all([deps.ports.scheduled(event.employeeId), deps.ports.employee(event.employeeId)]);
  const timing = decideLeave(event, scheduled, employee, deps.clock.now());
  switch (timing.action) {
    case 'revoke':
      return timing;
    case 'ignore': {
      if (timing.why === 'stale') return ignoredLeave(deps, input, timing.appliedAt);
      const reason = timing.why === 'already-left' ? 'future-dated leave ignored: the employee already left' : olderReason(timing.current, 'leave');
      await deps.audit.append(decidedDraft(input, reason, { decision: 'ignored', why: timing.why, effectiveAt: new Date(event.effectiveAt).toISOString() }));
      return { action: 'ignored', why: timing.why, reason };
    }
    case 'schedule': {
      const reason = `leave ${timing.change === 'moved' ? 'moved to' : 'scheduled for'} ${timing.effectiveAt}`;
      const decision = timing.change === 'scheduled' ? 'scheduled' : timing.change;
      await deps.audit.append(decidedDraft(input, reason, { decision, effectiveAt: timing.effectiveAt }));
      const name = scheduleNameFor(event.employeeId);
      await deps.schedules.ensure({ name, expression: schedulerAt(timing.effectiveAt), input: JSON.stringify(event) });
      return { action: 'scheduled', scheduleName: name, effectiveAt: timing.effectiveAt, change: timing.change };
    }
  }
}

/** A leave older than the person's rehire: request.ignored, and the leaver ends (Leave Ignored). */
async function ignoredLeave(deps: ScheduleLeaveDeps, input: ScheduleLeaveInput & { action: 'decide' }, appliedAt: string): Promise<TimingResult> {
  const { event } = input;
  const actor = event.operator ? { type: 'operator' as const, id: event.operator.id } : { type: 'hris' as const, id: event.source };
  const ids = { requestId: input.executionName, executionId: input.executionId, executionName: input.executionName };
  await deps.audit.append(ignoredDraft({ requestType: 'leaver', subject: event.employeeId, actor, deliveryId: event.deliveryId, occurredAt: event.occurredAt, why: 'newer-applied', appliedAt, ids }));
  return { action: 'ignored', why: 'stale', reason: `leave of ${new Date(event.occurredAt).toISOString()} ignored (stale): ${STALE_REASONS['newer-applied']}` };
}

/** A cancellation ends the leaver (Leave Cancelled): its result names the outcome in the one shape (domain/outcomes). */
export type CancellationResult = Extract<TimingResult, { action: 'ignored' | 'cancelled' }> & { outcome: WorkflowOutcome };

export async function cancelLeave(deps: ScheduleLeaveDeps, input: ScheduleLeaveInput & { action: 'cancel' }): Promise<CancellationResult> {
  const event: EmployeeLeaveCancelled = input.event;
  const [scheduled, employee] = await Promise.all([deps.ports.scheduled(event.employeeId), deps.ports.employee(event.employeeId)]);
  const timing = decideCancellation(event, scheduled, employee, deps.clock.now());
  if (timing.action === 'ignore') {
    const reason =
      timing.why === 'already-left' ? 'cancellation ignored: the leave already ran (employee status left); re-hire to restore access' : olderReason(timing.current, 'cancellation');
    await deps.audit.append(decidedDraft(input, reason, { decision: 'ignored', why: timing.why }));
    return { action: 'ignored', why: timing.why, reason, outcome: namedOutcome('ignored', { why: timing.why }) };
  }
  const what = timing.deleted ? `scheduled leave of ${timing.deleted.effectiveAt} cancelled` : 'cancellation: no leave was scheduled';
  const reason = timing.restoreEndAt ? `${what}; contract end ${timing.restoreEndAt} scheduled again` : what;
  await deps.audit.append(
    decidedDraft(input, reason, {
      decision: 'cancelled',
      ...(timing.deleted ? {} : { why: 'nothing-scheduled' as const }),
      ...(timing.restoreEndAt ? { endsAt: timing.restoreEndAt } : {}),
    }),
  );
  if (timing.restoreEndAt) {
    // The end-date schedule has the same name, so ensure replaces the leave in one call.
    const endEvent = scheduledLeave(event.employeeId, timing.restoreEndAt, employee?.source ?? event.source);
    await deps.schedules.ensure({ name: scheduleNameFor(event.employeeId), expression: schedulerAt(endEvent.effectiveAt), input: JSON.stringify(endEvent) });
  } else if (timing.deleted) {
    await deps.ports.remove(event.employeeId);
  }
  return { action: 'cancelled', deleted: timing.deleted?.deliveryId ?? null, restoredEndAt: timing.restoreEndAt ?? null, outcome: namedOutcome('leave-cancelled') };
}
