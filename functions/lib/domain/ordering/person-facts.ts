import type { Employee } from '../events/employee-events.ts';

/**
 * Per-person ordering (issue #11): HRIS events arrive late, twice, re-signed and out of order,
 * so each person's employees item keeps, per fact, the time of the newest event applied:
 *
 * - `hrisOccurredAt`: the profile facts (role, e-mail, manager, dates), set by hires and changes;
 * - `statusOccurredAt`: the employment status (active / left), set by a hire or rehire and by the
 *   leave that took effect.
 *
 * Hires and changes merge per fact (merge.ts: each profile fact keeps its own time in `factAt`,
 * `hrisOccurredAt` is the newest of them); this module holds the whole-event checks the mover and
 * the leaver make. A workflow acts on an event only if it is newer than what was applied for the
 * facts it changes; otherwise it ends `ignored: stale` with an audit entry. Equal times count as
 * applied (the same instant delivered twice, e.g. an HRIS firing "created" and "updated" for one
 * hire), except for a retry of the very request that applied them. A leave is final against
 * anything older: only a hire newer than the leave (a rehire) brings the person back.
 *
 * Pure: the DynamoDB writes express the same rule as ConditionExpressions (or, for the merge, a
 * condition on the times read), so the check and the write are one atomic step there.
 */

export interface AppliedFacts {
  status?: string | undefined;
  hrisOccurredAt?: string | undefined;
  statusOccurredAt?: string | undefined;
  /** The request that last wrote the profile facts. */
  lastRequestId?: string | undefined;
  /** The leaver execution that claimed the status time and has not marked the person left yet. */
  leavingBy?: string | undefined;
}

const at = (iso: string | undefined): number | undefined => (iso === undefined ? undefined : Date.parse(iso));

/** True when an event at `occurredAt` is newer than `applied` (absent: nothing applied yet). */
export function isNewer(applied: string | undefined, occurredAt: string): boolean {
  const before = at(applied);
  return before === undefined || Date.parse(occurredAt) > before;
}

/** Why a leave is stale: the person's status was set by an event at least as new (a rehire). */
export function staleLeave(facts: AppliedFacts | undefined, occurredAt: string): StaleReason | undefined {
  if (!facts?.statusOccurredAt || isNewer(facts.statusOccurredAt, occurredAt)) return undefined;
  // A leave of this instant claimed the status (leaver Cancel Pending Work) and did not finish: run it again.
  if (facts.leavingBy !== undefined && facts.status !== 'left' && at(facts.statusOccurredAt) === Date.parse(occurredAt)) return undefined;
  return 'newer-applied';
}

/** Why a role change is stale: the profile facts were written by a newer event, or the person left. */
export function staleChange(facts: AppliedFacts | undefined, occurredAt: string): StaleReason | undefined {
  if (!facts) return undefined;
  if (facts.status === 'left') return 'left-after';
  if (facts.hrisOccurredAt !== undefined && at(facts.hrisOccurredAt)! > Date.parse(occurredAt)) return 'newer-applied';
  return undefined;
}

/**
 * `newer-applied`: a newer (or equally new) event already set these facts; `left-after`: the person
 * left, and only a newer rehire brings them back; `left-before-ordering`: they left before event
 * times were kept, so only an operator's reinstatement can.
 */
export type StaleReason = 'newer-applied' | 'left-after' | 'left-before-ordering';

export const STALE_REASONS: Record<StaleReason, string> = {
  'newer-applied': 'a newer HRIS event for this person was already applied',
  'left-after': 'the person left; only a rehire newer than the leave brings them back',
  'left-before-ordering': 'the person left before event times were recorded; an operator must reinstate them',
};

/** What an HRIS event says about the person, and when and by which request it was written. */
export interface EmployeeFacts {
  employee: Employee;
  /** The HRIS event's time; an older event never overwrites a newer one. */
  occurredAt: string;
  requestId: string;
  at: string;
}
