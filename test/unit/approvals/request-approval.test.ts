import { describe, expect, it } from 'vitest';
import { TransientError, ValidationError } from '#lib/domain/shared/errors';
import { approvalState } from '#lib/domain/approvals/approval';
import { RequestRecordMissingError } from '#lib/domain/approvals/errors';
import { requestApproval } from '#lib/domain/approvals/request-approval';
import { approvalInput, harness, newToken, one } from './fakes.ts';

describe('requestApproval', () => {
  it('stores a pending approval bound to the approver, step and token, and mails its link once', async () => {
    const h = harness();
    const input = approvalInput();

    const result = one(await requestApproval(h.requestDeps, input));

    const approval = h.approvals.only();
    expect(result).toEqual({ approvalRef: approval.ref, binding: 'created', mail: 'sent' });
    expect(approval).toMatchObject({
      status: 'pending',
      step: 0,
      taskToken: input.taskToken,
      approver: { email: 'grace@example.com', kind: 'manager' },
      createdAt: '2025-03-03T08:00:00.000Z',
      expiresAt: '2025-03-03T09:00:00.000Z',
    });
    expect(approval.expiresAtEpoch).toBeGreaterThan(Date.parse(approval.expiresAt) / 1000);
    expect(approval.mailedAt).toBeDefined();
    expect(h.mailer.sent).toHaveLength(1);
    expect(h.mailer.sent[0]!.to).toBe('grace@example.com');
    expect(h.mailer.sent[0]!.text).toContain(`https://gatehouse.example.com/approvals/${approval.approvalId}`);
  });

  it('never puts the task token, the CSRF secret or the link id anywhere but the stored approval and the mail link', async () => {
    const h = harness();
    const input = approvalInput();

    const result = one(await requestApproval(h.requestDeps, input));

    const approval = h.approvals.only();
    const mail = JSON.stringify(h.mailer.sent);
    expect(mail).not.toContain(input.taskToken);
    expect(mail).not.toContain(approval.csrfSecret);
    expect(JSON.stringify(result)).not.toContain(approval.approvalId);
    expect(JSON.stringify(result)).not.toContain(input.taskToken);
    expect(JSON.stringify(h.audit.drafts)).not.toContain(approval.approvalId);
    expect(JSON.stringify(h.audit.drafts)).not.toContain(input.taskToken);
  });

  it('appends approval.requested once, by ref, with the approver and expiry', async () => {
    const h = harness();
    const input = approvalInput();

    await requestApproval(h.requestDeps, input);
    await requestApproval(h.requestDeps, input);

    const approval = h.approvals.only();
    expect(h.audit.drafts).toEqual([
      expect.objectContaining({
        kind: 'approval.requested',
        subject: 'E1001',
        requestId: 'req-1',
        detail: { approvalId: approval.ref, approverId: 'grace@example.com', expiresAt: approval.expiresAt },
      }),
    ]);
  });

  it('audits approval.requested before the link is mailed, so an approver who clicks at once finds it in the chain', async () => {
    const h = harness();
    h.mailer.failNext = new TransientError('SES throttled');

    await expect(requestApproval(h.requestDeps, approvalInput())).rejects.toThrow(TransientError);

    expect(h.mailer.sent).toHaveLength(0);
    expect(h.audit.drafts.map((draft) => draft.kind)).toEqual(['approval.requested']);
  });

  it('does nothing new when the same token comes again (a Lambda retry)', async () => {
    const h = harness();
    const input = approvalInput();
    await requestApproval(h.requestDeps, input);
    const writes = h.approvals.writes;

    const again = one(await requestApproval(h.requestDeps, input));

    expect(again).toMatchObject({ binding: 'unchanged', mail: 'already-sent' });
    expect(h.mailer.sent).toHaveLength(1);
    expect(h.approvals.writes).toBe(writes);
  });

  it('re-binds a pending approval to a new token (a Retry or re-drive): same link, new deadline, no second mail', async () => {
    const h = harness();
    await requestApproval(h.requestDeps, approvalInput());
    const before = h.approvals.only();
    h.clock.advance(10 * 60 * 1000);
    const redriven = approvalInput({}, newToken());

    const result = one(await requestApproval(h.requestDeps, redriven));

    const after = h.approvals.only();
    expect(result).toMatchObject({ approvalRef: before.ref, binding: 'rebound', mail: 'already-sent' });
    expect(after.approvalId).toBe(before.approvalId);
    expect(after.taskToken).toBe(redriven.taskToken);
    expect(after.expiresAt).toBe('2025-03-03T09:10:00.000Z');
    expect(after.rebinds).toBe(1);
    expect(h.mailer.sent).toHaveLength(1);
  });

  it('sends the mail on the retry when the first attempt failed to send it, exactly once', async () => {
    const h = harness();
    h.mailer.failNext = new TransientError('SES throttled');

    await expect(requestApproval(h.requestDeps, approvalInput())).rejects.toBeInstanceOf(TransientError);
    const retry = one(await requestApproval(h.requestDeps, approvalInput({}, newToken())));

    expect(retry).toMatchObject({ binding: 'rebound', mail: 'sent' });
    expect(h.mailer.sent).toHaveLength(1);
    expect(h.approvals.only().mailedAt).toBe(h.clock.now().toISOString());
  });

  it('asks a retry to wait while another attempt holds the mail lease', async () => {
    const h = harness();
    await requestApproval(h.requestDeps, approvalInput());
    const approval = h.approvals.only();
    h.approvals.approvals.set(approval.approvalId, { ...approval, mailedAt: undefined, mailLeaseUntil: '2025-03-03T08:00:30.000Z' });

    await expect(requestApproval(h.requestDeps, approvalInput({}, newToken()))).rejects.toBeInstanceOf(TransientError);
    expect(h.mailer.sent).toHaveLength(1);
  });

  it('replaces a decided approval with a fresh one when a re-driven run asks again', async () => {
    const h = harness();
    await requestApproval(h.requestDeps, approvalInput());
    const first = h.approvals.only();
    h.approvals.approvals.set(first.approvalId, { ...first, status: 'approved', delivery: 'task-gone' });

    const result = one(await requestApproval(h.requestDeps, approvalInput({}, newToken())));

    expect(result).toMatchObject({ binding: 'replaced', mail: 'sent' });
    expect(h.approvals.approvals.size).toBe(2);
    expect(h.approvals.approvals.get(first.approvalId)?.status).toBe('approved');
    expect(h.mailer.sent).toHaveLength(2);
    expect(h.mailer.sent[1]!.text).not.toContain(first.approvalId);
  });

  it('supersedes an expired pending approval and mails a fresh link', async () => {
    const h = harness();
    await requestApproval(h.requestDeps, approvalInput({ timeoutSeconds: 60 }));
    const first = h.approvals.only();
    h.clock.advance(61_000);

    const result = one(await requestApproval(h.requestDeps, approvalInput({ timeoutSeconds: 60 }, newToken())));

    const old = h.approvals.approvals.get(first.approvalId)!;
    expect(result.binding).toBe('replaced');
    expect(old.status).toBe('superseded');
    expect(old.supersededBy).toBe(result.approvalRef);
    expect(approvalState(old, h.clock.now()).kind).toBe('superseded');
    expect(h.mailer.sent).toHaveLength(2);
  });

  it('keeps separate approvals per step and per approver', async () => {
    const h = harness();

    await requestApproval(h.requestDeps, approvalInput());
    await requestApproval(h.requestDeps, approvalInput({ step: 1, approver: { kind: 'entitlement-owner', email: 'prod-owners@example.com', entitlementIds: ['group:ProdAdmin'] } }));

    expect(h.approvals.approvals.size).toBe(2);
    expect(h.mailer.sent.map((mail) => mail.to)).toEqual(['grace@example.com', 'prod-owners@example.com']);
  });

  it('keeps separate approvals per request in one execution: two people converged by one segment asking one manager', async () => {
    const h = harness();
    h.requests.records.set('converge-1-E1002', { ...h.record, requestId: 'converge-1-E1002', employeeId: 'E1002' });
    const first = approvalInput({ requestId: h.record.requestId });
    const second = approvalInput({ requestId: 'converge-1-E1002', employeeId: 'E1002' });

    const a = one(await requestApproval(h.requestDeps, first));
    const b = one(await requestApproval(h.requestDeps, second));

    expect([a.binding, b.binding]).toEqual(['created', 'created']);
    expect(a.approvalRef).not.toBe(b.approvalRef);
    expect([...h.approvals.approvals.values()].map((approval) => [approval.requestId, approval.employeeId, approval.taskToken]).sort()).toEqual(
      [[h.record.requestId, 'E1001', first.taskToken], ['converge-1-E1002', 'E1002', second.taskToken]].sort(),
    );
    expect(h.mailer.sent).toHaveLength(2);
  });

  it('fails without a request record, and when the employee is not the subject of the request', async () => {
    const h = harness();

    await expect(requestApproval(h.requestDeps, approvalInput({ requestId: 'req-unknown' }))).rejects.toBeInstanceOf(RequestRecordMissingError);
    await expect(requestApproval(h.requestDeps, approvalInput({ employeeId: 'E9999' }))).rejects.toBeInstanceOf(ValidationError);
    expect(h.approvals.approvals.size).toBe(0);
    expect(h.mailer.sent).toHaveLength(0);
  });
});
