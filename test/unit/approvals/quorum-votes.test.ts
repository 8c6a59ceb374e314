import { describe, expect, it } from 'vitest';
import { auditDraftSchema } from '#lib/domain/audit/entry';
import { decideAsSignedIn, viewApproval } from '#lib/domain/approvals/approval-page';
import { ApprovalClosedError } from '#lib/domain/approvals/errors';
import { requestApproval } from '#lib/domain/approvals/request-approval';
import type { Approval } from '#lib/domain/approvals/approval';
import type { Notification } from '#lib/domain/notifications/kinds';
import { renderApprovalPage } from '#lib/http/approval-page/render';
import { approvalInput, harness, requestRecord } from './fakes.ts';

/** An N-of-M step through the approval use cases: each approver a link, one token, the workflow resumed once. */

const LEADS = ['ana@example.com', 'ben@example.com', 'cy@example.com'];
const quorumStep = { kind: 'quorum' as const, approvers: LEADS, required: 2, entitlementIds: ['group:ProdAdmin'] };

async function twoOfThree() {
  const record = requestRecord({ decision: { decision: 'needs-approval', reason: 'r', chain: [quorumStep] }, requester: { employeeId: 'E2002', email: 'dora@example.com' } });
  const h = harness(record);
  const told: Notification[] = [];
  const notices = { notify: (n: Notification) => (told.push(n), Promise.resolve({ status: 'sent' })), records: h.requests, people: { person: () => Promise.resolve(undefined) } };
  const deps = { ...h.pageDeps, notices };
  const input = approvalInput({ approver: quorumStep });
  const result = await requestApproval(h.requestDeps, input);
  h.callbacks.waiting.add(input.taskToken);
  const byEmail = (email: string): Approval => [...h.approvals.approvals.values()].find((a) => a.approver.email === email)!;
  const vote = (email: string, decision: 'approve' | 'deny', comment?: string) => {
    h.clock.advance(1000);
    return decideAsSignedIn(deps, { approvalId: byEmail(email).approvalId, email, decision, ...(comment ? { comment } : {}) }, 'in the console');
  };
  return { h, deps, told, input, result, byEmail, vote };
}

describe('an N-of-M approval step', () => {
  it('mails each approver their own link, all bound to the one task token, audited once each', async () => {
    const { h, result, input } = await twoOfThree();

    expect(result).toMatchObject({ quorum: { required: 2, asked: [{ binding: 'created', mail: 'sent' }, { binding: 'created', mail: 'sent' }, { binding: 'created', mail: 'sent' }] } });
    expect(h.mailer.sent.map((mail) => mail.to)).toEqual(LEADS);
    expect(new Set([...h.approvals.approvals.values()].map((a) => a.approvalId)).size).toBe(3);
    expect([...h.approvals.approvals.values()].every((a) => a.taskToken === input.taskToken && a.quorum?.required === 2)).toBe(true);
    expect(h.audit.drafts.filter((d) => d.kind === 'approval.requested')).toHaveLength(3);
  });

  it('waits after one approval (counted, nothing resumed), then resumes once at the second and cancels the third, telling them', async () => {
    const { h, told, vote, byEmail } = await twoOfThree();

    const first = await vote('cy@example.com', 'approve', 'Looks right');
    expect(first).toMatchObject({ delivery: 'counted', quorum: { outcome: 'pending', approvedBy: ['cy@example.com'] } });
    expect(h.callbacks.calls).toHaveLength(0);

    const second = await vote('ana@example.com', 'approve');
    expect(second).toMatchObject({ delivery: 'delivered', quorum: { outcome: 'approved', approvedBy: ['cy@example.com', 'ana@example.com'] } });
    expect(h.callbacks.calls).toEqual([expect.objectContaining({ kind: 'succeed', output: expect.objectContaining({ approvedBy: ['cy@example.com', 'ana@example.com'] }) as unknown })]);
    expect(byEmail('ben@example.com').status).toBe('cancelled');
    expect(told.filter((n) => n.kind === 'cancelled')).toEqual([expect.objectContaining({ approverEmails: ['ben@example.com'], approvalStep: 0 })]);
    expect(told.filter((n) => n.kind === 'approved')).toEqual([expect.objectContaining({ requesterEmail: 'dora@example.com', approverEmail: 'ana@example.com' })]);

    const decided = h.audit.drafts.filter((d) => d.kind === 'approval.approved');
    expect(decided.map((d) => d.detail)).toEqual([
      expect.objectContaining({ comment: 'Looks right', quorum: { required: 2, of: 3, approvedBy: ['cy@example.com'], deniedBy: [], outcome: 'pending' } }),
      expect.objectContaining({ quorum: { required: 2, of: 3, approvedBy: ['cy@example.com', 'ana@example.com'], deniedBy: [], outcome: 'approved' } }),
    ]);
    for (const draft of h.audit.drafts) expect(auditDraftSchema.safeParse(draft).success).toBe(true);
    await expect(vote('ben@example.com', 'approve')).rejects.toBeInstanceOf(ApprovalClosedError);
  });

  it('counts a replayed link once: the same approver again changes nothing and resumes nothing', async () => {
    const { h, vote } = await twoOfThree();
    await vote('ana@example.com', 'approve');

    await expect(vote('ana@example.com', 'approve')).rejects.toBeInstanceOf(ApprovalClosedError);
    expect(h.callbacks.calls).toHaveLength(0);
    expect(h.audit.drafts.filter((d) => d.kind === 'approval.approved')).toHaveLength(1);
  });

  it('finishes the step once when two votes race for the last place: one resumes, the other is counted', async () => {
    const { h, told, vote } = await twoOfThree();

    const [a, b] = await Promise.all([vote('ana@example.com', 'approve'), vote('ben@example.com', 'approve')]);

    expect([a.delivery, b.delivery].sort()).toEqual(['counted', 'delivered']);
    expect(h.callbacks.calls.filter((call) => call.kind === 'succeed').length).toBeGreaterThanOrEqual(1);
    expect(h.callbacks.waiting.size).toBe(0);
    expect(told.filter((n) => n.kind === 'cancelled')).toHaveLength(1);
  });

  it('is denied once too few approvers are left to reach the quorum (quorum.ts), not at the first denial', async () => {
    const { h, vote, byEmail } = await twoOfThree();

    expect(await vote('ana@example.com', 'deny', 'Not this week')).toMatchObject({ delivery: 'counted', quorum: { outcome: 'pending' } });
    const second = await vote('ben@example.com', 'deny', 'No ticket');
    expect(second).toMatchObject({ delivery: 'delivered', quorum: { outcome: 'denied', deniedBy: ['ana@example.com', 'ben@example.com'] } });
    expect(h.callbacks.calls).toEqual([expect.objectContaining({ kind: 'fail', error: 'ApprovalDeniedError', cause: 'Denied at approval step 1: too few approvers left to reach 2.' })]);
    expect(byEmail('cy@example.com').status).toBe('cancelled');
  });

  it('shows the tally on the page: "1 of 2 approvals so far: <who> approved (<comment>)"', async () => {
    const { h, deps, vote, byEmail } = await twoOfThree();
    await vote('cy@example.com', 'approve', 'Looks right');

    const open = renderApprovalPage(await viewApproval(deps, byEmail('ana@example.com').approvalId, { authenticated: false }));
    expect(open).toContain('1 of 2 approvals so far: cy@example.com approved (Looks right)');
    expect(open).toContain('as one of 3 approvers of group:ProdAdmin, any 2 of whom approve');
    const mine = renderApprovalPage(await viewApproval(deps, byEmail('cy@example.com').approvalId, { authenticated: false }));
    expect(mine).toContain('Your decision counts: 1 of 2 approvals so far');

    await vote('ana@example.com', 'approve');
    const closed = renderApprovalPage(await viewApproval(h.pageDeps, byEmail('ben@example.com').approvalId, { authenticated: false }));
    expect(closed).toContain('No decision is needed from you any more:</strong> Approved with 2 of 2 approvals: cy@example.com approved (Looks right), ana@example.com approved.');
  });
});
