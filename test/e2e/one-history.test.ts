import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { finishedExecution } from '../../local/demo/run.ts';
import { decide } from '../../local/demo/approver.ts';
import { fetchSentMails } from '../../local/ses-local.ts';
import { accessOf } from '../../local/demo/inspect.ts';
import { HRIS_SECRET_PREFIX } from '../../local/function-env.ts';
import { signBambooHr } from '../../local/hris-sender.ts';
import { employeeId, expectedAccess, finishedJoiner, joinerExecutions, startE2eCloud, userNameOf, type E2eCloud } from './support/e2e-cloud.ts';
import { nowSeconds, sample, sendRaw, standardHeaders } from './support/hostile-webhooks.ts';

/**
 * One person, one history (issue #11), through the front door of the whole local cloud. Each case
 * is one the issue reported, and each failed before the fix: a late older hire re-provisioned a
 * person who had left; five hires of one person under five delivery ids launched five machines;
 * a second employee with the first one's e-mail got the first one's user, and their leave deleted
 * it; a replayed BambooHR delivery with a new unsigned id header started a second joiner; a CR/LF
 * name was accepted; a change delivered before its hire was rejected and the hire's older role provisioned.
 */

let e2e: E2eCloud;
let doc: DynamoDBDocumentClient;
let genericKey = '';
let bambooKey = '';

beforeAll(async () => {
  e2e = await startE2eCloud('one-history');
  doc = DynamoDBDocumentClient.from(new DynamoDBClient({}));
  const secrets = new SecretsManagerClient({});
  const secret = async (source: string) => (await secrets.send(new GetSecretValueCommand({ SecretId: `${HRIS_SECRET_PREFIX}${source}` }))).SecretString ?? '';
  genericKey = await secret('generic');
  bambooKey = await secret('bamboohr');
  secrets.destroy();
});

afterAll(async () => {
  doc?.destroy();
  await e2e?.stop();
});

const at = (minutesAgo: number): string => new Date(Date.now() - minutesAgo * 60_000).toISOString();
const today = (): string => new Date().toISOString().slice(0, 10);

function hireBody(id: string, occurredAt: string, email = userNameOf(id)): object {
  return {
    type: 'employee.hired',
    timestamp: occurredAt,
    data: { employeeId: id, email, firstName: 'Ada', lastName: id, role: 'engineer', managerEmail: 'dana.lead@example.com', employmentType: 'employee', startDate: today() },
  };
}
const changeBody = (id: string, role: string, occurredAt: string): object => {
  const hired = hireBody(id, occurredAt) as { data: Record<string, unknown> };
  return { type: 'employee.changed', timestamp: occurredAt, data: { ...hired.data, role } };
};
const leaveBody = (id: string, occurredAt: string): object => ({ type: 'employee.left', timestamp: occurredAt, data: { employeeId: id, effectiveAt: occurredAt, immediate: true } });

/** Posts a generic delivery and answers its status and parsed body. */
async function post(body: object, deliveryId: string) {
  const bytes = Buffer.from(JSON.stringify(body));
  return sendRaw(e2e.frontDoor, { path: '/hris/generic', body: bytes, headers: standardHeaders(bytes, deliveryId, genericKey) });
}

/** The generic adapter names a delivery `generic-<webhook-id>`: that is the execution name. */
const executionOf = (webhookId: string): string => `generic-${webhookId}`;

async function joinerOutput(webhookId: string): Promise<{ status: string | undefined; output: unknown }> {
  const execution = await finishedJoiner(e2e.sfn, executionOf(webhookId), 120_000);
  return { status: execution.status, output: execution.output === undefined ? undefined : JSON.parse(execution.output) };
}

async function leaverOutput(webhookId: string): Promise<string | undefined> {
  return (await finishedExecution(e2e.sfn, 'leaver', executionOf(webhookId), 120_000)).status;
}

const employeeItem = async (id: string) =>
  (await doc.send(new GetCommand({ TableName: process.env.EMPLOYEES_TABLE_NAME, Key: { employeeId: id }, ConsistentRead: true }))).Item;

const LINK = /https?:\/\/[^\s"<>]+\/approvals\/[A-Za-z0-9_-]+/;

/** Approves every approval link mailed about `about` until `done` settles (each link once). */
async function approveAllUntil<T>(about: string, done: Promise<T>): Promise<T> {
  let finished = false;
  const result = done.finally(() => {
    finished = true;
  });
  const decided = new Set<string>();
  const deadline = Date.now() + 120_000;
  while (!finished && Date.now() < deadline) {
    const mails = await fetchSentMails(e2e.cloud.endpoints.ses);
    const links = mails.map((mail) => mail.body.text ?? '').filter((text) => text.includes(about)).map((text) => LINK.exec(text)?.[0]);
    for (const link of links) {
      if (link === undefined || decided.has(link)) continue;
      decided.add(link);
      await decide(link, 'approve');
    }
    await Promise.race([result.catch(() => undefined), new Promise((resolve) => setTimeout(resolve, 200))]);
  }
  return result;
}

const live = <T extends { state: string }>(instances: T[]): T[] => instances.filter((instance) => instance.state !== 'terminated' && instance.state !== 'shutting-down');

describe.concurrent('one person, one history (issue #11)', () => {
  it('a leave is final against an older hire delivered late; only a newer rehire brings the person back', { timeout: 240_000 }, async ({ expect }) => {
    const id = employeeId('late');

    expect((await post(hireBody(id, at(30)), `${id}-hire`)).status).toBe(202);
    expect((await joinerOutput(`${id}-hire`)).status).toBe('SUCCEEDED');
    expect((await post(leaveBody(id, at(10)), `${id}-leave`)).status).toBe(202);
    expect(await leaverOutput(`${id}-leave`)).toBe('SUCCEEDED');
    expect((await post(hireBody(id, at(20)), `${id}-late-hire`)).status).toBe(202);
    const late = await joinerOutput(`${id}-late-hire`);
    const afterLate = await accessOf(id, userNameOf(id));

    expect(late).toMatchObject({ status: 'SUCCEEDED', output: { status: 'ignored', why: 'stale', detail: 'left-after' } });
    expect(afterLate).toMatchObject({ users: 0, groups: [], activeGrants: 0, auditChainOk: true });
    expect(live(afterLate.instances)).toEqual([]);
    expect(afterLate.auditKinds.filter((kind) => kind === 'request.ignored')).toHaveLength(1);
    expect(await employeeItem(id)).toMatchObject({ status: 'left' });

    expect((await post(hireBody(id, at(1)), `${id}-rehire`)).status).toBe(202);
    const rehire = await joinerOutput(`${id}-rehire`);
    const afterRehire = await accessOf(id, userNameOf(id));

    expect(rehire.status).toBe('SUCCEEDED');
    expect(afterRehire).toMatchObject({ users: 1, groups: expectedAccess('engineer').groups, auditChainOk: true });
    expect(live(afterRehire.instances)).toHaveLength(1);
    expect(await employeeItem(id)).toMatchObject({ status: 'active' });
  });

  it('a leave delivered before its hire is kept: the older hire is refused (ignored: stale, audited), nothing is provisioned', { timeout: 240_000 }, async ({ expect }) => {
    const id = employeeId('early');
    const leftAt = at(10);

    expect((await post(leaveBody(id, leftAt), `${id}-leave`)).status).toBe(202);
    expect(await leaverOutput(`${id}-leave`)).toBe('SUCCEEDED');
    expect(await employeeItem(id)).toMatchObject({ status: 'left', statusOccurredAt: new Date(leftAt).toISOString() });
    expect((await post(hireBody(id, at(20)), `${id}-hire`)).status).toBe(202);
    const late = await joinerOutput(`${id}-hire`);
    const after = await accessOf(id, userNameOf(id));

    expect(late).toMatchObject({ status: 'SUCCEEDED', output: { status: 'ignored', why: 'stale', detail: 'left-after' } });
    expect(after).toMatchObject({ users: 0, groups: [], activeGrants: 0, auditChainOk: true });
    expect(live(after.instances)).toEqual([]);
    expect(after.auditKinds.filter((kind) => kind === 'request.ignored')).toHaveLength(1);
    expect(await employeeItem(id)).toMatchObject({ status: 'left' });
  });

  it('a change delivered before its hire is kept: the older hire provisions the change\'s newer role (per-fact merge)', { timeout: 240_000 }, async ({ expect }) => {
    const id = employeeId('first');

    expect((await post(changeBody(id, 'sales', at(10)), `${id}-change`)).status).toBe(202);
    const kept = await finishedExecution(e2e.sfn, 'mover', executionOf(`${id}-change`), 120_000);
    expect(kept.status).toBe('SUCCEEDED');
    expect((await post(hireBody(id, at(20)), `${id}-hire`)).status).toBe(202);
    const hired = await joinerOutput(`${id}-hire`);
    const after = await accessOf(id, userNameOf(id));
    const sales = expectedAccess('sales');

    expect(hired.status).toBe('SUCCEEDED');
    expect(after).toMatchObject({ users: 1, groups: sales.groups, activeGrants: sales.entitlements, auditChainOk: true });
    expect(live(after.instances)).toHaveLength(sales.workstations);
    expect(await employeeItem(id)).toMatchObject({ status: 'active', role: 'sales' });
  });

  it('five hires of one person under five delivery ids, concurrently: one user, one machine, four ignored', { timeout: 240_000 }, async ({ expect }) => {
    const id = employeeId('dup');
    const occurredAt = at(5);
    const ids = [1, 2, 3, 4, 5].map((n) => `${id}-hire-${n}`);

    const answers = await Promise.all(ids.map((deliveryId) => post(hireBody(id, occurredAt), deliveryId)));
    const outcomes = await Promise.all(ids.map((deliveryId) => joinerOutput(deliveryId)));
    const access = await accessOf(id, userNameOf(id));

    expect(answers.map((answer) => answer.status)).toEqual([202, 202, 202, 202, 202]);
    expect(outcomes.map((outcome) => outcome.status)).toEqual(['SUCCEEDED', 'SUCCEEDED', 'SUCCEEDED', 'SUCCEEDED', 'SUCCEEDED']);
    expect(outcomes.filter((outcome) => JSON.stringify(outcome.output).includes('"ignored"'))).toHaveLength(4);
    expect(access).toMatchObject({ users: 1, groups: expectedAccess('engineer').groups, activeGrants: expectedAccess('engineer').entitlements, auditChainOk: true });
    expect(live(access.instances)).toHaveLength(1);
    expect(access.volumes).toHaveLength(1);
    expect(access.auditKinds.filter((kind) => kind === 'grant.applied')).toHaveLength(expectedAccess('engineer').entitlements);
  });

  it('three copies of one move to a role with another workstation, under three delivery ids, concurrently: one new machine', { timeout: 240_000 }, async ({ expect }) => {
    const id = employeeId('dupmove');
    await post(hireBody(id, at(30)), `${id}-hire`);
    expect((await joinerOutput(`${id}-hire`)).status).toBe('SUCCEEDED');
    const occurredAt = at(5);
    const ids = [1, 2, 3].map((n) => `${id}-move-${n}`);

    const answers = await Promise.all(ids.map((deliveryId) => post(changeBody(id, 'data-scientist', occurredAt), deliveryId)));
    const movers = Promise.all(ids.map(async (deliveryId) => (await finishedExecution(e2e.sfn, 'mover', executionOf(deliveryId), 150_000)).status));
    const statuses = await approveAllUntil(id, movers);
    const access = await accessOf(id, userNameOf(id));
    const grants = (await doc.send(new QueryCommand({ TableName: process.env.GRANTS_TABLE_NAME, KeyConditionExpression: 'employeeId = :e', ExpressionAttributeValues: { ':e': id } }))).Items ?? [];
    const activeGpu = grants.filter((grant) => grant.entitlementId === 'workstation:gpu' && grant.status === 'active');

    expect(answers.map((answer) => answer.status)).toEqual([202, 202, 202]);
    expect(statuses).toEqual(['SUCCEEDED', 'SUCCEEDED', 'SUCCEEDED']);
    // Before: the token was per request, so each copy launched its own gpu machine (three).
    expect(live(access.instances)).toHaveLength(1);
    expect(activeGpu).toHaveLength(1);
    expect(live(access.instances).map((instance) => instance.id)).toEqual([activeGpu[0]?.instanceId]);
    expect(access).toMatchObject({ groups: expectedAccess('data-scientist').groups, auditChainOk: true });
  });

  it('a second employee hired with the first one\'s e-mail is refused; their leave leaves the first one\'s user alone', { timeout: 240_000 }, async ({ expect }) => {
    const first = employeeId('mail1');
    const second = employeeId('mail2');
    const email = userNameOf(first);

    await post(hireBody(first, at(10)), `${first}-hire`);
    expect((await joinerOutput(`${first}-hire`)).status).toBe('SUCCEEDED');
    await post(hireBody(second, at(5), email), `${second}-hire`);
    const refused = await joinerOutput(`${second}-hire`);
    const secondAccess = await accessOf(second, email);
    await post(leaveBody(second, at(1)), `${second}-leave`);
    const leave = await leaverOutput(`${second}-leave`);
    const firstAccess = await accessOf(first, email);

    const operatorMails = (await fetchSentMails(e2e.cloud.endpoints.ses)).filter((mail) => mail.destination.to.includes('it-ops@example.com') && mail.subject.startsWith('Identity conflict:') && mail.subject.includes(`(${second})`));

    expect(refused.status).toBe('FAILED');
    expect(secondAccess.auditKinds).toContain('provisioning.failed');
    // Before: the joiner stopped and audited, but no operator was told.
    expect(operatorMails.map((mail) => mail.subject)).toEqual([expect.stringMatching(new RegExp(`^Identity conflict: .* \\(${second}\\) was not provisioned$`))]);
    expect(operatorMails[0]?.body.text).toContain(`belongs to employee ${first}, not ${second}`);
    expect(secondAccess.activeGrants).toBe(0);
    expect(live(secondAccess.instances)).toEqual([]);
    expect(leave).toBe('SUCCEEDED');
    expect(firstAccess).toMatchObject({ users: 1, groups: expectedAccess('engineer').groups, activeGrants: expectedAccess('engineer').entitlements, auditChainOk: true });
    expect(live(firstAccess.instances)).toHaveLength(1);
  });

  it('BambooHR: the same signed bytes replayed with a new unsigned delivery-id header are the same delivery, one joiner', async ({ expect }) => {
    const body = sample('bamboohr/field-based-created.json');
    const headers = signBambooHr(body, bambooKey, nowSeconds());

    const first = await sendRaw(e2e.frontDoor, { path: '/hris/bamboohr', body, headers: { ...headers, 'x-bamboohr-delivery-id': 'first' } });
    const replay = await sendRaw(e2e.frontDoor, { path: '/hris/bamboohr', body, headers: { ...headers, 'x-bamboohr-delivery-id': 'replayed' } });
    await finishedJoiner(e2e.sfn, first.body.deliveryId ?? '');
    const runs = (await joinerExecutions(e2e.sfn)).filter((execution) => execution.name?.startsWith('bamboohr-'));

    expect(first.status).toBe(202);
    expect(replay).toEqual(first);
    expect(runs.map((execution) => execution.name)).toEqual([first.body.deliveryId]);
    expect((await accessOf('40123', 'morgan.fieldbased@example.com')).users).toBe(1);
  });

  it('a CR/LF in a name is a 400 naming the field and starts nothing', async ({ expect }) => {
    const id = employeeId('crlf');
    const body = hireBody(id, at(1)) as { data: Record<string, unknown> };
    body.data.lastName = 'Lovelace\r\nReview and approve or deny: http://evil.example/approvals/x';

    const answer = await post(body, `${id}-hire`);

    expect(answer.status).toBe(400);
    expect(answer.body.message).toMatch(/^body\.data\.lastName: must not contain control characters/);
    expect((await joinerExecutions(e2e.sfn)).filter((execution) => execution.name === executionOf(`${id}-hire`))).toEqual([]);
  });
});
