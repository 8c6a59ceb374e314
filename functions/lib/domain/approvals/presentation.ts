import type { RequestRecord } from '../requests/request-record.ts';
import type { Approval } from './approval.ts';
import type { QuorumTally } from '../policy/quorum.ts';
import { clip } from '../shared/ids.ts';

/** Wording shared by the approval e-mail and the approval page. */

export { formatTime } from '../shared/dates.ts';

export const subjectName = (request: RequestRecord): string => `${request.employeeDisplayName} (${request.employeeId})`;

export { roleName } from '../requests/words.ts';

const KIND_WORDS: Record<RequestRecord['kind'], string> = {
  joiner: 'new joiner access',
  mover: 'access for a role change',
  'time-bound': 'time-bound (just-in-time) access',
  extension: 'an extension of time-bound access',
};
export const requestKindWords = (request: RequestRecord): string => KIND_WORDS[request.kind];

/** "Step 1 of 2" when the chain is known, else "Step 1". */
export function stepLabel(approval: Approval, request: RequestRecord): string {
  const total = request.decision.decision === 'needs-approval' ? request.decision.chain.length : undefined;
  return total && total > approval.step ? `Step ${approval.step + 1} of ${total}` : `Step ${approval.step + 1}`;
}

/**
 * Why a withdrawn approval closed, in the withdrawer's words: "The requester withdrew it: <why>".
 * The cancelled mail, the approval page and the `request.withdrawn` audit entry say it alike.
 */
export function withdrawnWords(approval: { withdrawnAs?: string | undefined; withdrawReason?: string | undefined }, max = 500): string {
  const who = approval.withdrawnAs === 'operator' ? 'An operator' : 'The requester';
  return clip(`${who} withdrew it${approval.withdrawReason ? `: ${approval.withdrawReason}` : ' (no reason given)'}`, max);
}

/** In what capacity the approver is asked. */
export function approverCapacity(approval: Approval): string {
  const { approver, quorum } = approval;
  if (quorum) return `as one of ${quorum.approvers.length} approvers of ${approver.entitlementIds.join(', ')}, any ${quorum.required} of whom approve`;
  if (approver.kind === 'manager') return 'as the employee’s manager';
  return approver.entitlementIds.length > 0 ? `as owner of ${approver.entitlementIds.join(', ')}` : 'as an entitlement owner';
}


/**
 * Where an N-of-M step stands, in one line: "1 of 2 approvals so far: ana@example.com approved
 * (Looks right)". `members` are the step's approvals, for the comments their votes carried.
 */
export function quorumProgress(tally: QuorumTally, members: readonly Approval[], required: number): string {
  const said = (email: string, verb: string): string => {
    const comment = members.find((member) => member.approver.email === email)?.comment;
    return comment ? `${email} ${verb} (${comment})` : `${email} ${verb}`;
  };
  const votes = [...tally.approvedBy.map((email) => said(email, 'approved')), ...tally.deniedBy.map((email) => said(email, 'denied'))];
  const count = `${tally.approvedBy.length} of ${required} approval${required === 1 ? '' : 's'}`;
  const head = tally.outcome === 'pending' ? `${count} so far` : tally.outcome === 'approved' ? `Approved with ${count}` : `Denied: too few approvers left for ${required} approvals`;
  return votes.length > 0 ? `${head}: ${votes.join(', ')}` : head;
}
