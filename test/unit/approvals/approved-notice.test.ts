import { describe, expect, it } from 'vitest';
import { decideApproval } from '#lib/domain/approvals/approval-page';
import { csrfToken } from '#lib/domain/approvals/csrf';
import { requestApproval } from '#lib/domain/approvals/request-approval';
import type { Notification } from '#lib/domain/notifications/kinds';
import { approvalInput, harness, requestRecord } from './fakes.ts';

/** "approved" goes to the requester once the last step of the chain approved, through the one notifications module (issue #18). */
async function decide(step: number, options: { decision?: 'approve' | 'deny'; requester?: boolean; failNotify?: boolean } = {}) {
  const record = requestRecord(options.requester === false ? {} : { requester: { employeeId: 'E0002', email: 'ops-lead@example.com' } });
  const h = harness(record);
  const sent: Notification[] = [];
  const notices = {
    notify: (n: Notification) => (options.failNotify ? Promise.reject(new Error('SES is down')) : (sent.push(n), Promise.resolve({ status: 'sent' }))),
    people: { person: () => Promise.resolve({ employeeId: 'E1001', displayName: 'Ada Lovelace', managerEmail: 'grace@example.com' }) },
    records: h.requests,
  };
  const input = approvalInput({ step, approver: { kind: 'entitlement-owner', email: 'prod-owners@example.com', entitlementIds: ['group:ProdAdmin'] } });
  await requestApproval(h.requestDeps, input);
  h.callbacks.waiting.add(input.taskToken);
  const approval = h.approvals.only();
  const csrf = csrfToken(approval);
  const result = await decideApproval(
    { ...h.pageDeps, notices },
    { approvalId: approval.approvalId, viewer: { authenticated: false }, decision: options.decision ?? 'approve', csrf, csrfCookie: csrf, comment: 'OK for INC-4242, 2h only' },
  );
  return { sent, result, h };
}

describe('approved notice', () => {
  it('tells the requester when the last step approves, naming the approver and the comment', async () => {
    const { sent, result } = await decide(1);

    expect(result.delivery).toBe('delivered');
    expect(sent).toEqual([
      {
        kind: 'approved',
        person: { employeeId: 'E1001', displayName: 'Ada Lovelace', managerEmail: 'grace@example.com' },
        requestId: 'req-1',
        requesterEmail: 'ops-lead@example.com',
        approverEmail: 'prod-owners@example.com',
        what: expect.stringContaining('Platform Engineer') as string,
        comment: 'OK for INC-4242, 2h only',
      },
    ]);
  });

  it.each([
    ['an earlier step of the chain', 0, {}],
    ['a denial', 1, { decision: 'deny' as const }],
    ['a request nobody asked for by e-mail (an HRIS hire)', 1, { requester: false }],
  ])('tells nobody on %s', async (_case, step, options) => {
    expect((await decide(step, options)).sent).toEqual([]);
  });

  it('keeps the delivered decision when the notice fails', async () => {
    const { result, h } = await decide(1, { failNotify: true });
    expect(result.delivery).toBe('delivered');
    expect(h.callbacks.calls).toHaveLength(1);
  });
});
