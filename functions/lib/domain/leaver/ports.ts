import type { LeaveGrant } from './schemas.ts';

/** The leaver's port on the employees and grants tables. Implemented in: dynamodb/employees/leave.ts. */

export interface LeaveStore {
  userNameOf(employeeId: string): Promise<string | undefined>;
  activeGrants(employeeId: string): Promise<LeaveGrant[]>;
  /** Active grants become `revoked`; returns those this execution closed (also on a retry). */
  closeGrants(employeeId: string, executionName: string, at: string): Promise<LeaveGrant[]>;
  /**
   * `marked`, or `unchanged` when already left, unknown, or when the person's status was set by an
   * event newer than this leave's `occurredAt` (a rehire after it). The leave's time is kept as
   * `statusOccurredAt`: a leave is final against anything older (domain/ordering/person-facts.ts).
   */
  markLeft(employeeId: string, executionName: string, at: string, occurredAt?: string): Promise<'marked' | 'unchanged'>;
  /**
   * Before anything is revoked: the leave's time becomes the person's `statusOccurredAt` (status
   * unchanged until markLeft) and `leavingBy` names this execution, so a hire older than the leave
   * that arrives while the leaver runs is stale at its gate instead of provisioning behind the
   * revocation. `unchanged` when a newer status event was applied. A person the table does not know
   * (the leave delivered before the hire) becomes a `tombstone`: recorded as left at the leave's time,
   * so an older hire delivered later is stale at its gate instead of provisioning a leaver.
   */
  claimLeave(employeeId: string, executionName: string, occurredAt: string): Promise<'claimed' | 'tombstone' | 'unchanged'>;
}

/**
 * The time-bound requests whose grants a leave closed: each ends `revoked`, as an early revoke
 * would end it, instead of still saying `granted`. Implemented in: dynamodb/requests.ts
 * (createTimeBoundRequests); `false` when the request had already ended.
 */
export interface EndedRequests {
  markEnded(requestId: string, at: string, reason: 'revoked', revokedBy: string): Promise<boolean>;
}
