import type { AssignmentAction } from './progress.ts';
import type { AssignmentTarget } from './targets.ts';

/** What the account-assignment steps need of Identity Center (the sso-admin adapter implements it). */
export interface AccountAssignmentsPort {
  /** Whether the user holds the permission set on the account now. */
  isAssigned(userId: string, target: AssignmentTarget): Promise<boolean>;
  /**
   * Starts a create or delete. `busy` when Identity Center refuses for now: another operation on the
   * same assignment is in progress (ConflictException) or the outstanding-operations limit is reached.
   */
  start(action: AssignmentAction, userId: string, target: AssignmentTarget): Promise<{ requestId: string } | { busy: string }>;
  /** Every assignment the user holds, on any account (the leaver removes them all). */
  heldBy(userId: string): Promise<{ accountId: string; permissionSetArn: string }[]>;
  status(action: AssignmentAction, requestId: string): Promise<{ status: 'IN_PROGRESS' | 'SUCCEEDED' | 'FAILED'; failureReason?: string }>;
}

/** The person's Identity Center user (linked to the employee), if there is one. */
export interface PrincipalLookup {
  userIdOf(userName: string, employeeId: string): Promise<string | undefined>;
}
