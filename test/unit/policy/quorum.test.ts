import { describe, expect, it } from 'vitest';
import { MissingApproverError } from '#lib/domain/policy/errors';
import { quorumPolicySchema } from '#lib/domain/catalogue/schema';
import { quorumStep, tallyQuorum, type ApprovalVote } from '#lib/domain/policy/quorum';

/** N-of-M approvals as pure policy: distinct approvers, first decision stands, never the subject or the requester. */

const LEADS = ['ana.sec@example.com', 'ben.sec@example.com', 'cy.sec@example.com'];
const subject = { employeeId: 'E-1', email: 'erin@example.com' };
const requester = { employeeId: 'E-2', email: 'Ben.Sec@example.com' };
const twoOfThree = quorumPolicySchema.parse({ approvers: LEADS, required: 2 });
const approve = (approver: string): ApprovalVote => ({ approver, decision: 'approve' });
const deny = (approver: string): ApprovalVote => ({ approver, decision: 'deny' });

describe('an N-of-M step', () => {
  it('is approved by any two distinct named approvers of three, and pending after one', () => {
    const step = quorumStep('account-assignment:ProdAdministrator', twoOfThree, { subject });
    expect(tallyQuorum(step, [approve(LEADS[2]!)], { subject }).outcome).toBe('pending');
    expect(tallyQuorum(step, [approve(LEADS[2]!), approve(LEADS[0]!)], { subject })).toMatchObject({ outcome: 'approved', approvedBy: [LEADS[2], LEADS[0]] });
  });

  it('counts the same person once, whatever the case of the address: their first decision stands', () => {
    const step = quorumStep('x:y', twoOfThree, { subject });
    const tally = tallyQuorum(step, [approve(LEADS[0]!), approve(LEADS[0]!.toUpperCase()), deny(LEADS[0]!)], { subject });
    expect(tally).toEqual({
      approvedBy: [LEADS[0]],
      deniedBy: [],
      ignored: [
        { approver: LEADS[0], why: 'repeat' },
        { approver: LEADS[0], why: 'repeat' },
      ],
      outcome: 'pending',
    });
  });

  it('never counts the requester (dropped from the step, ignored in the tally) nor anyone not named', () => {
    const parties = { subject, requester };
    const step = quorumStep('x:y', twoOfThree, parties);
    expect(step.approvers).toEqual([LEADS[0], LEADS[2]]);
    const tally = tallyQuorum(step, [approve('ben.sec@example.com'), approve('mallory@example.com'), approve(LEADS[0]!)], parties);
    expect(tally).toMatchObject({ outcome: 'pending', approvedBy: [LEADS[0]], ignored: [{ approver: 'ben.sec@example.com', why: 'requester' }, { approver: 'mallory@example.com', why: 'not-named' }] });
  });

  it('is denied as soon as the approvals left cannot reach the quorum', () => {
    const step = quorumStep('x:y', twoOfThree, { subject });
    expect(tallyQuorum(step, [deny(LEADS[0]!)], { subject }).outcome).toBe('pending');
    expect(tallyQuorum(step, [deny(LEADS[0]!), approve(LEADS[1]!), deny(LEADS[2]!)], { subject })).toMatchObject({ outcome: 'denied', deniedBy: [LEADS[0], LEADS[2]] });
  });

  it('cannot be built when the subject and the requester leave fewer than required, naming them', () => {
    const threeOfThree = quorumPolicySchema.parse({ approvers: LEADS, required: 3 });
    expect(() => quorumStep('x:y', threeOfThree, { subject, requester })).toThrow(MissingApproverError);
    expect(() => quorumStep('x:y', threeOfThree, { subject, requester })).toThrow(/needs 3 of 3 approvers, but only 2 may approve this request: ben\.sec@example\.com/);
  });

  it('refuses a policy that asks more approvals than approvers, or names one twice', () => {
    expect(quorumPolicySchema.safeParse({ approvers: LEADS, required: 4 }).error?.issues[0]).toMatchObject({ path: ['required'], message: 'required must be at most the number of approvers' });
    expect(quorumPolicySchema.safeParse({ approvers: [LEADS[0], LEADS[0]!.toUpperCase()], required: 1 }).error?.issues[0]?.message).toBe('approvers must not repeat an approver');
    expect(quorumPolicySchema.safeParse({ approvers: LEADS, required: 0 }).success).toBe(false);
  });
});
