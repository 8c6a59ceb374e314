import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { DescribeExecutionCommand } from '@aws-sdk/client-sfn';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { approvalSchema, type Approval } from '../../functions/lib/domain/approvals/approval.ts';
import { executionArn } from '../../local/core/arn.ts';
import { approvalLink, decide, openLink, submitDecision } from '../../local/demo/approver.ts';
import { hirePayload } from '../../local/demo/hris.ts';
import { accessOf } from '../../local/demo/inspect.ts';
import { HRIS_SECRET_PREFIX } from '../../local/function-env.ts';
import { signBambooHr, signHiBob } from '../../local/hris-sender.ts';
import { fetchSentMails } from '../../local/ses-local.ts';
import { employeeId, expectedAccess, finishedJoiner, joinerExecutions, startE2eCloud, userNameOf, type E2eCloud } from './support/e2e-cloud.ts';
import { HOSTILE_WEBHOOKS, nowSeconds, sample, sendRaw, signedHire, standardHeaders, type HrisKeys } from './support/hostile-webhooks.ts';

/**
 * Hostile input against the whole local cloud, through its HTTP front door with real fetch:
 * every refused webhook answers the documented status and starts nothing (no joiner execution,
 * no user, no audit entry); approval links refuse forgery, reuse and CSRF; a GET decides
 * nothing. Then the vendor schemes (BambooHR, HiBob) are shown to start the joiner.
 */

const MANAGER = 'dana.lead@example.com';

let e2e: E2eCloud;
let doc: DynamoDBDocumentClient;
const keys: HrisKeys = { generic: '', bamboohr: '', hibob: '' };

beforeAll(async () => {
  e2e = await startE2eCloud('hostile');
  doc = DynamoDBDocumentClient.from(new DynamoDBClient({}));
  const client = new SecretsManagerClient({});
  for (const source of ['generic', 'bamboohr', 'hibob'] as const) {
    keys[source] = (await client.send(new GetSecretValueCommand({ SecretId: `${HRIS_SECRET_PREFIX}${source}` }))).SecretString ?? '';
  }
  client.destroy();
});

afterAll(async () => {
  doc?.destroy();
  await e2e?.stop();
});

const send = (path: string, body: Buffer, headers: Record<string, string>) => sendRaw(e2e.frontDoor, { path, body, headers });

describe('hostile webhooks through the front door', () => {
  it('accepts the well-formed request the hostile cases are derived from (control)', async () => {
    const id = employeeId('ok');

    const answer = await sendRaw(e2e.frontDoor, signedHire(id, keys.generic));

    expect(answer).toEqual({ status: 202, body: { deliveryId: `generic-${id}`, events: 1 } });
    expect((await joinerExecutions(e2e.sfn)).filter((e) => e.name === `generic-${id}`)).toHaveLength(1);
  });

  it.each(HOSTILE_WEBHOOKS)('$name: answers $status and starts nothing', async (hostile) => {
    const id = employeeId('bad');
    const before = (await joinerExecutions(e2e.sfn)).length;

    const answer = await sendRaw(e2e.frontDoor, hostile.request(id, keys));

    expect(answer.status).toBe(hostile.status);
    if (hostile.status === 401) expect(answer.body).toEqual({ error: 'Unauthorized' });
    if (hostile.names) expect(answer.body.message).toContain(hostile.names);
    // The event bus delivers before PutEvents answers, so anything started has started by now.
    expect((await joinerExecutions(e2e.sfn)).length).toBe(before);
    expect(await accessOf(id, userNameOf(id))).toMatchObject({ userId: undefined, users: 0, instances: [], volumes: [], activeGrants: 0, auditEntries: 0 });
  });

  it('accepts a replayed delivery (re-signed, then byte for byte) with 202 and runs ONE workflow', async () => {
    const id = employeeId('rep');
    const delivery = `${id}-hire`;
    const before = (await joinerExecutions(e2e.sfn)).length;
    const body = Buffer.from(JSON.stringify(hirePayload({ id, role: 'sales' })));
    const first = standardHeaders(body, delivery, keys.generic);

    const answers = [await send('/hris/generic', body, first)];
    await sleep(1_100); // a retry a second later carries a new timestamp and signature
    answers.push(await send('/hris/generic', body, standardHeaders(body, delivery, keys.generic)), await send('/hris/generic', body, first));
    const execution = await finishedJoiner(e2e.sfn, `generic-${delivery}`);
    answers.push(await send('/hris/generic', body, standardHeaders(body, delivery, keys.generic)));

    expect(answers.map((a) => a.status)).toEqual([202, 202, 202, 202]);
    expect(execution.status).toBe('SUCCEEDED');
    const executions = await joinerExecutions(e2e.sfn);
    expect(executions.filter((e) => e.name === `generic-${delivery}`)).toHaveLength(1);
    expect(executions).toHaveLength(before + 1);
    const access = await accessOf(id, userNameOf(id));
    expect(access.users).toBe(1);
    expect(access.groups).toEqual(expectedAccess('sales').groups);
    expect(access.auditKinds.filter((kind) => kind === 'request.received')).toHaveLength(1);
  });
});

describe('approval links', () => {
  const id = employeeId('lnk');
  const name = `generic-${id}-hire`;
  let link = '';

  const approvalItem = async (): Promise<Approval> => {
    const approvalId = link.split('/').pop() ?? '';
    const { Item } = await doc.send(new GetCommand({ TableName: e2e.cloud.env.APPROVALS_TABLE_NAME, Key: { approvalId }, ConsistentRead: true }));
    return approvalSchema.parse(Item);
  };
  const statusOf = async () => (await e2e.sfn.send(new DescribeExecutionCommand({ executionArn: executionArn('joiner', name) }))).status;
  const mailsToOwners = async () => (await fetchSentMails(e2e.cloud.endpoints.ses)).filter((m) => m.destination.to.includes('finance-owners@example.com') && (m.body.text ?? '').includes(id)).length;

  /** Nothing was decided: the execution still waits on step 1, the approval is pending, the next approver was not asked. */
  async function nothingDecided(): Promise<void> {
    await sleep(300);
    expect(await statusOf()).toBe('RUNNING');
    expect(await approvalItem()).toMatchObject({ status: 'pending' });
    expect((await approvalItem()).decidedAt).toBeUndefined();
    expect(await mailsToOwners()).toBe(0);
    expect(await accessOf(id, userNameOf(id))).toMatchObject({ userId: undefined, activeGrants: 0 });
  }

  beforeAll(async () => {
    const posted = await e2e.hris.post(hirePayload({ id, role: 'finance-admin', managerEmail: MANAGER }), `${id}-hire`);
    if (posted.status !== 202) throw new Error(`the hire behind the approval-link tests answered ${posted.status}: ${posted.body}`);
    link = await approvalLink(e2e.cloud.endpoints.ses, MANAGER, id);
  });

  it('answers 404 to a forged approval id, for GET and POST, and decides nothing', async () => {
    const forged = `${e2e.frontDoor}/approvals/${randomBytes(32).toString('base64url')}`;
    const page = await openLink(link);

    const answers = [
      (await fetch(forged)).status,
      (await submitDecision(forged, { decision: 'approve', csrf: page.csrf ?? '' }, page.cookie)).status,
      (await fetch(`${e2e.frontDoor}/approvals/not-an-approval-id`)).status,
    ];

    expect(answers).toEqual([404, 404, 404]);
    await nothingDecided();
  });

  it('decides nothing when the link is only fetched (GET, as a mail scanner does)', async () => {
    const before = await approvalItem();

    const pages = [await openLink(link), await openLink(link), await openLink(link)];

    expect(pages.map((p) => p.status)).toEqual([200, 200, 200]);
    expect(pages.every((p) => p.csrf !== undefined && p.html.includes(`Demo ${id}`))).toBe(true);
    await nothingDecided();
    expect(await approvalItem()).toEqual(before);
  });

  it('refuses a POST with a wrong CSRF token, without the cookie, or with a cookie of another value (403)', async () => {
    const page = await openLink(link);
    expect(page.csrf).toBeDefined();
    const csrf = page.csrf ?? '';
    const cookieName = page.cookie.split('=')[0] ?? '';

    const answers = [
      (await submitDecision(link, { decision: 'approve', csrf: 'A'.repeat(csrf.length) }, page.cookie)).status,
      (await submitDecision(link, { decision: 'approve', csrf })).status,
      (await submitDecision(link, { decision: 'approve', csrf }, `${cookieName}=${'B'.repeat(csrf.length)}`)).status,
    ];

    expect(answers).toEqual([403, 403, 403]);
    await nothingDecided();
  });

  it('accepts the decision once and refuses the used link (409), then the chain goes on to the next approver', async () => {
    const page = await openLink(link);
    const form = { decision: 'approve', csrf: page.csrf ?? '' };

    const first = await submitDecision(link, form, page.cookie);
    const again = await submitDecision(link, form, page.cookie);
    const reversed = await submitDecision(link, { ...form, decision: 'deny', comment: 'changed my mind' }, page.cookie);
    const reopened = await openLink(link);

    expect([first.status, again.status, reversed.status]).toEqual([303, 409, 409]);
    expect(reopened.status).toBe(200);
    expect(reopened.csrf).toBeUndefined();
    expect(reopened.html).toContain('This link has been used');
    expect(await approvalItem()).toMatchObject({ status: 'approved', delivery: 'delivered' });
    const ownersLink = await approvalLink(e2e.cloud.endpoints.ses, 'finance-owners@example.com', id);
    expect(await decide(ownersLink, 'approve')).toEqual({ pageStatus: 200, decisionStatus: 303 });
    const execution = await finishedJoiner(e2e.sfn, name);
    expect(execution.status).toBe('SUCCEEDED');
    expect(await mailsToOwners()).toBe(1);
    const access = await accessOf(id, userNameOf(id));
    expect(access.groups).toEqual(expectedAccess('finance-admin').groups);
    expect(access.auditKinds.filter((kind) => kind === 'approval.approved')).toHaveLength(2);
  });
});

describe.concurrent('vendor webhooks signed by their own schemes start the joiner', () => {
  it('BambooHR field-based "Created" (full record in the payload) provisions the engineer', async ({ expect }) => {
    const body = sample('bamboohr/field-based-created.json');

    const answer = await send('/hris/bamboohr', body, signBambooHr(body, keys.bamboohr, nowSeconds()));

    expect(answer.status).toBe(202);
    expect(answer.body).toMatchObject({ deliveryId: expect.stringMatching(/^bamboohr-/), events: 1 });
    const execution = await finishedJoiner(e2e.sfn, answer.body.deliveryId ?? '');
    expect(execution.status).toBe('SUCCEEDED');
    const access = await accessOf('40123', 'morgan.fieldbased@example.com');
    expect(access.users).toBe(1);
    expect(access.groups).toEqual(expectedAccess('engineer').groups);
    expect(access.instances).toEqual([{ id: expect.any(String), state: 'running' }]);
  });

  it('BambooHR event-based "created" (thin: the record comes from the directory) starts a joiner that asks the manager', async ({ expect }) => {
    const body = sample('bamboohr/event-based-created.json');

    const answer = await send('/hris/bamboohr', body, signBambooHr(body, keys.bamboohr, nowSeconds()));

    expect(answer.status).toBe(202);
    const deliveryId = answer.body.deliveryId ?? '';
    const execution = await e2e.sfn.send(new DescribeExecutionCommand({ executionArn: executionArn('joiner', deliveryId) }));
    expect(execution.status).toBe('RUNNING');
    expect(JSON.parse(execution.input ?? '{}')).toMatchObject({ type: 'employee.hired', source: 'bamboohr', employee: { employeeId: '40124', email: 'riley.sample@example.com', role: 'data-scientist' } });
    expect(await approvalLink(e2e.cloud.endpoints.ses, MANAGER, '40124')).toContain('/approvals/');
  });

  it('HiBob employee.joined (thin: the record comes from the directory) provisions the engineer', async ({ expect }) => {
    const body = sample('hibob/employee-joined.json');

    const answer = await send('/hris/hibob', body, signHiBob(body, keys.hibob));

    expect(answer.status).toBe(202);
    const deliveryId = answer.body.deliveryId ?? '';
    expect(deliveryId).toMatch(/^hibob-/);
    const execution = await finishedJoiner(e2e.sfn, deliveryId);
    expect(execution.status).toBe('SUCCEEDED');
    expect(JSON.parse(execution.input ?? '{}')).toMatchObject({ source: 'hibob', employee: { employeeId: '3332883854254932743' } });
    const access = await accessOf('3332883854254932743', 'jamie.placeholder@example.com');
    expect(access.users).toBe(1);
    expect(access.groups).toEqual(expectedAccess('engineer').groups);
    expect(access.instances).toEqual([{ id: expect.any(String), state: 'running' }]);
  });
});
