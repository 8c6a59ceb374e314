import { randomUUID } from 'node:crypto';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hirePayload } from '../../../local/demo/hris.ts';
import { launchChromium } from '../../support/browser.ts';
import { eventually } from '../../support/poll.ts';
import { employeeId, finishedJoiner, startE2eCloud, userNameOf, type E2eCloud } from '../support/e2e-cloud.ts';
import { openConsole, seriousViolations, signIn } from './console-browser.ts';

/**
 * Who may see and do what in the console, enforced by the API (403 from the function, whatever
 * the page shows) and shown by the UI: a requester cannot read another person's requests,
 * approve anything, or open the operator and auditor pages; an approver cannot decide a
 * request that was not sent to them.
 */

const MANAGER = 'dana.lead@example.com';
let e2e: E2eCloud;
let browser: Browser;
let requester: string;
let other: { email: string; requestId: string };
let approvalId: string;

async function hire(id: string): Promise<void> {
  expect((await e2e.hris.post(hirePayload({ id, role: 'engineer', managerEmail: MANAGER }), `${id}-hire`)).status).toBe(202);
  expect((await finishedJoiner(e2e.sfn, `generic-${id}-hire`)).status).toBe('SUCCEEDED');
}

const bearer = async (email: string, groups: string[] = []) => ({ authorization: `Bearer ${await e2e.cloud.issueToken({ email, groups })}` });
async function call(email: string, method: string, path: string, body?: unknown, groups: string[] = []) {
  const res = await fetch(`${e2e.frontDoor}${path}`, {
    method,
    headers: { ...(await bearer(email, groups)), 'content-type': 'application/json', 'idempotency-key': randomUUID() },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

beforeAll(async () => {
  e2e = await startE2eCloud('console-authz');
  browser = await launchChromium('e2e');
  const [a, b] = [employeeId('authz-a'), employeeId('authz-b')];
  await Promise.all([hire(a), hire(b)]);
  requester = userNameOf(a);
  const asked = await call(userNameOf(b), 'POST', '/access-requests', { entitlementId: 'group:ProdAdmin', duration: 'PT1H', justification: 'INC-7: restore the database' });
  expect(asked.status).toBe(202);
  other = { email: userNameOf(b), requestId: String(asked.body.requestId) };
  const inbox = await eventually(
    async () => {
      const got = await call(MANAGER, 'GET', '/api/approvals');
      return (got.body.items as { approvalId: string; employee: { employeeId: string } }[]).find((i) => i.employee.employeeId === b);
    },
    'the manager inbox to list the request',
    20_000,
    250,
  );
  approvalId = inbox.approvalId;
});

afterAll(async () => {
  await browser?.close();
  await e2e?.stop();
});

describe('console authorization through the API', () => {
  it('refuses a requester every operator and auditor route with 403 and the routes’ error shape', async () => {
    for (const path of ['/api/people', `/api/people/${encodeURIComponent('X')}`, '/api/findings', '/api/workflows', '/api/audit/open-grants', '/api/audit/chains']) {
      const got = await call(requester, 'GET', path);
      expect([path, got.status, got.body.error]).toEqual([path, 403, 'ForbiddenError']);
      expect(String(got.body.message)).toMatch(/not in the gatehouse-(operators|auditors) group/);
    }
    // Review campaigns: starting, reminding, closing and reading the evidence are for operators only (403 before any change).
    for (const [method, path, body] of [
      ['GET', '/api/review-campaigns', undefined],
      ['POST', '/api/review-campaigns', { campaign: { name: 'sneaky', scope: { kind: 'all' }, dueInSeconds: 60, remindEverySeconds: 30, escalationSeconds: 30 } }],
      ['POST', '/api/review-campaigns/any-campaign/close', undefined],
      ['POST', '/api/review-campaigns/any-campaign/remind', undefined],
      ['GET', '/api/review-campaigns/any-campaign?format=csv', undefined],
    ] as const) {
      const got = await call(requester, method, path, body);
      expect([path, got.status, got.body.error]).toEqual([path, 403, 'ForbiddenError']);
    }
  });

  it('lets an operator and an auditor in, each only to their own pages', async () => {
    const ops = ['gatehouse-operators'];
    const audit = ['gatehouse-auditors'];
    expect((await call('it-ops@example.com', 'GET', '/api/people', undefined, ops)).status).toBe(200);
    expect((await call('it-ops@example.com', 'GET', '/api/audit/chains', undefined, ops)).status).toBe(403);
    expect((await call('audit@example.com', 'GET', '/api/audit/chains', undefined, audit)).status).toBe(200);
    expect((await call('audit@example.com', 'GET', '/api/workflows', undefined, audit)).status).toBe(403);
  });

  it("never shows a requester another person's requests", async () => {
    const mine = await call(requester, 'GET', '/api/my/access');
    const theirs = await call(requester, 'GET', `/access-requests/${other.requestId}`);
    expect(mine.status).toBe(200);
    expect((mine.body.requests as { requestId: string }[]).map((r) => r.requestId)).not.toContain(other.requestId);
    expect(theirs.status).toBe(404);
    expect((await call(other.email, 'GET', '/api/my/access')).body.requests).toEqual([expect.objectContaining({ requestId: other.requestId, status: 'pending-approval', waitingFor: [MANAGER] })]);
  });

  it('refuses a decision from anyone the approval was not sent to, and changes nothing', async () => {
    const byRequester = await call(requester, 'POST', `/api/approvals/${approvalId}`, { decision: 'approve' });
    const byOtherApprover = await call('platform-owners@example.com', 'POST', `/api/approvals/${approvalId}`, { decision: 'approve' });
    const bySubject = await call(other.email, 'POST', `/api/approvals/${approvalId}`, { decision: 'approve' });
    for (const got of [byRequester, byOtherApprover, bySubject]) expect([got.status, got.body.error]).toEqual([403, 'ApproverMismatchError']);
    expect((await call(requester, 'GET', '/api/approvals')).body.items).toEqual([]);
    const still = await call(MANAGER, 'GET', '/api/approvals');
    expect((still.body.items as { approvalId: string }[]).map((i) => i.approvalId)).toContain(approvalId);
  });

  it('answers 400 naming the field for a bad decision body, and 401 without a token', async () => {
    const bad = await call(MANAGER, 'POST', `/api/approvals/${approvalId}`, { decision: 'maybe' });
    const anonymous = await fetch(`${e2e.frontDoor}/api/me`);
    expect([bad.status, bad.body.error]).toEqual([400, 'ValidationError']);
    expect(String(bad.body.message)).toContain('decision');
    const silentDeny = await call(MANAGER, 'POST', `/api/approvals/${approvalId}`, { decision: 'deny', reason: '  ' });
    expect([silentDeny.status, silentDeny.body.message]).toEqual([400, 'body: reason: required to deny: say why (it is kept in the audit trail)']);
    expect(anonymous.status).toBe(401);
  });
});

describe('console authorization in the UI', () => {
  it('shows a requester no operator or auditor links, and "Not allowed" with the API’s 403 when they open those pages', async () => {
    const tab = await openConsole(browser, e2e.cloud.consoleUrl, { allowStatus: [403] });
    try {
      await signIn(tab.page, requester);
      const links = await tab.page.getByRole('navigation', { name: 'Console' }).getByRole('link').allTextContents();
      expect(links).toEqual(['Catalogue', 'Request', 'My access', 'Approvals', 'Reviews']);
      for (const path of ['/people', '/workflows', '/audit']) {
        await tab.page.goto(new URL(path, e2e.cloud.consoleUrl).toString());
        await tab.page.getByRole('heading', { name: 'Not allowed' }).waitFor();
        expect(await seriousViolations(tab.page)).toEqual([]);
      }
      const direct = await tab.page.evaluate(async () => {
        // The browser's sessionStorage, where oidc-client-ts keeps the signed-in user (this file is typed for Node).
        const storage = (globalThis as unknown as { sessionStorage: Record<string, string> & { getItem(key: string): string | null } }).sessionStorage;
        const stored = Object.keys(storage).find((k) => k.startsWith('oidc.user:'));
        const token = (JSON.parse(storage.getItem(stored ?? '') ?? '{}') as { access_token?: string }).access_token;
        return (await fetch('/api/people', { headers: { authorization: `Bearer ${token}` } })).status;
      });
      expect(direct).toBe(403);
    } finally {
      await tab.close();
    }
  });
});
