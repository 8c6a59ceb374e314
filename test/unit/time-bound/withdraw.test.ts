import { describe, expect, it } from 'vitest';
import { approvalRef, tokenHash, type Approval } from '#lib/domain/approvals/approval';
import { apiEvent, employee, fakeDeps, http, requestView } from './fakes.ts';

/**
 * POST /access-requests/{id}/withdraw through the route and the HTTP error mapping
 * (domain/time-bound/withdraw.ts): who may, what it changes (the open approval cancelled as
 * withdrawn, its task failed under RequestWithdrawnError), what a replay or a race does.
 */

const ID = 'ar-0123456789abcdef0123456789abcdef';
const EXECUTION = 'arn:exec';
const PEOPLE = [employee('E-ENG', 'engineer'), employee('E-SALES', 'sales')];
const requester = { sub: 'idp|e', email: 'e-eng@example.com' };
const subject = { sub: 'idp|s', email: 'e-sales@example.com' };
const operator = { sub: 'idp|o', email: 'ops@example.com', groups: ['gatehouse-operators'] };
const stranger = { sub: 'idp|x', email: 'someone@example.com', groups: ['other'] };
const CHAIN = [
  { kind: 'manager' as const, email: 'dana.lead@example.com', employeeId: 'E-LEAD', entitlementIds: [] as string[] },
  { kind: 'entitlement-owner' as const, email: 'prod-owners@example.com', entitlementIds: ['group:ProdReadOnly'] },
];
const pending = (overrides = {}) => requestView(undefined, { executionId: EXECUTION, decision: { decision: 'needs-approval', reason: 'owner approval', chain: CHAIN }, ...overrides });

function approval(step: number, overrides: Partial<Approval> = {}): Approval {
  const approvalId = `${String(step).repeat(43)}`.slice(0, 43);
  const taskToken = `token-${step}`;
  return {
    itemType: 'approval',
    approvalId,
    ref: approvalRef(approvalId),
    requestId: ID,
    employeeId: 'E-SALES',
    executionId: EXECUTION,
    executionName: ID,
    step,
    approver: CHAIN[step]!,
    taskToken,
    tokenHash: tokenHash(taskToken),
    csrfSecret: 'c'.repeat(43),
    status: 'pending',
    createdAt: `2026-03-02T08:00:0${step}.000Z`,
    expiresAt: '2026-03-03T08:00:00.000Z',
    expiresAtEpoch: 1,
    rebinds: 0,
    ...overrides,
  };
}

function setup(view = pending(), approvals: Approval[] = [approval(0)]) {
  const made = fakeDeps(PEOPLE, [view]);
  for (const a of approvals) {
    made.approvals.approvals.set(a.approvalId, a);
    if (a.status === 'pending') made.callbacks.waiting.add(a.taskToken);
  }
  const withdraw = (claims: object, body?: unknown) => http(made.deps)(apiEvent('POST /access-requests/{id}/withdraw', { claims, id: ID, ...(body === undefined ? {} : { body: JSON.stringify(body) }) }));
  return { ...made, withdraw };
}

describe('POST /access-requests/{id}/withdraw', () => {
  it('the requester withdraws a pending request: the open approval is cancelled as withdrawn, with why, and its task fails under RequestWithdrawnError', async () => {
    const { withdraw, approvals, callbacks } = setup();
    const res = await withdraw(requester, { reason: '  fixed it without prod access  ' });
    expect(res).toEqual({ status: 202, body: { requestId: ID, status: 'withdrawn' } });
    const stored = approvals.only();
    expect(stored).toMatchObject({ status: 'cancelled', withdrawnBy: 'e-eng@example.com', withdrawnAs: 'requester', withdrawReason: 'fixed it without prod access', cancelledAt: '2026-03-02T08:00:10.000Z' });
    // The cause names the role, never the person's e-mail.
    expect(callbacks.calls).toEqual([{ kind: 'fail', taskToken: 'token-0', error: 'RequestWithdrawnError', cause: 'withdrawn by the requester' }]);
  });

  it('a replay answers the same and changes nothing (the task failure is repeated, and Step Functions no longer waits)', async () => {
    const { withdraw, approvals, callbacks } = setup();
    const first = await withdraw(requester, { reason: 'not needed' });
    const writes = approvals.writes;
    const again = await withdraw(requester, { reason: 'another reason' });
    const byOperator = await withdraw(operator);
    expect([again, byOperator]).toEqual([first, first]);
    expect(approvals.writes).toBe(writes);
    expect(approvals.only()).toMatchObject({ withdrawnBy: 'e-eng@example.com', withdrawReason: 'not needed' });
    expect(callbacks.calls.map((c) => c.error)).toEqual(['RequestWithdrawnError', 'RequestWithdrawnError', 'RequestWithdrawnError']);
    expect(callbacks.waiting.size).toBe(0);
    // Once Record Withdrawal marked the request, the answer is the same without touching anything.
    const done = setup(pending({ status: 'withdrawn' }), []);
    expect(await done.withdraw(requester)).toEqual(first);
    expect(done.callbacks.calls).toEqual([]);
  });

  it('an operator may withdraw anyone\'s pending request; the second step of a chain is the one withdrawn', async () => {
    const { withdraw, approvals, callbacks } = setup(pending(), [approval(0, { status: 'approved', decidedBy: 'dana.lead@example.com' }), approval(1)]);
    expect((await withdraw(operator)).status).toBe(202);
    expect(approvals.approvals.get(approval(1).approvalId)).toMatchObject({ status: 'cancelled', withdrawnAs: 'operator', withdrawnBy: 'ops@example.com' });
    expect(approvals.approvals.get(approval(0).approvalId)?.status).toBe('approved');
    expect(callbacks.calls).toEqual([expect.objectContaining({ taskToken: 'token-1', cause: 'withdrawn by an operator' })]);
  });

  it.each([
    ['the person it is for (not the requester)', subject, 403, /only the person who asked for request .*, or an operator, may withdraw it/],
    ['someone who may not see it (the same answer as GET)', stranger, 404, /no access request/],
  ])('refuses %s and changes nothing', async (_label, claims, status, message) => {
    const { withdraw, approvals, callbacks } = setup();
    const res = await withdraw(claims);
    expect(res.status).toBe(status);
    expect(String(res.body.message)).toMatch(message);
    expect(approvals.only().status).toBe('pending');
    expect(callbacks.calls).toEqual([]);
  });

  it.each([
    ['granted', pending({ status: 'granted' }), [], /already granted; end it with revoke instead \(gatehouse revoke ar-\S+ --reason/],
    ['denied', pending({ status: 'denied' }), [], /is denied; only a request waiting for approval can be withdrawn/],
    ['approved by the last approver a moment ago', pending(), [approval(0, { status: 'approved' }), approval(1, { status: 'approved', decidedBy: 'prod-owners@example.com' })], /was just approved by prod-owners@example.com; it can no longer be withdrawn/],
    ['whose first approval is not created yet', pending(), [], /has no approval open yet/],
    ['between two approval steps', pending(), [approval(0, { status: 'approved' })], /has no approval open yet \(its approver is being asked, or the next step is\); try again in a few seconds/],
    ['cancelled by a leaver', pending(), [approval(0, { status: 'cancelled' })], /was cancelled \(the person left\)/],
    ['one whose approval link expired', pending(), [approval(0, { expiresAt: '2026-03-02T08:00:05.000Z' })], /its approval expired at 2026-03-02T08:00:05.000Z/],
  ])('answers 409 with what to do for a request %s, changing nothing', async (_label, view, approvals, message) => {
    const made = setup(view, approvals);
    const res = await made.withdraw(requester);
    expect(res.status).toBe(409);
    expect(String(res.body.message)).toMatch(message);
    expect(made.callbacks.calls).toEqual([]);
    expect([...made.approvals.approvals.values()].some((a) => a.withdrawnBy)).toBe(false);
  });

  it('refuses a bad body with 400 and changes nothing', async () => {
    for (const body of [{ reason: '' }, { reason: 'x'.repeat(501) }, { why: 'typo' }]) {
      const { withdraw, approvals, callbacks } = setup();
      const res = await withdraw(requester, body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(String(res.body.message)).toMatch(/invalid withdraw body/);
      expect(approvals.only().status).toBe('pending');
      expect(callbacks.calls).toEqual([]);
    }
  });
});
