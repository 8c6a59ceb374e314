import { clip } from '../shared/ids.ts';
import type { AccountAssignmentsPort, PrincipalLookup } from './ports.ts';
import { compensate, planOperations, stateOf, type AssignmentAction, type AssignmentOperation, type AssignmentProgress } from './progress.ts';
import type { AssignmentTarget } from './targets.ts';

/**
 * One turn of the account-assignment loop ("Assign Accounts" / "Check Account Assignments",
 * and the same on the revoke path): read the status of every request in progress, start what
 * is pending (at most `maxInFlight` outstanding per execution, below Identity Center's 15 per
 * instance, so other executions get their share), and say whether to wait and check again.
 *
 * - Idempotent by person and assignment: a create of an assignment the user already holds is
 *   `existed` (and never undone here); a delete of one already gone succeeds.
 * - A FAILED create ends the work as `failed` with AWS's FailureReason, after deleting again what
 *   this run created: nothing is left behind. A FAILED delete ends `failed` too (the revoke is re-run).
 * - Throttling, ConflictException or the outstanding limit leave an operation pending for the next turn.
 */

export interface AdvanceDeps {
  sso: AccountAssignmentsPort;
  principals: PrincipalLookup;
  /** Seconds between checks (the Wait state's SecondsPath). */
  waitSeconds: number;
  maxInFlight?: number;
}

export interface AdvanceInput {
  employeeId: string;
  /** The person's Identity Center user name (work e-mail); null when they have none. */
  userName: string | null;
  /** The first turn: what to do. Later turns pass `progress` instead. */
  action?: AssignmentAction;
  targets?: readonly AssignmentTarget[];
  /** The leaver: delete every assignment the user holds, whichever grant (or administrator) made it. */
  allHeld?: boolean;
  progress?: AssignmentProgress;
}

/** The entitlement id a held assignment is reported under when it is removed as "everything the user holds". */
export const HELD_ASSIGNMENT = 'account-assignment:held';

/** The Step Functions error a failed assignment ends as (statemachines: "Account Assignment Failed"). */
export const ACCOUNT_ASSIGNMENT_FAILED = 'AccountAssignmentFailedError';

export const DEFAULT_MAX_IN_FLIGHT = 5;

export async function advanceAssignments(deps: AdvanceDeps, input: AdvanceInput): Promise<AssignmentProgress> {
  let operations: AssignmentOperation[] = input.progress?.operations.map((op) => ({ ...op })) ?? planOperations(input.action ?? 'create', input.targets ?? []);
  let failure = input.progress?.failure;
  const finish = (): AssignmentProgress => progressOf(operations, failure, deps.waitSeconds);
  if (stateOf(operations, false) !== 'in-progress' && !(input.allHeld && !input.progress)) return finish();

  const userId = input.userName ? await deps.principals.userIdOf(input.userName, input.employeeId) : undefined;
  if (userId && input.allHeld && !input.progress) {
    const held = await deps.sso.heldBy(userId);
    operations = planOperations(
      'delete',
      held.map(({ accountId, permissionSetArn }) => ({ entitlementId: HELD_ASSIGNMENT, permissionSet: permissionSetArn, accountId })),
    );
  }
  if (!userId) {
    // Without a user nothing can be assigned; and nothing is assigned to a user who is gone.
    const reason = `employee ${input.employeeId} has no Identity Center user`;
    operations = operations.map((op) => (isOpen(op) ? { ...op, status: op.action === 'create' ? 'failed' : 'skipped', reason } : op));
    const failed = operations.find((op) => op.status === 'failed');
    if (failed && !failure) failure = failureOf(failed, reason);
    return finish();
  }

  for (const op of operations.filter((candidate) => candidate.status === 'in-progress')) {
    const { status, failureReason } = await deps.sso.status(op.action, op.requestId ?? '');
    if (status === 'IN_PROGRESS') continue;
    op.status = status === 'SUCCEEDED' ? 'succeeded' : 'failed';
    if (status === 'FAILED') {
      op.reason = clip(failureReason ?? 'no reason given', 1000);
      if (!failure) {
        failure = failureOf(op, op.reason);
        if (op.action === 'create') operations = compensate(operations);
      }
    }
  }

  const limit = deps.maxInFlight ?? DEFAULT_MAX_IN_FLIGHT;
  for (const op of operations.filter((candidate) => candidate.status === 'pending')) {
    if (operations.filter((candidate) => candidate.status === 'in-progress').length >= limit) break;
    const assigned = await deps.sso.isAssigned(userId, op.target);
    if (op.action === 'create' && assigned) Object.assign(op, { status: 'succeeded', existed: true });
    else if (op.action === 'delete' && !assigned) op.status = 'succeeded';
    else {
      const started = await deps.sso.start(op.action, userId, op.target);
      if ('requestId' in started) Object.assign(op, { status: 'in-progress', requestId: started.requestId });
    }
  }
  return finish();
}

const isOpen = (op: AssignmentOperation): boolean => op.status === 'pending' || op.status === 'in-progress';

function failureOf(op: AssignmentOperation, reason: string): NonNullable<AssignmentProgress['failure']> {
  return { entitlementId: op.target.entitlementId, accountId: op.target.accountId, action: op.action, reason };
}

function progressOf(operations: AssignmentOperation[], failure: AssignmentProgress['failure'], waitSeconds: number): AssignmentProgress {
  const state = stateOf(operations, failure !== undefined);
  const progress: AssignmentProgress = { state, operations, waitSeconds, ...(failure ? { failure } : {}) };
  if (state !== 'failed' || !failure) return progress;
  const verb = failure.action === 'create' ? 'assignment' : 'removal';
  const undone = operations.filter((op) => op.action === 'delete' && op.status === 'succeeded' && failure.action === 'create').length;
  const cause = `${failure.entitlementId} on account ${failure.accountId}: ${verb} FAILED: ${failure.reason}${failure.action === 'create' ? `; ${undone} assignment(s) made by this request removed again` : ''}`;
  return { ...progress, error: { Error: ACCOUNT_ASSIGNMENT_FAILED, Cause: clip(cause, 1000) } };
}
