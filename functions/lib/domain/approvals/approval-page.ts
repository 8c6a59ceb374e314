import { tellApproved, type ApprovedNotices } from './approved-notice.ts';
import type { AuditStore } from '../audit/ports.ts';
import type { RequestRepository } from '../requests/ports.ts';
import type { RequestRecord } from '../requests/request-record.ts';
import { approvalIdSchema, approvalState, normaliseEmail, type Approval, type ApprovalState } from './approval.ts';
import type { Clock } from '../shared/clock.ts';
import type { ApprovalHistory, ApprovalRepository, EarlierStep } from './ports.ts';
import { csrfToken, verifyCsrf } from './csrf.ts';
import {
  APPROVAL_DENIED_ERROR,
  ApprovalClosedError,
  ApprovalExpiredError,
  ApprovalNotFoundError,
  ApproverMismatchError,
  CsrfRejectedError,
  RequestRecordMissingError,
} from './errors.ts';
import type { TaskCallbacks } from './ports.ts';
import type { QuorumTally } from '../policy/quorum.ts';
import { auditedTally, closeStep, stepApprovals, tallyOf } from './quorum-votes.ts';

/**
 * The approval page's use cases. GET (`viewApproval`) reads only. POST (`decideApproval`)
 * decides once: CSRF and identity first, then a conditional write (pending and unexpired)
 * records the decision, then Step Functions hears it. If the process dies between the two,
 * the approval is `decided` with delivery `pending`, and the same decision posted again
 * finishes the delivery (the audit entry and the SFN call are both idempotent for it).
 *
 * Who may decide. With a JWT authorizer on the route, the caller's `email` claim must be the
 * approver the link was sent to (else 403, nothing changes). Without one, the proof is
 * possession: the 256-bit link was mailed only to that approver, and the CSRF token (HMAC of
 * a server-side secret) plus its SameSite=Strict cookie show the POST came from the page the
 * link opened, in the same browser.
 */

export interface ApprovalPageDeps {
  approvals: ApprovalRepository;
  requests: Pick<RequestRepository, 'get'>;
  callbacks: TaskCallbacks;
  audit?: Pick<AuditStore, 'append'>;
  clock: Clock;
  /** Earlier steps of the chain, shown with their comments; absent: the page shows none. */
  history?: ApprovalHistory;
  /** Telling the requester the chain approved (approved-notice.ts); absent: nobody is told. */
  notices?: ApprovedNotices;
}

/** Who is asking: `email` is set only when an authorizer vouched for the caller. */
export type Viewer = { authenticated: false } | { authenticated: true; email: string | undefined };

export interface ApprovalView {
  approval: Approval;
  request: RequestRecord;
  state: ApprovalState;
  /** The form's CSRF token; only while the approval is open. */
  csrf?: string;
  now: Date;
  /** Steps of the same chain decided before this one, oldest first. */
  earlier?: EarlierStep[];
  /** An N-of-M step: its tally so far, and the approvals it counted (for their comments). */
  quorum?: { tally: QuorumTally; members: Approval[] };
}

export type DecisionInput = {
  approvalId: string;
  viewer: Viewer;
  decision: 'approve' | 'deny';
  csrf: string;
  csrfCookie: string | undefined;
  comment?: string;
};

export interface DecisionResult {
  approval: Approval;
  /** `counted`: a vote of an N-of-M step that did not itself resume the workflow (quorum-votes.ts). */
  delivery: 'delivered' | 'task-gone' | 'counted';
  /** An N-of-M step's tally after this vote. */
  quorum?: QuorumTally;
}

async function load(deps: ApprovalPageDeps, approvalId: string): Promise<Approval> {
  const approval = approvalIdSchema.safeParse(approvalId).success ? await deps.approvals.get(approvalId) : undefined;
  if (!approval) throw new ApprovalNotFoundError('no such approval');
  return approval;
}

function checkIdentity(approval: Approval, viewer: Viewer): void {
  if (!viewer.authenticated) return;
  if (viewer.email === undefined || normaliseEmail(viewer.email) !== normaliseEmail(approval.approver.email)) {
    throw new ApproverMismatchError('this approval was sent to someone else');
  }
}

export async function viewApproval(deps: ApprovalPageDeps, approvalId: string, viewer: Viewer): Promise<ApprovalView> {
  const approval = await load(deps, approvalId);
  checkIdentity(approval, viewer);
  const request = await deps.requests.get(approval.requestId);
  if (!request) throw new RequestRecordMissingError('the request behind this approval no longer exists');
  const now = deps.clock.now();
  const state = approvalState(approval, now);
  const undelivered = state.kind === 'decided' && state.delivery === 'pending';
  const earlier = approval.step > 0 && deps.history ? await deps.history.earlierSteps(approval.requestId, approval.executionId, approval.step) : [];
  const members = approval.quorum ? await stepApprovals(deps.approvals, approval) : undefined;
  const quorum = members ? { tally: tallyOf(approval, members, request), members } : undefined;
  return { approval, request, state, now, earlier, ...(quorum ? { quorum } : {}), ...(state.kind === 'open' || undelivered ? { csrf: csrfToken(approval) } : {}) };
}

function closedError(approval: Approval, state: ApprovalState): ApprovalClosedError | ApprovalExpiredError {
  switch (state.kind) {
    case 'expired':
    case 'open':
      return new ApprovalExpiredError('this approval link has expired');
    case 'decided':
      return new ApprovalClosedError(state, `this approval was already ${state.decision}`);
    case 'cancelled':
      return new ApprovalClosedError(state, 'this request was cancelled');
    case 'superseded':
      return new ApprovalClosedError(state, 'this link was replaced by a newer one');
  }
}

/** How long the caller that recorded a decision alone may deliver it; after that a retry of the same decision may. */
export const DELIVERY_LEASE_MS = 30_000;

export async function decideApproval(deps: ApprovalPageDeps, input: DecisionInput): Promise<DecisionResult> {
  const approval = await load(deps, input.approvalId);
  checkIdentity(approval, input.viewer);
  const verdict = verifyCsrf(approval, input.csrf, input.csrfCookie);
  if (verdict !== 'ok') throw new CsrfRejectedError(`csrf: ${verdict === 'bad-token' ? 'the form token is not valid' : 'the csrf cookie is missing or does not match'}`);
  return record(deps, approval, input, 'through the e-mailed link');
}

/**
 * The console's decision (POST /api/approvals/{id} with a bearer token): bound to the signed-in
 * approver's verified e-mail. No CSRF token: a cross-site page cannot attach the bearer token.
 * Slack's interactions decide here too (`channel` 'in Slack'), bound to the clicker's profile e-mail.
 */
export async function decideAsSignedIn(
  deps: ApprovalPageDeps,
  input: { approvalId: string; email: string; decision: 'approve' | 'deny'; comment?: string },
  channel = 'in the console',
): Promise<DecisionResult> {
  const approval = await load(deps, input.approvalId);
  checkIdentity(approval, { authenticated: true, email: input.email });
  return record(deps, approval, input, channel);
}

async function record(deps: ApprovalPageDeps, approval: Approval, input: { decision: 'approve' | 'deny'; comment?: string }, channel: string): Promise<DecisionResult> {
  const status = input.decision === 'approve' ? 'approved' : 'denied';
  const state = approvalState(approval, deps.clock.now());
  const now = deps.clock.now();
  const leaseUntil = new Date(now.getTime() + DELIVERY_LEASE_MS).toISOString();
  // A decision recorded earlier whose delivery did not finish (its caller crashed): the same
  // decision again finishes it, once the first caller's lease is over. A concurrent POST of the
  // same decision does not re-send it: the callback would find the task gone and store a lie.
  if (state.kind === 'decided' && state.delivery === 'pending' && state.decision === status) {
    if (await deps.approvals.claimDelivery(approval.approvalId, now.toISOString(), leaseUntil)) return deliver(deps, approval, channel);
    throw closedError(approval, state);
  }
  if (state.kind !== 'open') throw closedError(approval, state);

  const decided = await deps.approvals.decide(
    approval.approvalId,
    { status, decidedAt: now.toISOString(), decidedBy: approval.approver.email, deliveryLeaseUntil: leaseUntil, ...(input.comment ? { comment: input.comment } : {}) },
    now.toISOString(),
  );
  if (!decided) {
    const latest = await load(deps, approval.approvalId);
    throw closedError(latest, approvalState(latest, deps.clock.now()));
  }
  return deliver(deps, decided, channel);
}

async function deliver(deps: ApprovalPageDeps, approval: Approval, channel: string): Promise<DecisionResult> {
  if (approval.quorum) return deliverVote(deps, approval, channel);
  const delivery = await auditAndSend(deps, approval, channel).catch(async (error: unknown) => {
    // A failed audit write or callback: the approver's retry of the same decision may deliver at once.
    await deps.approvals.releaseDelivery(approval.approvalId);
    throw error;
  });
  const at = deps.clock.now().toISOString();
  await deps.approvals.recordDelivery(approval.approvalId, delivery, at);
  // What is stored is the truth the page tells: a delivery that beat this one stays `delivered`.
  const stored = delivery === 'task-gone' ? await deps.approvals.get(approval.approvalId) : undefined;
  if (stored?.delivery === 'delivered') return { approval: stored, delivery: 'delivered' };
  // Only the delivery that resumed the workflow tells; a retry of it finds the ledger's `sent`.
  if (delivery === 'delivered' && approval.status === 'approved' && deps.notices) await tellApproved(deps.notices, approval);
  return { approval: { ...approval, delivery, deliveredAt: at }, delivery };
}

/**
 * A vote of an N-of-M step (quorum-votes.ts): audited with the tally it leaves; the workflow
 * resumes only once the tally is decided, then the approvals still pending are cancelled and told.
 */
async function deliverVote(deps: ApprovalPageDeps, approval: Approval, channel: string): Promise<DecisionResult> {
  const counted = async () => {
    const [record, members] = await Promise.all([deps.requests.get(approval.requestId), stepApprovals(deps.approvals, approval)]);
    const tally = tallyOf(approval, members, record);
    await auditDecision(deps, approval, channel, tally);
    if (tally.outcome === 'pending') return { tally, members, delivery: 'counted' as const };
    // Decided: this vote resumes the task, unless a vote racing it already did (the token is spent: "task gone").
    const resumed = await resume(deps, approval, tally);
    return { tally, members, delivery: resumed === 'delivered' ? ('delivered' as const) : ('counted' as const) };
  };
  const { tally, members, delivery } = await counted().catch(async (error: unknown) => {
    await deps.approvals.releaseDelivery(approval.approvalId);
    throw error;
  });
  const at = deps.clock.now().toISOString();
  await deps.approvals.recordDelivery(approval.approvalId, delivery, at);
  if (tally.outcome !== 'pending') await closeStep({ approvals: deps.approvals, ...(deps.notices ? { notices: deps.notices } : {}) }, members, tally, at);
  if (delivery === 'delivered' && tally.outcome === 'approved' && deps.notices) await tellApproved(deps.notices, approval);
  return { approval: { ...approval, delivery, deliveredAt: at }, delivery, quorum: tally };
}

async function auditAndSend(deps: ApprovalPageDeps, approval: Approval, channel: string): Promise<'delivered' | 'task-gone'> {
  await auditDecision(deps, approval, channel);
  return resume(deps, approval);
}

async function auditDecision(deps: ApprovalPageDeps, approval: Approval, channel: string, tally?: QuorumTally): Promise<void> {
  const approved = approval.status === 'approved';
  if (deps.audit) {
    await deps.audit.append({
      kind: approved ? 'approval.approved' : 'approval.denied',
      subject: approval.employeeId,
      actor: { type: 'approver', id: approval.approver.email },
      requestId: approval.requestId,
      executionId: approval.executionId,
      reason: `${approved ? 'approved' : 'denied'} at approval step ${approval.step + 1} ${channel}`,
      idempotencyKey: `approval/${approval.ref}/decided`,
      // The comment goes into the hash-chained trail: the approvals table's item expires (TTL).
      detail: { approvalId: approval.ref, step: approval.step + 1, ...(approval.comment ? { comment: approval.comment } : {}), ...(tally ? { quorum: auditedTally(approval, tally) } : {}) },
    });
  }
}

/** Resumes the waiting task with the decision (for an N-of-M step: the tally's). */
function resume(deps: ApprovalPageDeps, approval: Approval, tally?: QuorumTally): Promise<'delivered' | 'task-gone'> {
  const approved = tally ? tally.outcome === 'approved' : approval.status === 'approved';
  return approved
    ? deps.callbacks.succeed(approval.taskToken, {
        approver: approval.approver.email,
        decision: 'approved',
        decidedAt: approval.decidedAt,
        comment: approval.comment ?? null,
        ...(tally ? { approvedBy: tally.approvedBy } : {}),
      })
    : // The cause is read by operators in the execution history: no names, no e-mail, no comment.
      deps.callbacks.fail(
        approval.taskToken,
        APPROVAL_DENIED_ERROR,
        tally ? `Denied at approval step ${approval.step + 1}: too few approvers left to reach ${approval.quorum?.required ?? 1}.` : `Denied at approval step ${approval.step + 1}.`,
      );
}
