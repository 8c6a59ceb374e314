import type { EmployeeLeaveCancelled, EmployeeLeft } from '../events/employee-events.ts';
import { endOfDayUtc, isoSeconds } from '../shared/dates.ts';
import { leaveDeliveryId } from '../schedules/schedules.ts';
import { revokeTime } from './prepare-leave.ts';
import { staleLeave } from '../ordering/person-facts.ts';

/**
 * When a leave takes effect, as plain decisions over plain data (no AWS). A person has at most
 * one end-of-access schedule (`leave-<employeeId>`); its input is an employee.left event. That
 * event is either an HR decision (a future-dated leave, whose occurredAt is when HR decided)
 * or the contract end date the joiner scheduled (delivery id `end-date-<id>-<day>`), which is
 * no HR decision: any leave or cancellation overrides it.
 *
 * - A leave effective now or in the past, or flagged immediate, revokes at once.
 * - A future one is scheduled for effectiveAt (created, or the schedule moved).
 * - An event older (by occurredAt) than the HR decision in the schedule changes nothing.
 * - A future-dated leave for someone who already left schedules nothing.
 * - A leave not newer than the event that set the person's status (a later rehire) is stale.
 */

/** What the employees table says about the person (undefined: Gatehouse does not know them). */
export interface EmployeeFacts {
  status?: string;
  /** Contract end date, `yyyy-mm-dd`. */
  endDate?: string;
  /** When the event that set the status (hire, rehire, leave) occurred (domain/ordering/person-facts.ts). */
  statusOccurredAt?: string;
  /** A leaver that claimed the status and has not finished (employees/leave.ts claimLeave). */
  leavingBy?: string;
}

/** The HR decision the schedule holds, or undefined when it holds none (no schedule, or the contract end). */
export function hrDecisionIn(scheduled: EmployeeLeft | undefined): EmployeeLeft | undefined {
  if (!scheduled) return undefined;
  return scheduled.deliveryId === leaveDeliveryId(scheduled.employeeId, scheduled.effectiveAt) ? undefined : scheduled;
}

/** True when `decision` was made strictly after the event at `occurredAt`. */
const newer = (decision: EmployeeLeft | undefined, occurredAt: string): boolean =>
  decision !== undefined && Date.parse(decision.occurredAt) > Date.parse(occurredAt);

export type LeaveTiming =
  | { action: 'revoke'; revokeAt: string }
  | { action: 'schedule'; effectiveAt: string; change: 'scheduled' | 'moved' | 'unchanged' }
  | { action: 'ignore'; why: 'older-than-current' | 'already-left'; current?: EmployeeLeft }
  /** Not newer than the event that set the person's status (a rehire after this leave): request.ignored. */
  | { action: 'ignore'; why: 'stale'; appliedAt: string };

export function decideLeave(event: EmployeeLeft, scheduled: EmployeeLeft | undefined, employee: EmployeeFacts | undefined, now: Date): LeaveTiming {
  if (employee?.statusOccurredAt !== undefined && staleLeave(employee, event.occurredAt)) {
    return { action: 'ignore', why: 'stale', appliedAt: employee.statusOccurredAt };
  }
  const current = hrDecisionIn(scheduled);
  if (newer(current, event.occurredAt)) return { action: 'ignore', why: 'older-than-current', current };
  const { revokeAt, deferred } = revokeTime(event.effectiveAt, event.immediate, now);
  if (!deferred) return { action: 'revoke', revokeAt };
  if (employee?.status === 'left') return { action: 'ignore', why: 'already-left' };
  if (!current) return { action: 'schedule', effectiveAt: revokeAt, change: 'scheduled' };
  const same = current.deliveryId === event.deliveryId && isoSeconds(new Date(current.effectiveAt)) === revokeAt;
  return { action: 'schedule', effectiveAt: revokeAt, change: same ? 'unchanged' : 'moved' };
}

export type CancelTiming =
  | { action: 'ignore'; why: 'already-left' | 'older-than-current'; current?: EmployeeLeft }
  /** Delete the scheduled leave (if `deleted`), then schedule the contract end again when `restoreEndAt`. */
  | { action: 'cancel'; deleted: EmployeeLeft | undefined; restoreEndAt?: string };

export function decideCancellation(event: EmployeeLeaveCancelled, scheduled: EmployeeLeft | undefined, employee: EmployeeFacts | undefined, now: Date): CancelTiming {
  if (employee?.status === 'left') return { action: 'ignore', why: 'already-left' };
  const current = hrDecisionIn(scheduled);
  if (newer(current, event.occurredAt)) return { action: 'ignore', why: 'older-than-current', current };
  const endAt = employee?.endDate === undefined ? undefined : endOfDayUtc(employee.endDate);
  const restore = endAt !== undefined && Date.parse(endAt) > now.getTime();
  return { action: 'cancel', deleted: current, ...(restore ? { restoreEndAt: endAt } : {}) };
}
