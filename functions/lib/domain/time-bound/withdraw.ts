import type { Approval } from '../approvals/approval.ts';
import { RequestWithdrawnError } from '../approvals/errors.ts';
import type { ApprovalRepository, TaskCallbacks } from '../approvals/ports.ts';
import type { Clock } from '../shared/clock.ts';
import { ConflictError, ForbiddenError } from '../shared/errors.ts';
import { statusOf, type TimeBoundRequestView } from './ports.ts';

/**
 * Withdraw: the requester (or an operator) takes back a time-bound request that still waits for
 * approval (issue #18). The open approval is cancelled as withdrawn, by whom and why (a conditional
 * write: an approver's click and the withdrawal cannot both win), then its waiting task is failed
 * under RequestWithdrawnError's name; the time-bound machine's Catch ends the run as `withdrawn`
 * (Record Withdrawal: the `request.withdrawn` audit entry, the approvers told, Slack rewritten).
 *
 * Idempotent: a second call finds the approval already withdrawn, answers the same, and only
 * repeats the task failure (a no-op, `task-gone`, once Step Functions has it), which also
 * finishes a first call that crashed between the two writes. Pure: ports only.
 */

export interface WithdrawDeps {
  approvals: Pick<ApprovalRepository, 'withdraw'>;
  /** The newest approval of the request's execution, read consistently (dynamodb/approvals.ts createApprovalLookup). */
  newestApproval(requestId: string, executionId: string): Promise<Approval | undefined>;
  callbacks: Pick<TaskCallbacks, 'fail'>;
  clock: Clock;
}

export interface Withdrawer {
  email: string;
  /** Whether the caller is the one who asked; anyone else may withdraw only as an operator. */
  isRequester: boolean;
  isOperator: boolean;
}

/** What the edge answers, the same on every call for one request. */
export interface Withdrawn {
  requestId: string;
  status: 'withdrawn';
}

/** The task failure's Cause: who, by role only (the person's e-mail stays on the approval item). */
const causeOf = (approval: Approval): string => `withdrawn by ${approval.withdrawnAs === 'operator' ? 'an operator' : 'the requester'}`;

function notWithdrawable(request: TimeBoundRequestView, status: string): ConflictError {
  const id = request.requestId;
  if (status === 'granted') return new ConflictError(`request ${id} is already granted; end it with revoke instead (gatehouse revoke ${id} --reason ...)`);
  if (status === 'approved') return new ConflictError(`request ${id} is already approved and being granted; revoke it once granted`);
  return new ConflictError(`request ${id} is ${status}; only a request waiting for approval can be withdrawn`);
}

function closedApproval(request: TimeBoundRequestView, approval: Approval | undefined): ConflictError {
  const id = request.requestId;
  const chain = request.decision.decision === 'needs-approval' ? request.decision.chain.length : 0;
  const moreSteps = approval?.status === 'approved' && approval.step < chain - 1;
  if (!approval || approval.status === 'superseded' || moreSteps) return new ConflictError(`request ${id} has no approval open yet (its approver is being asked, or the next step is); try again in a few seconds`);
  if (approval.status === 'cancelled') return new ConflictError(`request ${id} was cancelled (the person left); there is nothing to withdraw`);
  if (approval.status === 'pending') return new ConflictError(`request ${id}: its approval expired at ${approval.expiresAt}; there is nothing to withdraw`);
  return new ConflictError(`request ${id} was just ${approval.status} by ${approval.decidedBy ?? 'its approver'}; it can no longer be withdrawn`);
}

export async function withdrawRequest(deps: WithdrawDeps, who: Withdrawer, request: TimeBoundRequestView, reason: string | undefined): Promise<Withdrawn> {
  if (!who.isRequester && !who.isOperator) throw new ForbiddenError(`only the person who asked for request ${request.requestId}, or an operator, may withdraw it`);
  const answer: Withdrawn = { requestId: request.requestId, status: 'withdrawn' };
  const status = statusOf(request);
  if (status === 'withdrawn') return answer;
  if (status !== 'pending-approval') throw notWithdrawable(request, status);

  let approval = await deps.newestApproval(request.requestId, request.executionId);
  if (approval?.status === 'pending') {
    const withdrawal = { at: deps.clock.now().toISOString(), by: who.email, as: who.isRequester ? ('requester' as const) : ('operator' as const), ...(reason ? { reason } : {}) };
    // Undefined: an approver decided, or the link expired, a moment ago; the re-read says which.
    approval = (await deps.approvals.withdraw(approval.approvalId, withdrawal)) ?? (await deps.newestApproval(request.requestId, request.executionId));
  }
  if (approval?.status !== 'cancelled' || approval.withdrawnBy === undefined) throw closedApproval(request, approval);
  // delivered, or task-gone: the run has taken (or took) the failure; either way it ends withdrawn.
  await deps.callbacks.fail(approval.taskToken, RequestWithdrawnError.name, causeOf(approval));
  return answer;
}
