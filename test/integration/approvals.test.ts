import { setTimeout as sleep } from 'node:timers/promises';
import { GetExecutionHistoryCommand, StopExecutionCommand } from '@aws-sdk/client-sfn';
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { functionArn } from '../../local/core/arn.ts';
import { apiGatewayEvent } from '../../local/front-door.ts';
import { fetchSentMails } from '../../local/ses-local.ts';
import { createApprovalRepository } from '#lib/adapters/dynamodb/approvals';
import { csrfCookieName, csrfToken } from '#lib/domain/approvals/csrf';
import { createAuditStore } from '#lib/adapters/dynamodb/audit';
import { requestRecordFor, startApprovalStack, type ApprovalStack, type StartedApproval } from '../browser/support/approval-stack.ts';

let stack: ApprovalStack;
beforeAll(async () => {
  stack = await startApprovalStack('approvals-it');
});
afterAll(() => stack.stop());

const FORM = { 'content-type': 'application/x-www-form-urlencoded' };

/** What a browser gets from the link: the page, its CSRF cookie and the form's token. */
async function openLink(link: string) {
  const response = await fetch(link, { redirect: 'manual' });
  const html = await response.text();
  const cookie = response.headers.getSetCookie()[0]?.split(';')[0];
  const csrf = /name="csrf" value="([^"]+)"/.exec(html)?.[1];
  return { response, html, cookie, csrf };
}

const submit = (link: string, fields: Record<string, string>, cookie?: string) =>
  fetch(link, { method: 'POST', redirect: 'manual', headers: { ...FORM, ...(cookie ? { cookie } : {}) }, body: new URLSearchParams(fields).toString() });

const repository = () => createApprovalRepository({ client: stack.doc, tableName: stack.tables.names.approvals });
const auditEntries = async (employeeId: string) =>
  createAuditStore({ client: stack.doc, tableName: stack.tables.names.audit, clock: { now: () => new Date() } }).listBySubject(employeeId);
const auditKinds = async (employeeId: string) => (await auditEntries(employeeId)).map((entry) => entry.kind);

async function stillWaiting(started: StartedApproval): Promise<void> {
  await sleep(300);
  expect((await stack.describe(started.executionArn)).status).toBe('RUNNING');
  expect((await stack.approvalItem(started.approvalId)).status).toBe('pending');
}

describe('approval by e-mailed link, on DynamoDB Local, SES local and the SFN emulator', () => {
  it('mails a link without the token; GET shows the request and changes nothing; POST approve resumes the execution', async () => {
    const started = await stack.start();
    const item = await stack.approvalItem(started.approvalId);

    expect(started.mail.from).toBe('gatehouse@example.com');
    expect(started.link).toBe(`${stack.frontDoorUrl}/approvals/${started.approvalId}`);
    for (const body of [started.mail.body.text ?? '', started.mail.body.html ?? '', started.mail.subject]) {
      expect(body).not.toContain(item.taskToken);
      expect(body).not.toContain(item.csrfSecret);
    }
    expect(started.mail.body.html).toContain(`href="${started.link}"`);

    const page = await openLink(started.link);
    expect(page.response.status).toBe(200);
    expect(page.response.headers.get('content-security-policy')).toContain("default-src 'none'");
    expect(page.response.headers.get('referrer-policy')).toBe('no-referrer');
    expect(page.response.headers.get('x-frame-options')).toBe('DENY');
    expect(page.response.headers.get('cache-control')).toBe('no-store');
    for (const text of ['Ada Lovelace', started.employeeId, 'Platform Engineer', 'group:ProdAdmin', 'high-risk entitlements need approval', 'Step 1 of 1', started.approver]) {
      expect(page.html).toContain(text);
    }
    expect(page.cookie).toMatch(/^__Host-gatehouse-csrf-apv-[0-9a-f]{24}=/);
    expect(await stack.approvalItem(started.approvalId)).toEqual(item);
    await stillWaiting(started);

    const answer = await submit(started.link, { decision: 'approve', csrf: page.csrf!, comment: 'Welcome aboard' }, page.cookie);

    expect(answer.status).toBe(303);
    expect(answer.headers.get('location')).toBe(`/approvals/${started.approvalId}`);
    const done = await stack.finished(started.executionArn);
    expect(done.status).toBe('SUCCEEDED');
    expect(done.parsed.results).toEqual({
      approvals: [{ approver: started.approver, decision: 'approved', decidedAt: expect.any(String), comment: 'Welcome aboard' }],
    });
    expect(await stack.approvalItem(started.approvalId)).toMatchObject({ status: 'approved', delivery: 'delivered' });
    expect(await auditKinds(started.employeeId)).toEqual(['approval.requested', 'approval.approved']);
    const after = await openLink(started.link);
    expect(after.html).toContain('Approved');
    expect(after.csrf).toBeUndefined();
  });

  it('deny fails the task with ApprovalDeniedError, which the Catch routes to Record Denial', async () => {
    const started = await stack.start();
    const page = await openLink(started.link);

    const answer = await submit(started.link, { decision: 'deny', csrf: page.csrf!, comment: 'No prod admin\nfor contractors' }, page.cookie);

    expect(answer.status).toBe(303);
    const done = await stack.finished(started.executionArn);
    expect(done.status).toBe('SUCCEEDED');
    expect(done.parsed.error).toEqual({ Error: 'ApprovalDeniedError', Cause: 'Denied at approval step 1.' });
    const history = await stack.sfn.send(new GetExecutionHistoryCommand({ executionArn: started.executionArn, maxResults: 1000 }));
    expect(history.events?.some((event) => event.stateEnteredEventDetails?.name === 'Record Denial')).toBe(true);
    expect((await auditEntries(started.employeeId)).map((entry) => [entry.kind, entry.detail])).toEqual([
      ['approval.requested', expect.objectContaining({ approvalId: expect.any(String) })],
      ['approval.denied', { approvalId: expect.any(String), step: 1, comment: 'No prod admin\nfor contractors' }],
    ]);
  });

  it('refuses a deny without a reason (400 naming the comment), changes nothing, and the approver can then deny with one', async () => {
    const started = await stack.start();
    const page = await openLink(started.link);
    const before = await stack.approvalItem(started.approvalId);

    const bare = await submit(started.link, { decision: 'deny', csrf: page.csrf! }, page.cookie);
    const blank = await submit(started.link, { decision: 'deny', csrf: page.csrf!, comment: '  \n ' }, page.cookie);

    expect([bare.status, blank.status]).toEqual([400, 400]);
    const html = await bare.text();
    expect(html).toContain('Please say why you deny');
    expect(html).toContain('comment: a reason is required to deny');
    expect(await stack.approvalItem(started.approvalId)).toEqual(before);
    expect(await auditKinds(started.employeeId)).toEqual(['approval.requested']);
    await stillWaiting(started);
    expect((await submit(started.link, { decision: 'deny', csrf: page.csrf!, comment: 'Not needed' }, page.cookie)).status).toBe(303);
    expect((await stack.finished(started.executionArn)).parsed.error).toEqual({ Error: 'ApprovalDeniedError', Cause: 'Denied at approval step 1.' });
  });

  it('accepts a link once: the second POST is 409 and changes nothing', async () => {
    const started = await stack.start();
    const page = await openLink(started.link);
    await submit(started.link, { decision: 'approve', csrf: page.csrf! }, page.cookie);
    await stack.finished(started.executionArn);
    const decided = await stack.approvalItem(started.approvalId);

    const again = await submit(started.link, { decision: 'deny', csrf: page.csrf!, comment: 'changed my mind' }, page.cookie);

    expect(again.status).toBe(409);
    expect(await again.text()).toContain('already approved');
    expect(await stack.approvalItem(started.approvalId)).toEqual(decided);
  });

  it('ten concurrent approving POSTs: one decision, delivered once, stored as delivered, and the page says so', async () => {
    const started = await stack.start();
    const page = await openLink(started.link);

    const answers = await Promise.all(Array.from({ length: 10 }, () => submit(started.link, { decision: 'approve', csrf: page.csrf! }, page.cookie)));
    const finished = await stack.finished(started.executionArn);
    const stored = await stack.approvalItem(started.approvalId);
    const reopened = await openLink(started.link);
    const history = await stack.sfn.send(new GetExecutionHistoryCommand({ executionArn: started.executionArn }));
    const kinds = await auditKinds(started.employeeId);

    expect(answers.filter((answer) => answer.status === 303)).toHaveLength(1);
    expect(answers.filter((answer) => answer.status !== 303).map((answer) => answer.status)).toEqual(Array.from({ length: 9 }, () => 409));
    expect(finished.status).toBe('SUCCEEDED');
    expect((history.events ?? []).filter((event) => event.type === 'TaskSucceeded')).toHaveLength(1);
    // Before: a loser re-sent the decision, got TaskDoesNotExist and stored task-gone over 'delivered'.
    expect(stored).toMatchObject({ status: 'approved', delivery: 'delivered' });
    expect(reopened.html).toContain('<strong>Approved</strong>');
    expect(reopened.html).toContain('This link has been used');
    expect(reopened.html).not.toContain('changed nothing');
    expect(kinds.filter((kind) => kind === 'approval.approved')).toHaveLength(1);
  });

  it('answers 404 for a forged id, GET or POST', async () => {
    const forged = `${stack.frontDoorUrl}/approvals/${'A'.repeat(43)}`;

    const get = await fetch(forged);
    const post = await submit(forged, { decision: 'approve', csrf: 'x' }, 'a=b');

    expect(get.status).toBe(404);
    expect(await get.text()).toContain('Approval not found');
    expect(get.headers.get('content-security-policy')).toContain("default-src 'none'");
    expect(post.status).toBe(404);
  });

  it('refuses a wrong CSRF token, a missing cookie and a malformed form, and the execution keeps waiting', async () => {
    const started = await stack.start();
    const page = await openLink(started.link);

    const wrongToken = await submit(started.link, { decision: 'approve', csrf: 'A'.repeat(43) }, page.cookie);
    const noCookie = await submit(started.link, { decision: 'approve', csrf: page.csrf! });
    const otherCookie = await submit(started.link, { decision: 'approve', csrf: page.csrf! }, `${page.cookie!.split('=')[0]}=${'B'.repeat(43)}`);
    const malformed = await submit(started.link, { decision: 'maybe', csrf: page.csrf! }, page.cookie);
    const oversized = await submit(started.link, { decision: 'approve', csrf: page.csrf!, comment: 'x'.repeat(9000) }, page.cookie);

    expect([wrongToken.status, noCookie.status, otherCookie.status]).toEqual([403, 403, 403]);
    // A lost cookie is a way forward, not an error code: nothing was decided, reopen the link.
    const lost = await noCookie.text();
    expect(lost).toContain('Please reopen the link from your e-mail');
    expect(lost).toContain('Nothing was decided: this approval is still waiting for you.');
    expect(lost).not.toContain('csrf:');
    const reopened = await openLink(started.link);
    expect(reopened.csrf).toBeDefined();
    expect(malformed.status).toBe(400);
    expect(await malformed.text()).toContain('decision');
    expect(oversized.status).toBe(413);
    await stillWaiting(started);
    await stack.sfn.send(new StopExecutionCommand({ executionArn: started.executionArn }));
  });

  it('refuses an authenticated caller who is not the approver (403), and accepts the approver', async () => {
    const started = await stack.start();
    const page = await openLink(started.link);
    const invoke = async (email: string) => {
      const request = {
        method: 'POST',
        path: `/approvals/${started.approvalId}`,
        query: new URLSearchParams(),
        headers: { ...FORM, cookie: page.cookie! },
        body: Buffer.from(new URLSearchParams({ decision: 'approve', csrf: page.csrf! }).toString()),
      };
      const event = apiGatewayEvent(request, 'POST /approvals/{id}', { id: started.approvalId });
      const withClaims = { ...event, requestContext: { ...event.requestContext, authorizer: { jwt: { claims: { email }, scopes: [] } } } };
      return (await stack.runtime.invoke(functionArn('approval-page'), withClaims)) as APIGatewayProxyStructuredResultV2;
    };

    const mallory = await invoke('mallory@example.com');

    expect(mallory.statusCode).toBe(403);
    await stillWaiting(started);

    const approver = await invoke(started.approver.toUpperCase());

    expect(approver.statusCode).toBe(303);
    expect((await stack.finished(started.executionArn)).status).toBe('SUCCEEDED');
  });

  it('expires with the task: the execution takes States.Timeout and a later POST is refused', async () => {
    const started = await stack.start({ timeoutSeconds: 1 });
    const item = await stack.approvalItem(started.approvalId);
    const csrf = csrfToken(item);
    const cookie = `${csrfCookieName(item.ref)}=${csrf}`;

    const done = await stack.finished(started.executionArn);
    await sleep(Math.max(0, Date.parse(item.expiresAt) - Date.now() + 50));
    const late = await submit(started.link, { decision: 'approve', csrf }, cookie);

    expect(done.parsed.error).toMatchObject({ Error: 'States.Timeout' });
    expect(late.status).toBe(410);
    expect(await stack.approvalItem(started.approvalId)).toMatchObject({ status: 'pending' });
    const page = await openLink(started.link);
    expect(page.html).toContain('This link has expired');
    expect(page.csrf).toBeUndefined();
  });

  it('GET-only fetches (a mail scanner) leave the execution waiting', async () => {
    const started = await stack.start();

    for (let fetches = 0; fetches < 3; fetches += 1) expect((await openLink(started.link)).response.status).toBe(200);

    await stillWaiting(started);
    expect(await auditKinds(started.employeeId)).toEqual(['approval.requested']);
    await stack.sfn.send(new StopExecutionCommand({ executionArn: started.executionArn }));
  });

  it('shows a cancelled approval without a form and refuses its POST', async () => {
    const started = await stack.start();
    const page = await openLink(started.link);

    await repository().cancel(started.approvalId, new Date().toISOString());
    const cancelled = await openLink(started.link);
    const post = await submit(started.link, { decision: 'approve', csrf: page.csrf! }, page.cookie);

    expect(cancelled.html).toContain('This request was cancelled');
    expect(cancelled.csrf).toBeUndefined();
    expect(post.status).toBe(409);
    await stack.sfn.send(new StopExecutionCommand({ executionArn: started.executionArn }));
  });

  it('is idempotent under retries: same token mails once, a new token re-binds the same link, a closed approval is replaced', async () => {
    const id = `idem${Date.now().toString(36)}`;
    const approver = `owner-${id}@example.com`;
    const record = requestRecordFor(id, [{ kind: 'entitlement-owner', email: approver, entitlementIds: ['group:ProdAdmin'] }]);
    await stack.requests.put(record);
    const payload = (taskToken: string) => ({
      taskToken,
      approval: {
        approver: record.decision.decision === 'needs-approval' ? record.decision.chain[0] : undefined,
        step: 0,
        requestId: record.requestId,
        employeeId: record.employeeId,
        timeoutSeconds: 600,
        executionId: record.executionId,
        executionName: record.executionName,
      },
    });
    const invoke = (token: string) => stack.runtime.invoke(functionArn('approval-request'), payload(token)) as Promise<Record<string, unknown>>;
    const mails = async () => (await fetchSentMails(stack.sesEndpoint)).filter((mail) => mail.destination.to.includes(approver));

    const first = await invoke(`GHT1${'a'.repeat(64)}`);
    const retried = await invoke(`GHT1${'a'.repeat(64)}`);
    const rebound = await invoke(`GHT1${'b'.repeat(64)}`);

    expect([first.binding, retried.binding, rebound.binding]).toEqual(['created', 'unchanged', 'rebound']);
    expect(await mails()).toHaveLength(1);
    const [mail] = await mails();
    const approvalId = /approvals\/([A-Za-z0-9_-]{43})/.exec(mail!.body.text ?? '')![1]!;
    expect(JSON.stringify([first, retried, rebound])).not.toContain(approvalId);
    expect(await stack.approvalItem(approvalId)).toMatchObject({ taskToken: `GHT1${'b'.repeat(64)}`, rebinds: 1 });

    const item = await stack.approvalItem(approvalId);
    await repository().decide(approvalId, { status: 'approved', decidedAt: new Date().toISOString(), decidedBy: approver, deliveryLeaseUntil: new Date().toISOString() }, new Date().toISOString());
    const replaced = await invoke(`GHT1${'c'.repeat(64)}`);

    expect(replaced.binding).toBe('replaced');
    expect(replaced.approvalRef).not.toBe(item.ref);
    const all = await mails();
    expect(all).toHaveLength(2);
    expect(all[1]!.body.text).not.toContain(approvalId);
    const byRequest = await stack.doc.send(
      new QueryCommand({ TableName: stack.tables.names.approvals, IndexName: 'byRequest', KeyConditionExpression: 'requestId = :r', ExpressionAttributeValues: { ':r': record.requestId } }),
    );
    expect(byRequest.Items?.map((entry) => String(entry.itemType))).toEqual(['approval', 'approval']);
  });
});
