import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { DescribeExecutionCommand, ExecutionDoesNotExist } from '@aws-sdk/client-sfn';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { createAuditStore } from '../../functions/lib/adapters/dynamodb/audit.ts';
import { executionArn } from '../../local/core/arn.ts';
import { hirePayload } from '../../local/demo/hris.ts';
import { accessOf } from '../../local/demo/inspect.ts';
import { finishedExecution } from '../../local/demo/run.ts';
import { LOCAL_OPERATOR_GROUP } from '../../local/function-env.ts';
import { employeeId, expectedAccess, finishedJoiner, startE2eCloud, userNameOf, type E2eCloud } from './support/e2e-cloud.ts';

/**
 * The operator kill switch on the whole local cloud: a token from the local OIDC issuer, the
 * front door as JWT authorizer, POST /operator/leavers starting the leaver directly (no HRIS),
 * and the CLI doing the same over HTTP.
 */

const ROOT = resolve(import.meta.dirname, '..', '..');
const OPERATOR = 'ops.lead@example.com';
const REASON = 'laptop stolen at the airport; revoke everything now';
let e2e: E2eCloud;
let doc: DynamoDBDocumentClient;
let dataDir: string;

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'gatehouse-kill-switch-'));
  e2e = await startE2eCloud('killswitch', { dataDir });
  doc = DynamoDBDocumentClient.from(new DynamoDBClient({}));
});

afterAll(async () => {
  doc?.destroy();
  await e2e?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

const operatorToken = () => e2e.cloud.issueToken({ email: OPERATOR, groups: [LOCAL_OPERATOR_GROUP, 'staff'] });

async function hireEngineer(id: string): Promise<void> {
  const posted = await e2e.hris.post(hirePayload({ id, role: 'engineer' }), `${id}-hire`);
  if (posted.status !== 202) throw new Error(`hire answered ${posted.status}`);
  const joiner = await finishedJoiner(e2e.sfn, `generic-${id}-hire`);
  if (joiner.status !== 'SUCCEEDED') throw new Error(`joiner ${joiner.status}`);
}

async function killSwitch(id: string, token: string | undefined, key: string) {
  const res = await fetch(`${e2e.frontDoor}/operator/leavers`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'idempotency-key': key, ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ employeeId: id, reason: REASON }),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

async function executionExists(name: string): Promise<boolean> {
  try {
    await e2e.sfn.send(new DescribeExecutionCommand({ executionArn: executionArn('leaver', name) }));
    return true;
  } catch (error) {
    if (error instanceof ExecutionDoesNotExist) return false;
    throw error;
  }
}

function cli(args: string[], env: Record<string, string> = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const base = Object.fromEntries(Object.entries(process.env).filter(([name]) => name !== 'GATEHOUSE_TOKEN' && name !== 'GATEHOUSE_API_URL'));
  const child = spawn(join(ROOT, 'node_modules', '.bin', 'tsx'), ['tools/gatehouse.ts', ...args], { cwd: ROOT, env: { ...base, ...env } });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((done, fail) => {
    const timer = setTimeout(() => {
      child.kill();
      fail(new Error(`CLI ${args[0]} did not finish within 30 s`));
    }, 30_000);
    child.on('close', (code) => {
      clearTimeout(timer);
      done({ code, stdout, stderr });
    });
  });
}

const nothingLeft = { userId: undefined, users: 0, memberships: 0, groups: [], volumes: [], activeGrants: 0, auditChainOk: true };

describe.concurrent('operator kill switch', { timeout: 120_000 }, () => {
  it('takes everything from a hired engineer on an operator token, audits the operator and the reason, and is replay-safe', async ({ expect }) => {
    const id = employeeId('ks');
    await hireEngineer(id);
    const token = await operatorToken();
    const key = `ks-${id.toLowerCase()}`;

    const res = await killSwitch(id, token, key);

    expect(res).toEqual({ status: 202, body: { executionName: `operator-${key}`, status: 'RUNNING', replayed: false } });
    const leaver = await finishedExecution(e2e.sfn, 'leaver', `operator-${key}`, 60_000);
    expect(leaver.status).toBe('SUCCEEDED');
    const after = await accessOf(id, userNameOf(id));
    expect(after).toMatchObject(nothingLeft);
    expect(after.instances.filter((instance) => instance.state !== 'terminated')).toEqual([]);
    expect(after.revokedGrants).toBe(expectedAccess('engineer').entitlements);
    const audit = createAuditStore({ client: doc, tableName: e2e.cloud.env.AUDIT_TABLE_NAME ?? '', clock: { now: () => new Date() } });
    const received = (await audit.listBySubject(id)).filter((entry) => entry.kind === 'request.received' && entry.detail.requestType === 'leaver');
    expect(received).toHaveLength(1);
    expect(received[0]).toMatchObject({ actor: `operator:${OPERATOR}`, reason: REASON, requestId: `operator-${key}`, detail: { deliveryId: `operator-${key}` } });

    expect(await killSwitch(id, token, key)).toEqual({ status: 202, body: { executionName: `operator-${key}`, status: 'SUCCEEDED', replayed: true } });
    const again = await killSwitch(id, token, `${key}-2`);
    expect(again.status).toBe(409);
    expect(String(again.body.message)).toContain(`already left`);
    expect(await executionExists(`operator-${key}-2`)).toBe(false);
  });

  it('refuses a token without the operator group (403) and no token at all (401), starting nothing', async ({ expect }) => {
    const id = employeeId('ksd');
    await hireEngineer(id);
    const staff = await e2e.cloud.issueToken({ email: 'dev@example.com', groups: ['staff'] });

    const forbidden = await killSwitch(id, staff, `ksd-${id.toLowerCase()}`);
    const anonymous = await killSwitch(id, undefined, `ksa-${id.toLowerCase()}`);

    expect(forbidden).toEqual({ status: 403, body: { error: 'ForbiddenError', message: `caller is not in the ${LOCAL_OPERATOR_GROUP} group` } });
    expect(anonymous).toEqual({ status: 401, body: { message: 'Unauthorized' } });
    expect(await executionExists(`operator-ksd-${id.toLowerCase()}`)).toBe(false);
    expect(await executionExists(`operator-ksa-${id.toLowerCase()}`)).toBe(false);
    expect(await accessOf(id, userNameOf(id))).toMatchObject({ users: 1, activeGrants: expectedAccess('engineer').entitlements });
  });

  it('works from the CLI with --api/--token, and explains a refused token and a missing one by exit code', async ({ expect }) => {
    const id = employeeId('ksc');
    await hireEngineer(id);
    const staff = await e2e.cloud.issueToken({ email: 'dev@example.com', groups: ['staff'] });

    const refused = await cli(['leave', id, '--reason', REASON, '--api', e2e.frontDoor, '--token', staff]);
    const missing = await cli(['leave', id, '--reason', REASON, '--api', e2e.frontDoor]);
    const done = await cli(['leave', id, '--reason', REASON, '--api', e2e.frontDoor, '--token', await operatorToken(), '--idempotency-key', `ksc-${id.toLowerCase()}`]);

    expect(refused).toMatchObject({ code: 3, stdout: '' });
    expect(refused.stderr).toContain(`403 Forbidden: caller is not in the ${LOCAL_OPERATOR_GROUP} group`);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('no token: pass --token <jwt> or set GATEHOUSE_TOKEN');
    expect(done.code).toBe(0);
    expect(done.stdout).toContain(`Leaver started: ${id}, execution operator-ksc-${id.toLowerCase()} (RUNNING)`);
    expect((await finishedExecution(e2e.sfn, 'leaver', `operator-ksc-${id.toLowerCase()}`, 60_000)).status).toBe('SUCCEEDED');
    expect(await accessOf(id, userNameOf(id))).toMatchObject(nothingLeft);
  });

  it('mints a local operator token with --local (endpoints.env), and 404s an unknown employee', async ({ expect }) => {
    const minted = await cli(['token', '--email', 'ops@example.com', '--groups', LOCAL_OPERATOR_GROUP], { GATEHOUSE_DATA_DIR: dataDir });
    const unknown = await cli(['leave', 'NOBODY-1', '--reason', REASON, '--local'], { GATEHOUSE_DATA_DIR: dataDir });

    expect(minted.code).toBe(0);
    expect(minted.stdout.trim()).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/);
    const claims = JSON.parse(Buffer.from(minted.stdout.split('.')[1] ?? '', 'base64url').toString('utf8')) as Record<string, unknown>;
    expect(claims).toMatchObject({ iss: e2e.cloud.oidc.issuer, aud: 'gatehouse', email: 'ops@example.com', groups: [LOCAL_OPERATOR_GROUP] });
    expect(unknown.code).toBe(4);
    expect(unknown.stderr).toContain('404 Not Found: employeeId: Gatehouse knows no employee NOBODY-1');
  });
});
