import type { Requester } from '#lib/domain/policy/schema';
import { MissingApproverError } from '#lib/domain/policy/errors';

/**
 * N-of-M approval (issue #17): an entitlement's owners may ask for any `required` of a list of
 * named approvers ("2 of 3 security leads") instead of every one in order (the catalogue's
 * `approval.quorum`, `quorumPolicySchema` in catalogue/schema.ts). Pure policy: who may
 * count for a step, and what a set of decisions adds up to. Each person counts once (their first
 * decision stands; a second click, a replayed link or a Slack click after the mail adds nothing),
 * and neither the subject nor the requester ever counts, even when the list names them: they are
 * dropped when the step is built, and their decisions are ignored if one reaches the tally.
 */

const normalise = (email: string): string => email.trim().toLowerCase();

/** A quorum whose approvers are mailboxes already (approval-chain.ts resolves `manager` and `owners`). */
export interface ResolvedQuorum {
  approvers: readonly string[];
  required: number;
}

/** One N-of-M step of an approval chain: who may answer (lower-cased), and how many must approve. */
export interface QuorumStep {
  entitlementId: string;
  approvers: string[];
  required: number;
}

type Person = Pick<Requester, 'employeeId' | 'email'>;

/**
 * The people whose decisions never count: the subject and, when someone else asked, the requester.
 * The subject's mailbox may be unknown where only the request record is at hand (the approval page):
 * their decision cannot reach the tally there anyway, as each vote comes from an approver the step named.
 */
export interface QuorumParties {
  subject: Pick<Person, 'employeeId'> & { email?: string };
  requester?: Person;
}

const partyOf = (email: string, parties: QuorumParties): 'subject' | 'requester' | undefined =>
  parties.subject.email !== undefined && email === normalise(parties.subject.email)
    ? 'subject'
    : parties.requester && email === normalise(parties.requester.email)
      ? 'requester'
      : undefined;

/**
 * The step for `entitlementId` under `policy`: the named approvers without the subject and the
 * requester. MissingApproverError when fewer than `required` are left (the catalogue or the
 * request must change: a 2-of-3 list that names the requester still works, one that names two does not).
 */
export function quorumStep(entitlementId: string, policy: ResolvedQuorum, parties: QuorumParties): QuorumStep {
  const approvers = policy.approvers.map(normalise);
  const dropped = approvers.filter((email) => partyOf(email, parties) !== undefined);
  const eligible = approvers.filter((email) => partyOf(email, parties) === undefined);
  if (eligible.length < policy.required) {
    throw new MissingApproverError(
      `${policy.required} approvers for ${entitlementId}`,
      `${entitlementId} needs ${policy.required} of ${approvers.length} approvers, but only ${eligible.length} may approve this request: ${dropped.join(', ')} cannot approve their own request`,
    );
  }
  return { entitlementId, approvers: eligible, required: policy.required };
}

export interface ApprovalVote {
  /** Who decided: the approver the link was mailed to, or the Slack user mapped to that e-mail. */
  approver: string;
  decision: 'approve' | 'deny';
}

export type IgnoredWhy = 'subject' | 'requester' | 'not-named' | 'repeat';

export interface QuorumTally {
  /** Distinct approvers who approved, in the order they did. */
  approvedBy: string[];
  /** Distinct approvers who denied, in the order they did. */
  deniedBy: string[];
  /** Decisions that count for nothing, and why. */
  ignored: { approver: string; why: IgnoredWhy }[];
  /** `approved` once `required` distinct approvers approved; `denied` once so many denied that `required` can no longer be reached. */
  outcome: 'approved' | 'denied' | 'pending';
}

/** What the decisions so far add up to, in the order they were made. */
export function tallyQuorum(step: QuorumStep, votes: readonly ApprovalVote[], parties: QuorumParties): QuorumTally {
  const named = new Set(step.approvers);
  const decided = new Set<string>();
  const tally: QuorumTally = { approvedBy: [], deniedBy: [], ignored: [], outcome: 'pending' };
  for (const vote of votes) {
    const approver = normalise(vote.approver);
    const party = partyOf(approver, parties);
    const why: IgnoredWhy | undefined = party ?? (!named.has(approver) ? 'not-named' : decided.has(approver) ? 'repeat' : undefined);
    if (why) {
      tally.ignored.push({ approver, why });
      continue;
    }
    decided.add(approver);
    (vote.decision === 'approve' ? tally.approvedBy : tally.deniedBy).push(approver);
  }
  if (tally.approvedBy.length >= step.required) tally.outcome = 'approved';
  else if (step.approvers.length - tally.deniedBy.length < step.required) tally.outcome = 'denied';
  return tally;
}
