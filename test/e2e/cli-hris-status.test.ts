import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SFNClient } from '@aws-sdk/client-sfn';
import { findExecution, gatehouseMachines } from '../../tools/cli/executions.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAuditStore } from '../../functions/lib/adapters/dynamodb/audit.ts';
import { hirePayload } from '../../local/demo/hris.ts';
import { runHrisSend } from '../../tools/hris-send.ts';
import { runStatus } from '../../tools/status-cli.ts';
import { runRequestsCli } from '../../tools/requests-cli.ts';
import type { CliIo } from '../../tools/cli/errors.ts';
import { employeeId, expectedAccess, startE2eCloud, type E2eCloud } from './support/e2e-cloud.ts';

/**
 * The newcomer's loop on the whole local cloud: `hris send` signs a sample as the HRIS does,
 * posts it, prints the delivery id and follows the joiner to its end; `status` then says what the
 * person holds and how the request ended, from the tables and Step Functions.
 */
let e2e: E2eCloud;
let dataDir: string;
let env: Record<string, string>;

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'gatehouse-cli-'));
  e2e = await startE2eCloud('cli', { dataDir });
  // Only what a person would have: the data dir (endpoints.env) and the table prefix of this test's cloud.
  env = { GATEHOUSE_DATA_DIR: dataDir, GATEHOUSE_TABLE_PREFIX: (e2e.cloud.env.AUDIT_TABLE_NAME ?? '').replace(/audit$/, '') };
});

afterAll(async () => {
  await e2e?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

function capture() {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIo = { stdout: (t) => void out.push(t), stderr: (t) => void err.push(t) };
  return { io, out: () => out.join(''), err: () => err.join('') };
}

describe('gatehouse hris send, then status', () => {
  it('provisions a hire from a file, follows it to "finished", and status lists what the person holds', { timeout: 120_000 }, async () => {
    const id = employeeId('cli');
    const file = join(dataDir, 'hire.json');
    writeFileSync(file, JSON.stringify(hirePayload({ id, role: 'engineer' })));
    const send = capture();

    const code = await runHrisSend(['send', 'generic', file, '--local', '--timeout', '90'], send.io, { env, cwd: dataDir, fetch, pollMs: 100 });

    expect(code).toBe(0);
    const delivery = /^accepted \(202\): delivery (\S+), 1 event\(s\)$/m.exec(send.out())?.[1];
    expect(delivery).toMatch(/^generic-msg_[0-9a-f]{32}$/);
    expect(send.out()).toContain(`joiner ${delivery}: provisioned\n`);
    expect(send.out()).not.toContain('still running');
    // The execution's own output names the outcome in the one shape (domain/outcomes/workflow-outcome.ts).
    const sfn = new SFNClient({});
    const execution = await findExecution(sfn, await gatehouseMachines(sfn), delivery ?? '');
    expect(JSON.parse(execution?.output ?? '{}')).toMatchObject({ outcome: { result: 'provisioned', words: 'provisioned' } });

    const status = capture();
    expect(await runStatus([id, '--local'], status.io, { env, cwd: dataDir })).toBe(0);
    const held = status.out().split('\n').filter((line) => / {2}\S+ {2}from role:engineer since /.test(line));
    expect(held).toHaveLength(expectedAccess('engineer').entitlements);
    expect(status.out()).toMatch(new RegExp(`^${id}: active, role engineer`, 'm'));
    expect(status.out()).toContain(`${delivery}  joiner  joiner: provisioned\n`);

    const listed = capture();
    expect(await runRequestsCli('requests', ['--employee', id, '--local'], listed.io, { env, cwd: dataDir, fetch })).toBe(0);
    expect(listed.out()).toMatch(new RegExp(`^\\S+  ${delivery}  joiner  ${id}  provisioned$`, 'm'));

    const byRequest = capture();
    expect(await runStatus([delivery ?? '', '--local'], byRequest.io, { env, cwd: dataDir })).toBe(0);
    expect(byRequest.out()).toMatch(new RegExp(`^${delivery} \\(joiner for ${id}, since .+\\): joiner: provisioned$`, 'm'));
  });

  it('warns the sender about a start date in the past, provisions anyway, and notes it in the audit trail', { timeout: 90_000 }, async () => {
    const id = employeeId('cli-past');
    const file = join(dataDir, 'hire-past.json');
    const startDate = new Date(Date.now() - 9 * 24 * 3600 * 1000).toISOString().slice(0, 10);
    writeFileSync(file, JSON.stringify(hirePayload({ id, role: 'sales', startDate })));
    const send = capture();

    expect(await runHrisSend(['send', 'generic', file, '--local', '--timeout', '60'], send.io, { env, cwd: dataDir, fetch, pollMs: 100 })).toBe(0);

    const note = `${id}: start date ${startDate} is 9 days in the past; access is provisioned now`;
    expect(send.err()).toContain(`warning: ${note}\n`);
    expect(send.out()).toMatch(/: provisioned\n/);
    const audit = createAuditStore({ client: new DynamoDBClient({}), tableName: e2e.cloud.env.AUDIT_TABLE_NAME ?? '', clock: { now: () => new Date() } });
    const received = (await audit.listBySubject(id)).find((entry) => entry.kind === 'request.received');
    expect(received?.detail).toMatchObject({ notes: [note] });
  });

  it('answers a replay of the same delivery id with 202 and follows the one execution it started', { timeout: 60_000 }, async () => {
    const file = join(dataDir, 'hire-2.json');
    writeFileSync(file, JSON.stringify(hirePayload({ id: employeeId('cli2'), role: 'engineer' })));
    const first = capture();
    const again = capture();
    const deliveryId = `msg_cli_${Date.now()}`;

    expect(await runHrisSend(['send', 'generic', file, '--local', '--delivery-id', deliveryId], first.io, { env, cwd: dataDir, fetch, pollMs: 100 })).toBe(0);
    expect(await runHrisSend(['send', 'generic', file, '--local', '--delivery-id', deliveryId, '--timeout', '5'], again.io, { env, cwd: dataDir, fetch, pollMs: 100 })).toBe(0);

    expect(again.out().split('\n')[1]).toBe(first.out().split('\n')[1]);
  });

  it('says in one line when nothing is known by an id (exit 4), and refuses a body that is not JSON (exit 2)', async () => {
    const unknown = capture();
    expect(await runStatus(['NOBODY-AT-ALL', '--local'], unknown.io, { env, cwd: dataDir })).toBe(4);
    expect(unknown.err()).toBe('gatehouse status: nothing is known by NOBODY-AT-ALL (no employee, request or execution of that id)\n');

    const bad = capture();
    expect(await runHrisSend(['send', 'generic', '-', '--local'], bad.io, { env, cwd: dataDir, fetch, stdin: () => Promise.resolve(Buffer.from('type=hire')) })).toBe(2);
    expect(bad.err()).toBe('gatehouse hris send: stdin is not JSON: an HRIS webhook body is a JSON document (npm run gatehouse -- hris send --help)\n');
  });
});
