import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { DescribeExecutionCommand } from '@aws-sdk/client-sfn';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { approvalSchema, type Approval } from '../../functions/lib/approvals/approval.ts';
import { executionArn } from '../../local/core/arn.ts';
import { approvalLink, decide, openLink, submitDecision } from '../../local/demo/approver.ts';
import { hirePayload } from '../../local/demo/hris.ts';
import { accessOf } from '../../local/demo/inspect.ts';
import { HRIS_SECRET_PREFIX } from '../../local/function-env.ts';
import { signBambooHr, signHiBob, signStandardWebhook } from '../../local/hris-sender.ts';
import { fetchSentMails } from '../../local/ses-local.ts';
import { employeeId, expectedAccess, finishedJoiner, joinerExecutions, startE2eCloud, userNameOf, type E2eCloud } from './support/e2e-cloud.ts';

/**
 * Hostile input against the whole local cloud, through its HTTP front door with real fetch:
 * every refused webhook answers the documented status and starts nothing (no joiner execution,
 * no user, no audit entry); approval links refuse forgery, reuse and CSRF; a GET decides
 * nothing. Then the vendor schemes (BambooHR, HiBob) are shown to start the joiner.
 */

const ROOT = join(import.meta.dirname, '..', '..');
const MANAGER = 'dana.lead@example.com';
const FORGED_SECRET = `whsec_${Buffer.from('not-the-key-gatehouse-holds-32-b').toString('base64')}`;
const MAX_BODY = 256 * 1024;

let e2e: E2eCloud;
let doc: DynamoDBDocumentClient;
const secrets: Record<string, string> = {};

beforeAll(async () => {
  e2e = await startE2eCloud('hostile');
  doc = DynamoDBDocumentClient.from(new DynamoDBClient({}));
  const client = new SecretsManagerClient({});
  for (const source of ['generic', 'bamboohr', 'hibob']) {
    secrets[source] = (await client.send(new GetSecretValueCommand({ SecretId: `${HRIS_SECRET_PREFIX}${source}` }))).SecretString ?? '';
  }
  client.destroy();
});

afterAll(async () => {
  doc?.destroy();
  await e2e?.stop();
});

const now = (): number => Math.floor(Date.now() / 1000);
const bytes = (value: object | string): Buffer => Buffer.from(typeof value === 'string' ? value : JSON.stringify(value));

interface Sent {
  status: number;
  body: { error?: string; message?: string };
}

async function send(path: string, body: Buffer, headers: Record<string, string>, method = 'POST'): Promise<Sent> {
  const res = await fetch(`${e2e.frontDoor}${path}`, { method, headers: { 'content-type': 'application/json', ...headers }, ...(method === 'GET' ? {} : { body }) });
  const text = await res.text();
  let parsed: Sent['body'] = {};
  try {
    parsed = JSON.parse(text) as Sent['body'];
  } catch {
    parsed = { message: text };
  }
  return { status: res.status, body: parsed };
}

/** A generic (Standard Webhooks) delivery signed with the installation's key unless told otherwise. */
const signed = (body: Buffer, delivery: string, options: { at?: number; secret?: string } = {}) =>
  signStandardWebhook(body, options.secret ?? secrets.generic ?? '', delivery, options.at ?? now());

const without = (headers: Record<string, string>, ...names: string[]) => Object.fromEntries(Object.entries(headers).filter(([name]) => !names.includes(name)));

/** A hire whose `data` is changed by `edit` (to make one field wrong). */
function hireWith(id: string, edit: (data: Record<string, unknown>) => void): object {
  const payload = hirePayload({ id, role: 'engineer' }) as { data: Record<string, unknown> };
  edit(payload.data);
  return payload;
}

interface HostileCase {
  name: string;
  status: number;
  /** Words the error message must contain (the field it names). */
  names?: string;
  request(id: string): { path: string; body: Buffer; headers: Record<string, string>; method?: string };
}

const generic = (body: Buffer, headers: Record<string, string>) => ({ path: '/hris/generic', body, headers });

const CASES: HostileCase[] = [
  { name: 'signed with another key', status: 401, request: (id) => { const body = bytes(hirePayload({ id, role: 'engineer' })); return generic(body, signed(body, id, { secret: FORGED_SECRET })); } },
  { name: 'body changed after signing', status: 401, request: (id) => { const body = bytes(hirePayload({ id, role: 'engineer' })); return generic(bytes(hirePayload({ id, role: 'finance-admin' })), signed(body, id)); } },
  { name: 'no signature headers at all', status: 401, request: (id) => generic(bytes(hirePayload({ id, role: 'engineer' })), {}) },
  { name: 'no webhook-signature header', status: 401, request: (id) => { const body = bytes(hirePayload({ id, role: 'engineer' })); return generic(body, without(signed(body, id), 'webhook-signature')); } },
  { name: 'no webhook-timestamp header', status: 401, request: (id) => { const body = bytes(hirePayload({ id, role: 'engineer' })); return generic(body, without(signed(body, id), 'webhook-timestamp')); } },
  { name: 'no webhook-id header', status: 401, request: (id) => { const body = bytes(hirePayload({ id, role: 'engineer' })); return generic(body, without(signed(body, id), 'webhook-id')); } },
  { name: 'timestamp 6 minutes old', status: 401, request: (id) => { const body = bytes(hirePayload({ id, role: 'engineer' })); return generic(body, signed(body, id, { at: now() - 6 * 60 })); } },
  { name: 'timestamp 6 minutes ahead', status: 401, request: (id) => { const body = bytes(hirePayload({ id, role: 'engineer' })); return generic(body, signed(body, id, { at: now() + 6 * 60 })); } },
  {
    name: 'body over 256 KiB, correctly signed',
    status: 413,
    request: (id) => { const body = bytes(hireWith(id, (data) => (data.padding = 'x'.repeat(MAX_BODY)))); return generic(body, signed(body, id)); },
  },
  { name: 'truncated JSON', status: 400, names: 'body: is not valid JSON', request: (id) => { const body = bytes(JSON.stringify(hirePayload({ id, role: 'engineer' })).slice(0, -7)); return generic(body, signed(body, id)); } },
  { name: 'a non-JSON body', status: 400, names: 'body: is not valid JSON', request: (id) => { const body = bytes(`<employee id="${id}"/>`); return generic(body, { ...signed(body, id), 'content-type': 'application/xml' }); } },
  { name: 'an empty body', status: 400, names: 'body: is not valid JSON', request: (id) => generic(Buffer.alloc(0), signed(Buffer.alloc(0), id)) },
  { name: 'an unknown event type', status: 400, names: 'body.type', request: (id) => { const body = bytes({ ...hirePayload({ id, role: 'engineer' }), type: 'employee.promoted' }); return generic(body, signed(body, id)); } },
  { name: 'employeeId as a number', status: 400, names: 'body.data.employeeId', request: (id) => { const body = bytes(hireWith(id, (data) => (data.employeeId = 4711))); return generic(body, signed(body, id)); } },
  { name: 'startDate as a number', status: 400, names: 'body.data.startDate', request: (id) => { const body = bytes(hireWith(id, (data) => (data.startDate = 20260301))); return generic(body, signed(body, id)); } },
  { name: 'role not in the catalogue', status: 400, names: 'body.data.role', request: (id) => { const body = bytes(hireWith(id, (data) => (data.role = 'root'))); return generic(body, signed(body, id)); } },
  { name: 'an unknown field', status: 400, names: 'body.data.salary: unknown field', request: (id) => { const body = bytes(hireWith(id, (data) => (data.salary = 1))); return generic(body, signed(body, id)); } },
  { name: 'an unknown source path', status: 404, request: (id) => { const body = bytes(hirePayload({ id, role: 'engineer' })); return { path: '/hris/workday', body, headers: signed(body, id) }; } },
  { name: 'a path below a source', status: 404, request: (id) => { const body = bytes(hirePayload({ id, role: 'engineer' })); return { path: '/hris/generic/hire', body, headers: signed(body, id) }; } },
  { name: 'GET instead of POST', status: 404, request: () => ({ path: '/hris/generic', body: Buffer.alloc(0), headers: {}, method: 'GET' }) },
  {
    name: 'BambooHR signed with another key',
    status: 401,
    request: () => { const body = readFileSync(join(ROOT, 'events/hris/bamboohr/field-based-created.json')); return { path: '/hris/bamboohr', body, headers: signBambooHr(body, 'another-key', now()) }; },
  },
  {
    name: 'BambooHR with a stale timestamp',
    status: 401,
    request: () => { const body = readFileSync(join(ROOT, 'events/hris/bamboohr/field-based-created.json')); return { path: '/hris/bamboohr', body, headers: signBambooHr(body, secrets.bamboohr ?? '', now() - 6 * 60) }; },
  },
  {
    name: 'HiBob signed with another key',
    status: 401,
    request: () => { const body = readFileSync(join(ROOT, 'events/hris/hibob/employee-joined.json')); return { path: '/hris/hibob', body, headers: signHiBob(body, 'another-key') }; },
  },
];

describe('hostile webhooks through the front door', () => {
  it.each(CASES)('$name: answers $status and starts nothing', async (hostile) => {
    const id = employeeId('bad');
    const before = (await joinerExecutions(e2e.sfn)).length;
    const { path, body, headers, method } = hostile.request(id);

    const answer = await send(path, body, headers, method);

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
    const body = bytes(hirePayload({ id, role: 'sales' }));
    const first = signed(body, delivery);

    const answers = [await send('/hris/generic', body, first)];
    await sleep(1_100); // a retry a second later carries a new timestamp and signature
    answers.push(await send('/hris/generic', body, signed(body, delivery)), await send('/hris/generic', body, first));
    const execution = await finishedJoiner(e2e.sfn, `generic-${delivery}`);
    answers.push(await send('/hris/generic', body, signed(body, delivery)));

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
    const reversed = await submitDecision(link, { ...form, decision: 'deny' }, page.cookie);
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
  const sample = (path: string): Buffer => readFileSync(join(ROOT, 'events/hris', path));

  it('BambooHR field-based "Created" (full record in the payload) provisions the engineer', async ({ expect }) => {
    const body = sample('bamboohr/field-based-created.json');

    const answer = await send('/hris/bamboohr', body, signBambooHr(body, secrets.bamboohr ?? '', now()));

    expect(answer.status).toBe(202);
    expect(answer.body).toMatchObject({ deliveryId: expect.stringMatching(/^bamboohr-/), events: 1 });
    const execution = await finishedJoiner(e2e.sfn, (answer.body as { deliveryId: string }).deliveryId);
    expect(execution.status).toBe('SUCCEEDED');
    const access = await accessOf('40123', 'morgan.fieldbased@example.com');
    expect(access.users).toBe(1);
    expect(access.groups).toEqual(expectedAccess('engineer').groups);
    expect(access.instances).toEqual([{ id: expect.any(String), state: 'running' }]);
  });

  it('BambooHR event-based "created" (thin: the record comes from the directory) starts a joiner that asks the manager', async ({ expect }) => {
    const body = sample('bamboohr/event-based-created.json');

    const answer = await send('/hris/bamboohr', body, signBambooHr(body, secrets.bamboohr ?? '', now()));

    expect(answer.status).toBe(202);
    const { deliveryId } = answer.body as { deliveryId: string };
    const execution = await e2e.sfn.send(new DescribeExecutionCommand({ executionArn: executionArn('joiner', deliveryId) }));
    expect(execution.status).toBe('RUNNING');
    expect(JSON.parse(execution.input ?? '{}')).toMatchObject({ type: 'employee.hired', source: 'bamboohr', employee: { employeeId: '40124', email: 'riley.sample@example.com', role: 'data-scientist' } });
    expect(await approvalLink(e2e.cloud.endpoints.ses, MANAGER, '40124')).toContain('/approvals/');
  });

  it('HiBob employee.joined (thin: the record comes from the directory) provisions the engineer', async ({ expect }) => {
    const body = sample('hibob/employee-joined.json');

    const answer = await send('/hris/hibob', body, signHiBob(body, secrets.hibob ?? ''));

    expect(answer.status).toBe(202);
    const { deliveryId } = answer.body as { deliveryId: string };
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
