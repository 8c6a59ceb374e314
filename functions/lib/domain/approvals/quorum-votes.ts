import { tallyQuorum, type ApprovalVote, type QuorumTally } from '../policy/quorum.ts';
import type { RequestRecord } from '../requests/request-record.ts';
import { slotKey, type Approval } from './approval.ts';
import { tellApproversCancelled, type CancelledNoticeDeps } from './cancelled-notice.ts';
import type { ApprovalRepository } from './ports.ts';

/**
 * The votes of one N-of-M step (issue #17). Every approver of the step was mailed their own link,
 * all bound to the step's one task token (request-approval.ts). A decision is recorded on the
 * voter's approval item first (conditional: pending and unexpired, so a replayed link counts once);
 * then the step's approvals are read again and tallied (domain/policy/quorum.ts). While the tally
 * is pending the vote is `counted` and nothing resumes; once it is approved (or can no longer be),
 * the vote resumes the task, and the approvals still pending are cancelled and their approvers told.
 *
 * Two votes racing for the last place: each writes its own item and then reads the others with
 * strongly consistent reads (GetItem), so at least one of them sees both and resumes the task.
 * If both do, Step Functions accepts one callback and answers the other "task gone" (the token is
 * spent), and that vote is `counted`: the workflow resumes once. Cancelling the rest and the
 * `cancelled` notice are safe to repeat (conditional cancel, the notification ledger), so both may run them.
 */

/** The current approval of each approver of the step, read through its slot (consistent), with `approval` itself as its approver's. */
export async function stepApprovals(approvals: Pick<ApprovalRepository, 'get' | 'getSlot'>, approval: Approval): Promise<Approval[]> {
  const emails = approval.quorum?.approvers ?? [approval.approver.email];
  const found = await Promise.all(
    emails.map(async (email) => {
      if (email === approval.approver.email) return approval;
      const slot = await approvals.getSlot(slotKey(approval.executionId, approval.requestId, approval.step, email));
      return slot ? approvals.get(slot.currentApprovalId) : undefined;
    }),
  );
  return found.filter((item): item is Approval => item !== undefined && item.tokenHash === approval.tokenHash);
}

const decidedAt = (approval: Approval): string => approval.decidedAt ?? '';

/** What the step's decisions add up to, in the order they were made. */
export function tallyOf(approval: Approval, members: readonly Approval[], record: Pick<RequestRecord, 'employeeId' | 'requester'> | undefined): QuorumTally {
  const quorum = approval.quorum ?? { required: 1, approvers: [approval.approver.email] };
  const votes: ApprovalVote[] = members
    .filter((member) => member.status === 'approved' || member.status === 'denied')
    .sort((a, b) => decidedAt(a).localeCompare(decidedAt(b)) || a.approvalId.localeCompare(b.approvalId))
    .map((member) => ({ approver: member.approver.email, decision: member.status === 'approved' ? 'approve' : 'deny' }));
  const parties = { subject: { employeeId: approval.employeeId }, ...(record?.requester ? { requester: record.requester } : {}) };
  return tallyQuorum({ entitlementId: approval.approver.entitlementIds.join(', '), approvers: quorum.approvers, required: quorum.required }, votes, parties);
}

/** The tally as the audit entry of a decision keeps it. */
export const auditedTally = (approval: Approval, tally: QuorumTally) => ({
  required: approval.quorum?.required ?? 1,
  of: approval.quorum?.approvers.length ?? 1,
  approvedBy: tally.approvedBy,
  deniedBy: tally.deniedBy,
  outcome: tally.outcome,
});

/**
 * The step is decided: cancels the approvals still pending and tells their approvers (`cancelled`,
 * one notice per step). Returns the notice's status, or `none-pending`.
 */
export async function closeStep(
  deps: { approvals: Pick<ApprovalRepository, 'cancel' | 'get'>; notices?: Pick<CancelledNoticeDeps, 'notify' | 'records'> },
  members: readonly Approval[],
  tally: QuorumTally,
  at: string,
): Promise<string> {
  const cancelled: string[] = [];
  for (const member of members) if (member.status === 'pending' && (await deps.approvals.cancel(member.approvalId, at))) cancelled.push(member.approvalId);
  if (cancelled.length === 0 || !deps.notices) return 'none-pending';
  const step = members[0]!.step;
  const how = tally.outcome === 'approved' ? `approved by ${tally.approvedBy.join(', ')}` : `denied by ${tally.deniedBy.join(', ')}`;
  const required = members[0]!.quorum?.required ?? 1;
  const [status] = await tellApproversCancelled(
    { approvals: deps.approvals, records: deps.notices.records, notify: deps.notices.notify },
    cancelled,
    () => `approval step ${step + 1} needed ${required} of ${members[0]!.quorum?.approvers.length ?? 1} approvers and was ${how}, so your decision is no longer needed`,
    step,
  ).catch((error: unknown) => [`failed: ${error instanceof Error ? error.name : 'unknown'}`]);
  return status ?? 'none-pending';
}
