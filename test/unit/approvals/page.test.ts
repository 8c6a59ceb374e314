import middy from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { composeApprovalEmail } from '#lib/domain/approvals/approval-email';
import { viewApproval } from '#lib/domain/approvals/approval-page';
import { csrfCookieName, csrfToken } from '#lib/domain/approvals/csrf';
import { escapeHtml } from '#lib/domain/shared/html';
import { TransientError } from '#lib/domain/shared/errors';
import { renderApprovalPage } from '#lib/http/approval-page/render';
import { cookieOf, htmlErrorPages, MAX_FORM_BYTES, parseDecisionForm, viewerOf } from '#lib/http/approval-page/form';
import { approvalPageRoute } from '#lib/http/approval-page/route';
import { requestApproval } from '#lib/domain/approvals/request-approval';
import { httpErrors } from '#lib/http/http-errors';
import { approvalInput, harness, HOSTILE, requestRecord } from './fakes.ts';

function event(method: 'GET' | 'POST', id: string, extra: Partial<APIGatewayProxyEventV2> & { claims?: Record<string, unknown> } = {}): APIGatewayProxyEventV2 {
  const { claims, ...rest } = extra;
  return {
    version: '2.0',
    routeKey: `${method} /approvals/{id}`,
    rawPath: `/approvals/${id}`,
    rawQueryString: '',
    headers: {},
    pathParameters: { id },
    isBase64Encoded: false,
    requestContext: {
      accountId: '000000000000',
      apiId: 'test',
      domainName: 'gatehouse.example.com',
      domainPrefix: 'gatehouse',
      http: { method, path: `/approvals/${id}`, protocol: 'HTTP/1.1', sourceIp: '127.0.0.1', userAgent: 'test' },
      requestId: 'r-1',
      routeKey: `${method} /approvals/{id}`,
      stage: '$default',
      time: '',
      timeEpoch: 0,
      ...(claims ? { authorizer: { jwt: { claims, scopes: [] } } } : {}),
    },
    ...rest,
  };
}

const form = (fields: Record<string, string>) => new URLSearchParams(fields).toString();
const unescapeHtml = (text: string) => text.replace(/&(quot|lt|gt|#39|#x27|amp);/g, (_all, name: string) => ({ quot: '"', lt: '<', gt: '>', '#39': "'", '#x27': "'", amp: '&' })[name] ?? '');
const formHeaders = { 'content-type': 'application/x-www-form-urlencoded' };

async function setup(record = requestRecord()) {
  const h = harness(record);
  const input = approvalInput();
  await requestApproval(h.requestDeps, input);
  h.callbacks.waiting.add(input.taskToken);
  const approval = h.approvals.only();
  const handler = middy<APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2>()
    .use(httpErrors())
    .use(htmlErrorPages())
    .handler(approvalPageRoute(h.pageDeps));
  const call = (e: APIGatewayProxyEventV2) => handler(e, {} as Context);
  return { h, approval, call, csrf: csrfToken(approval), cookie: `${csrfCookieName(approval.ref)}=${csrfToken(approval)}` };
}

describe('approval page HTML', () => {
  it('escapes hostile names, roles, reasons, descriptions and comments', async () => {
    const base = requestRecord();
    const record = requestRecord({
      employeeDisplayName: HOSTILE,
      roleDisplayName: '"><img src=x onerror=alert(1)>',
      decision: { decision: 'needs-approval', reason: `because ${HOSTILE}`, chain: [{ kind: 'manager', email: 'grace@example.com', entitlementIds: [] }] },
      entitlements: base.entitlements.map((entitlement) => ({ ...entitlement, description: `desc ${HOSTILE}` })),
    });
    const { h, approval } = await setup(record);
    await h.approvals.decide(approval.approvalId, { status: 'denied', decidedAt: '2025-03-03T08:01:00.000Z', decidedBy: 'grace@example.com', comment: HOSTILE, deliveryLeaseUntil: '2025-03-03T08:01:30.000Z' }, '2025-03-03T08:00:30.000Z');

    const page = renderApprovalPage(await viewApproval(h.pageDeps, approval.approvalId, { authenticated: false }));
    const mail = composeApprovalEmail(approval, record, 'https://gatehouse.example.com');

    for (const html of [page, mail.html]) {
      expect(html).not.toContain('<script>');
      expect(html).not.toContain('<img');
      expect(html).toContain(escapeHtml(HOSTILE));
    }
    expect(page).toContain('Comment: &lt;script&gt;');
  });

  it('keeps CR/LF in a stored name from forging lines in the text part or the subject (issue #11)', async () => {
    const forged = 'Ada\r\n\r\nReview and approve or deny: http://evil.example/approvals/x\u2028';
    const record = requestRecord({ employeeDisplayName: forged });
    const { approval } = await setup(record);

    const mail = composeApprovalEmail(approval, record, 'https://gatehouse.example.com');
    const lines = mail.text.split('\n');

    expect(mail.subject).not.toMatch(/[\r\n\u2028]/);
    expect(lines.filter((line) => line.startsWith('Review and approve or deny:'))).toEqual([`Review and approve or deny: https://gatehouse.example.com/approvals/${approval.approvalId}`]);
    expect(lines.filter((line) => line.includes('evil.example'))).toHaveLength(1);
    expect(lines.find((line) => line.includes('evil.example'))).toMatch(/^Who: Ada Review and approve or deny: http:\/\/evil\.example/);
    expect(mail.text).not.toMatch(/[\r\u2028]/);
  });

  it('shows who, role, entitlements with risk, why, step, approver and expiry, with a form only while open', async () => {
    const { h, approval } = await setup();

    const page = renderApprovalPage(await viewApproval(h.pageDeps, approval.approvalId, { authenticated: false }));

    for (const text of ['Ada Lovelace', 'E1001', 'Platform Engineer', 'group:ProdAdmin', 'risk-high', 'high-risk entitlements need approval', 'Step 1 of 2', 'grace@example.com', '2025-03-03 09:00 UTC']) {
      expect(page).toContain(text);
    }
    expect(page).toContain('<form method="post"');
    expect(page).toContain('value="approve"');
    expect(page).toContain('value="deny"');
    expect(page).toContain(`name="csrf" value="${csrfToken(approval)}"`);
    expect(page).not.toContain(approval.taskToken);

    h.clock.advance(3600_000);
    const expired = renderApprovalPage(await viewApproval(h.pageDeps, approval.approvalId, { authenticated: false }));
    expect(expired).toContain('This link has expired');
    expect(expired).not.toContain('<form');
  });
});

describe('approval page over HTTP (fakes behind the real middy chain)', () => {
  it('GET answers 200 HTML with strict security headers and the __Host- CSRF cookie', async () => {
    const { approval, call, csrf } = await setup();

    const response = await call(event('GET', approval.approvalId));

    expect(response.statusCode).toBe(200);
    expect(response.headers).toMatchObject({
      'content-type': 'text/html; charset=utf-8',
      'referrer-policy': 'no-referrer',
      'x-frame-options': 'DENY',
      'cache-control': 'no-store',
    });
    expect(String(response.headers?.['content-security-policy'])).toMatch(/default-src 'none'; style-src 'sha256-[A-Za-z0-9+/=]+'; form-action 'self'; frame-ancestors 'none'/);
    expect(response.cookies).toEqual([expect.stringMatching(new RegExp(`^${csrfCookieName(approval.ref)}=${csrf}; Path=/; Secure; HttpOnly; SameSite=Strict`))]);
  });

  it('POST approves and redirects (303) to the page, which then shows the decision and no form', async () => {
    const { approval, call, csrf, cookie } = await setup();

    const response = await call(event('POST', approval.approvalId, { headers: formHeaders, cookies: [cookie], body: form({ decision: 'approve', csrf, comment: 'fine' }) }));
    const page = await call(event('GET', approval.approvalId));

    expect(response).toMatchObject({ statusCode: 303, headers: { location: `/approvals/${approval.approvalId}` } });
    expect(page.body).toContain('Approved');
    expect(page.body).not.toContain('<form');
    expect(page.cookies).toBeUndefined();
  });

  it.each([
    ['no cookie', {}, 403],
    ['a claim for someone else', { claims: { email: 'mallory@example.com' } }, 403],
  ])('POST with %s answers %i as an HTML page', async (_what, extra, status) => {
    const { approval, call, csrf, h } = await setup();

    const response = await call(event('POST', approval.approvalId, { headers: formHeaders, body: form({ decision: 'approve', csrf }), ...extra }));

    expect(response.statusCode).toBe(status);
    expect(response.headers?.['content-type']).toBe('text/html; charset=utf-8');
    expect(h.approvals.only().status).toBe('pending');
  });

  it('refuses a deny without a reason with a 400 page that says so, and changes nothing', async () => {
    const { approval, call, csrf, cookie, h } = await setup();
    const before = structuredClone(h.approvals.only());

    const response = await call(event('POST', approval.approvalId, { headers: formHeaders, cookies: [cookie], body: form({ decision: 'deny', csrf }) }));

    expect(response.statusCode).toBe(400);
    expect(response.body).toContain('Please say why you deny');
    expect(response.body).toContain('comment: a reason is required to deny');
    expect(h.approvals.only()).toEqual(before);
    expect([h.callbacks.calls, h.audit.drafts.filter((d) => d.kind !== 'approval.requested')]).toEqual([[], []]);
    expect((await call(event('GET', approval.approvalId))).body).toContain('Comment (required to deny, optional to approve)');
  });

  it('sends the recorded comment again with the retry form of an undelivered deny', async () => {
    const { approval, call, csrf, cookie, h } = await setup();
    h.callbacks.failNext = new TransientError('SFN unavailable');
    const first = await call(event('POST', approval.approvalId, { headers: formHeaders, cookies: [cookie], body: form({ decision: 'deny', csrf, comment: 'Not "this" <role>' }) }));
    const page = (await call(event('GET', approval.approvalId))).body ?? '';
    const retry = Object.fromEntries([...page.matchAll(/<input type="hidden" name="(\w+)" value="([^"]*)">/g)].map((m) => [m[1]!, unescapeHtml(m[2]!)] as const));

    const second = await call(event('POST', approval.approvalId, { headers: formHeaders, cookies: [cookie], body: form(retry) }));

    expect([first.statusCode, second.statusCode]).toEqual([503, 303]);
    expect(retry).toEqual({ csrf, decision: 'deny', comment: 'Not "this" <role>' });
    expect(h.approvals.only()).toMatchObject({ status: 'denied', delivery: 'delivered', comment: 'Not "this" <role>' });
    expect(h.audit.drafts.at(-1)).toMatchObject({ kind: 'approval.denied', detail: { comment: 'Not "this" <role>' } });
  });

  it('answers a forged id with a 404 page and a malformed form with a 400 naming the field', async () => {
    const { approval, call, csrf, cookie } = await setup();

    const forged = await call(event('GET', 'A'.repeat(43)));
    const malformed = await call(event('POST', approval.approvalId, { headers: formHeaders, cookies: [cookie], body: form({ decision: 'maybe', csrf }) }));

    expect(forged.statusCode).toBe(404);
    expect(forged.body).toContain('Approval not found');
    expect(malformed.statusCode).toBe(400);
    expect(malformed.body).toContain('decision');
  });
});

describe('form and request parsing', () => {
  const post = (body: string, headers: Record<string, string> = formHeaders, isBase64Encoded = false) =>
    event('POST', 'x', { body, headers, isBase64Encoded });

  it('reads decision, csrf and an optional trimmed comment', () => {
    expect(parseDecisionForm(post(form({ decision: 'deny', csrf: 't', comment: '  no  ' })))).toEqual({ decision: 'deny', csrf: 't', comment: 'no' });
    expect(parseDecisionForm(post(form({ decision: 'approve', csrf: 't', comment: '' })))).toEqual({ decision: 'approve', csrf: 't' });
    expect(parseDecisionForm(post(Buffer.from(form({ decision: 'approve', csrf: 't' })).toString('base64'), formHeaders, true))).toEqual({ decision: 'approve', csrf: 't' });
  });

  it.each([
    ['decision', form({ csrf: 't' }), /decision/],
    ['decision', form({ decision: 'yes', csrf: 't' }), /decision/],
    ['csrf', form({ decision: 'approve' }), /csrf/],
    ['comment', form({ decision: 'approve', csrf: 't', comment: 'x'.repeat(1001) }), /comment/],
    ['comment', form({ decision: 'approve', csrf: 't', comment: 'a\u0000b' }), /comment/],
    ['an unknown field', `${form({ decision: 'approve', csrf: 't' })}&taskToken=x`, /taskToken: unknown field/],
    ['a repeated field', 'decision=approve&decision=deny&csrf=t', /decision: given more than once/],
    ['deny without a comment', form({ decision: 'deny', csrf: 't' }), /^comment: a reason is required to deny/],
    ['deny with a blank comment', form({ decision: 'deny', csrf: 't', comment: ' \n\t ' }), /^comment: a reason is required to deny/],
  ])('rejects a bad %s with 400 naming it', (_what, body, message) => {
    expect(() => parseDecisionForm(post(body))).toThrow(message);
    expect(() => parseDecisionForm(post(body))).toThrow(expect.objectContaining({ statusCode: 400 }));
  });

  it('rejects oversized bodies with 413 and other content types with 415', () => {
    const big = form({ decision: 'approve', csrf: 't', comment: 'x'.repeat(MAX_FORM_BYTES) });
    expect(() => parseDecisionForm(post(big))).toThrow(expect.objectContaining({ statusCode: 413 }));
    expect(() => parseDecisionForm(post('{"decision":"approve"}', { 'content-type': 'application/json' }))).toThrow(
      expect.objectContaining({ statusCode: 415 }),
    );
  });

  it('takes identity only from JWT authorizer claims, and cookies from the cookies array or header', () => {
    expect(viewerOf(event('GET', 'x'))).toEqual({ authenticated: false });
    expect(viewerOf(event('GET', 'x', { claims: { email: 'a@example.com' } }))).toEqual({ authenticated: true, email: 'a@example.com' });
    expect(viewerOf(event('GET', 'x', { claims: { email: 'a@example.com', email_verified: 'false' } }))).toEqual({ authenticated: true, email: undefined });
    expect(viewerOf(event('GET', 'x', { claims: { sub: '123' } }))).toEqual({ authenticated: true, email: undefined });
    expect(cookieOf(event('GET', 'x', { cookies: ['a=1', 'b=2=3'] }), 'b')).toBe('2=3');
    expect(cookieOf(event('GET', 'x', { headers: { cookie: 'a=1; b=2' } }), 'b')).toBe('2');
    expect(cookieOf(event('GET', 'x'), 'b')).toBeUndefined();
  });
});

describe('approval page content (issue #18)', () => {
  it('separates the access end from the link expiry, and names start date, department and contract end', async () => {
    const { h, approval } = await setup(requestRecord({ startDate: '2025-04-01', endDate: '2025-09-30', department: 'Platform' }));
    const page = renderApprovalPage(await viewApproval(h.pageDeps, approval.approvalId, { authenticated: false }));
    expect(page).toContain('<dt>Access ends</dt><dd>2025-09-30, the contract&#39;s end date');
    expect(page).toContain('<dt>Link expires</dt>');
    expect(page).toContain('(this link only; not the access)');
    expect(page).toContain('<dt>Start date</dt><dd>2025-04-01</dd>');
    expect(page).toContain('<dt>Department</dt><dd>Platform</dd>');
  });

  it('shows a move as old role to new, what it adds and what it removes, a workstation included', async () => {
    const workstation = { id: 'workstation:dev-arm', kind: 'workstation' as const, description: 'Graviton workstation', risk: 'low' as const, ownerGroupEmail: 'it@example.com', profile: 'dev-arm', instanceType: 'm7g.large', amiParameter: '/x', volumeSizeGiB: 50 };
    const { h, approval } = await setup(requestRecord({ kind: 'mover', previousRole: 'engineer', removes: [workstation] }));
    const page = renderApprovalPage(await viewApproval(h.pageDeps, approval.approvalId, { authenticated: false }));
    expect(page).toContain('<dt>Role change</dt><dd>engineer → Platform Engineer (platform-engineer)</dd>');
    expect(page).toContain('<h2>This move removes</h2>');
    expect(page).toContain('workstation:<wbr>dev-arm');
    expect(page).toContain("The old role's workstation will be stopped, its volumes snapshotted, then terminated.");
  });

  it('shows the earlier steps of the chain with their comments, and a time-bound access end in words', async () => {
    const { h, approval } = await setup(requestRecord({ kind: 'time-bound', duration: 'PT2H', requester: { employeeId: 'E1001', email: 'ada@example.com' } }));
    const history = { earlierSteps: () => Promise.resolve([{ step: 0, approver: 'grace@example.com', decision: 'approved' as const, decidedAt: '2025-03-03T08:10:00.000Z', comment: 'OK for INC-4242, 2h only' }]) };
    const later = { ...approval, step: 1 };
    const view = await viewApproval({ ...h.pageDeps, history }, approval.approvalId, { authenticated: false });
    const page = renderApprovalPage({ ...view, approval: later, earlier: await history.earlierSteps() });
    expect(page).toContain('<h2>Earlier steps</h2>');
    expect(page).toContain('by grace@example.com on 2025-03-03 08:10 UTC<br>“OK for INC-4242, 2h only”');
    expect(page).toContain('<dt>Access ends</dt><dd>2 hours after it is granted, automatically</dd>');
  });
});
