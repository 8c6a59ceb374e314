import { describe, expect, it } from 'vitest';
import { TransientError } from '#lib/domain/shared/errors';
import { auditDraftSchema } from '#lib/domain/audit/entry';
import { decideApproval, viewApproval, type DecisionInput } from '#lib/domain/approvals/approval-page';
import { csrfToken } from '#lib/domain/approvals/csrf';
import {
  APPROVAL_DENIED_ERROR,
  ApprovalClosedError,
  ApprovalExpiredError,
  ApprovalNotFoundError,
  ApproverMismatchError,
  CsrfRejectedError,
} from '#lib/domain/approvals/errors';
import { requestApproval } from '#lib/domain/approvals/request-approval';
import { approvalInput, harness } from './fakes.ts';

async function pending() {
  const h = harness();
  const input = approvalInput();
  await requestApproval(h.requestDeps, input);
  h.callbacks.waiting.add(input.taskToken);
  const approval = h.approvals.only();
  const csrf = csrfToken(approval);
  const post = (overrides: Partial<DecisionInput> = {}): DecisionInput => ({
    approvalId: approval.approvalId,
    viewer: { authenticated: false },
    decision: 'approve',
    csrf,
    csrfCookie: csrf,
    ...overrides,
  });
  return { h, approval, post, token: input.taskToken };
}

describe('viewApproval (GET)', () => {
  it('shows the approval and hands out a CSRF token, changing nothing', async () => {
    const { h, approval } = await pending();
    const before = structuredClone([...h.approvals.approvals.values()]);

    const view = await viewApproval(h.pageDeps, approval.approvalId, { authenticated: false });
    await viewApproval(h.pageDeps, approval.approvalId, { authenticated: false });

    expect(view.state).toEqual({ kind: 'open' });
    expect(view.csrf).toBe(csrfToken(approval));
    expect(view.request.employeeDisplayName).toBe('Ada Lovelace');
    expect([...h.approvals.approvals.values()]).toEqual(before);
    expect(h.callbacks.calls).toHaveLength(0);
  });

  it('gives no CSRF token once the approval cannot be decided', async () => {
    const { h, approval } = await pending();
    h.clock.advance(3600_000);

    const view = await viewApproval(h.pageDeps, approval.approvalId, { authenticated: false });

    expect(view.state).toEqual({ kind: 'expired' });
    expect(view.csrf).toBeUndefined();
  });

  it('refuses unknown or malformed ids and other authenticated people', async () => {
    const { h, approval } = await pending();

    await expect(viewApproval(h.pageDeps, 'A'.repeat(43), { authenticated: false })).rejects.toBeInstanceOf(ApprovalNotFoundError);
    await expect(viewApproval(h.pageDeps, 'slot#abc', { authenticated: false })).rejects.toBeInstanceOf(ApprovalNotFoundError);
    await expect(viewApproval(h.pageDeps, approval.approvalId, { authenticated: true, email: 'mallory@example.com' })).rejects.toBeInstanceOf(
      ApproverMismatchError,
    );
  });
});

describe('decideApproval (POST)', () => {
  it('approves once: records the decision, then resumes the task with the contract output', async () => {
    const { h, approval, post, token } = await pending();

    const result = await decideApproval(h.pageDeps, post({ comment: 'ok for the on-call rota' }));

    expect(result.delivery).toBe('delivered');
    expect(h.callbacks.calls).toEqual([
      {
        kind: 'succeed',
        taskToken: token,
        output: { approver: 'grace@example.com', decision: 'approved', decidedAt: '2025-03-03T08:00:00.000Z', comment: 'ok for the on-call rota' },
      },
    ]);
    expect(h.approvals.approvals.get(approval.approvalId)).toMatchObject({ status: 'approved', delivery: 'delivered', decidedBy: 'grace@example.com' });
    expect(h.audit.drafts.at(-1)).toMatchObject({ kind: 'approval.approved', actor: { type: 'approver', id: 'grace@example.com' }, detail: { approvalId: approval.ref, step: 1, comment: 'ok for the on-call rota' } });
  });

  it('denies with ApprovalDeniedError and a cause free of personal data', async () => {
    const { h, post } = await pending();

    await decideApproval(h.pageDeps, post({ decision: 'deny', comment: 'Ada should not have prod' }));

    const [call] = h.callbacks.calls;
    expect(call).toMatchObject({ kind: 'fail', error: APPROVAL_DENIED_ERROR });
    expect(call?.cause).not.toMatch(/Ada|grace|@|prod/i);
    expect(h.audit.drafts.at(-1)).toMatchObject({ kind: 'approval.denied', detail: { comment: 'Ada should not have prod' } });
    expect(auditDraftSchema.safeParse(h.audit.drafts.at(-1)).success).toBe(true);
  });

  it('accepts a link once: a second POST is ApprovalClosedError (409) and changes nothing', async () => {
    const { h, approval, post } = await pending();
    await decideApproval(h.pageDeps, post());
    const after = structuredClone(h.approvals.approvals.get(approval.approvalId));

    const second = decideApproval(h.pageDeps, post({ decision: 'deny' }));

    await expect(second).rejects.toBeInstanceOf(ApprovalClosedError);
    await expect(second).rejects.toMatchObject({ statusCode: 409 });
    expect(h.approvals.approvals.get(approval.approvalId)).toEqual(after);
    expect(h.callbacks.calls).toHaveLength(1);
  });

  it('refuses after expiry with ApprovalExpiredError (410)', async () => {
    const { h, post } = await pending();
    h.clock.advance(3600_000);

    await expect(decideApproval(h.pageDeps, post())).rejects.toBeInstanceOf(ApprovalExpiredError);
    expect(h.callbacks.calls).toHaveLength(0);
  });

  it('refuses a cancelled approval', async () => {
    const { h, approval, post } = await pending();
    await h.approvals.cancel(approval.approvalId, h.clock.now().toISOString());

    await expect(decideApproval(h.pageDeps, post())).rejects.toMatchObject({ statusCode: 409, state: { kind: 'cancelled' } });
  });

  it.each([
    ['a wrong form token', { csrf: 'A'.repeat(43) }],
    ['a missing cookie', { csrfCookie: undefined }],
    ['a cookie of another approval', { csrfCookie: 'B'.repeat(43) }],
  ])('refuses %s with 403 and changes nothing', async (_what, overrides) => {
    const { h, approval, post } = await pending();

    await expect(decideApproval(h.pageDeps, post(overrides))).rejects.toBeInstanceOf(CsrfRejectedError);
    expect(h.approvals.approvals.get(approval.approvalId)?.status).toBe('pending');
    expect(h.callbacks.calls).toHaveLength(0);
  });

  it('refuses an authenticated caller who is not the approver, and accepts the approver (any case)', async () => {
    const { h, approval, post } = await pending();

    await expect(decideApproval(h.pageDeps, post({ viewer: { authenticated: true, email: 'mallory@example.com' } }))).rejects.toBeInstanceOf(
      ApproverMismatchError,
    );
    await expect(decideApproval(h.pageDeps, post({ viewer: { authenticated: true, email: undefined } }))).rejects.toBeInstanceOf(
      ApproverMismatchError,
    );
    expect(h.approvals.approvals.get(approval.approvalId)?.status).toBe('pending');

    await decideApproval(h.pageDeps, post({ viewer: { authenticated: true, email: 'GRACE@example.com' } }));
    expect(h.approvals.approvals.get(approval.approvalId)?.status).toBe('approved');
  });

  it('records task-gone when Step Functions no longer waits', async () => {
    const { h, approval, post, token } = await pending();
    h.callbacks.waiting.delete(token);

    const result = await decideApproval(h.pageDeps, post());

    expect(result.delivery).toBe('task-gone');
    expect(h.approvals.approvals.get(approval.approvalId)).toMatchObject({ status: 'approved', delivery: 'task-gone' });
  });

  it('finishes an interrupted delivery when the same decision is posted again, and only then', async () => {
    const { h, approval, post } = await pending();
    h.callbacks.failNext = new TransientError('SFN throttled');

    await expect(decideApproval(h.pageDeps, post())).rejects.toBeInstanceOf(TransientError);
    expect(h.approvals.approvals.get(approval.approvalId)).toMatchObject({ status: 'approved', delivery: 'pending' });
    await expect(decideApproval(h.pageDeps, post({ decision: 'deny' }))).rejects.toBeInstanceOf(ApprovalClosedError);

    const retried = await decideApproval(h.pageDeps, post());

    expect(retried.delivery).toBe('delivered');
    expect(h.audit.drafts.filter((draft) => draft.kind === 'approval.approved')).toHaveLength(1);
  });

  it('concurrent POSTs of one decision: one delivers; the others change nothing and leave `delivered` stored (issue #11)', async () => {
    const { h, approval, post } = await pending();

    const answers = await Promise.allSettled(Array.from({ length: 10 }, () => decideApproval(h.pageDeps, post())));

    expect(answers.filter((answer) => answer.status === 'fulfilled')).toHaveLength(1);
    const refused = answers.flatMap((answer) => (answer.status === 'rejected' ? [answer.reason as unknown] : []));
    expect(refused.map((reason) => reason instanceof ApprovalClosedError)).toEqual(Array.from({ length: 9 }, () => true));
    expect(h.callbacks.calls).toHaveLength(1);
    expect(h.approvals.approvals.get(approval.approvalId)).toMatchObject({ status: 'approved', delivery: 'delivered' });
  });

  it('a delivery left unfinished by a caller that died is finished by the same decision once its lease is over', async () => {
    const { h, approval, post } = await pending();
    await h.approvals.decide(approval.approvalId, { status: 'approved', decidedAt: h.clock.now().toISOString(), decidedBy: approval.approver.email, deliveryLeaseUntil: new Date(h.clock.now().getTime() + 30_000).toISOString() }, h.clock.now().toISOString());

    await expect(decideApproval(h.pageDeps, post())).rejects.toBeInstanceOf(ApprovalClosedError);
    expect(h.callbacks.calls).toHaveLength(0);
    h.clock.advance(31_000);
    const finished = await decideApproval(h.pageDeps, post());

    expect(finished.delivery).toBe('delivered');
    expect(h.callbacks.calls).toHaveLength(1);
  });

  it('a task-gone answer never overwrites a delivery another caller stored', async () => {
    const { h, approval } = await pending();
    await h.approvals.decide(approval.approvalId, { status: 'approved', decidedAt: h.clock.now().toISOString(), decidedBy: approval.approver.email, deliveryLeaseUntil: h.clock.now().toISOString() }, h.clock.now().toISOString());

    await h.approvals.recordDelivery(approval.approvalId, 'delivered', h.clock.now().toISOString());
    await h.approvals.recordDelivery(approval.approvalId, 'task-gone', h.clock.now().toISOString());

    expect(h.approvals.approvals.get(approval.approvalId)).toMatchObject({ delivery: 'delivered' });
  });

  it('lets a re-bound approval resume the newest task token', async () => {
    const { h, post } = await pending();
    const redriven = approvalInput();
    await requestApproval(h.requestDeps, redriven);
    h.callbacks.waiting.add(redriven.taskToken);

    await decideApproval(h.pageDeps, post());

    expect(h.callbacks.calls[0]?.taskToken).toBe(redriven.taskToken);
  });
});
