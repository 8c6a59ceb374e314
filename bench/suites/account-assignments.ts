import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ListAccountAssignmentsForPrincipalCommand, SSOAdminClient } from '@aws-sdk/client-sso-admin';
import { SFNClient } from '@aws-sdk/client-sfn';
import { DemoHris, hirePayload } from '../../local/demo/hris.ts';
import { finishedExecution } from '../../local/demo/run.ts';
import { LOCAL_SSO_INSTANCE_ARN } from '../../local/function-env.ts';
import { median } from '../lib/stats.ts';
import { latencyRows, type Row, type Suite } from '../lib/suite.ts';
import { bootWorkerCloud } from '../lib/worker-cloud.ts';
import { isWorkerEntry, runWorker, serveWorker, type WorkerCleanups } from '../lib/worker.ts';

/**
 * A time-bound account assignment on the local cloud: from POST /access-requests (low risk, no
 * approval) to the moment Identity Center lists the assignment (its request SUCCEEDED), with the
 * emulated assignment delay (GATEHOUSE_SSO_ASSIGNMENT_MS) at its default, for two settings of
 * ACCOUNT_ASSIGNMENT_POLL_SECONDS. The ratio row is that latency over the emulated delay: 1.0 would
 * mean the path from the API to CreateAccountAssignment (front door, Prepare Access Request, Assign
 * Accounts) cost nothing. The poll interval decides when the request is marked granted afterwards.
 */

const SUITE = 'account-assignments';
const ASSIGNMENT_MS = 2000;
const ACCOUNT = '444455556666';
const ENTITLEMENT = 'account-assignment:BenchReadOnly';

interface Task {
  pollSeconds: number;
  warmup: number;
  samples: number;
}

async function measure(task: Task, cleanups: WorkerCleanups): Promise<number[]> {
  const { accessOf } = await import('../../local/demo/inspect.ts');
  const { mkdtemp, rm } = await import('node:fs/promises');
  const { tmpdir } = await import('node:os');
  const dir = await mkdtemp(join(tmpdir(), 'gatehouse-bench-aa-'));
  cleanups.defer(() => rm(dir, { recursive: true, force: true }));
  const catalogue = JSON.parse(readFileSync('config/role-catalogue.json', 'utf8')) as { $schema?: string; entitlements: unknown[] };
  delete catalogue.$schema;
  catalogue.entitlements.push({
    id: ENTITLEMENT,
    kind: 'account-assignment',
    name: 'BenchReadOnly',
    description: 'ReadOnlyAccess on a staging account (bench).',
    risk: 'low',
    ownerGroupEmail: 'platform-owners@example.com',
    maxTimeBoundDuration: 'PT1H',
    permissionSet: 'ReadOnlyAccess',
    accountIds: [ACCOUNT],
  });
  const catalogueFile = join(dir, 'catalogue.json');
  writeFileSync(catalogueFile, JSON.stringify(catalogue));
  const cloud = await bootWorkerCloud(cleanups, `aa-${task.pollSeconds}`, {
    catalogueFile,
    ssoAssignmentMs: ASSIGNMENT_MS,
    functionEnv: { ACCOUNT_ASSIGNMENT_POLL_SECONDS: String(task.pollSeconds), POWERTOOLS_LOG_LEVEL: 'ERROR' },
  });
  const sfn = new SFNClient({});
  const sso = new SSOAdminClient({});
  cleanups.defer(() => {
    sfn.destroy();
    sso.destroy();
  });
  const hris = new DemoHris(cloud.endpoints.frontdoor);
  const runId = Date.now().toString(36).toUpperCase();

  const one = async (n: number): Promise<number> => {
    const id = `B${runId}-AA-${String(n).padStart(4, '0')}`;
    const email = `${id.toLowerCase()}@example.com`;
    await hris.post(hirePayload({ id, role: 'sales' }), `bench-${id}`);
    const joiner = await finishedExecution(sfn, 'joiner', `generic-bench-${id}`, 120_000);
    if (joiner.status !== 'SUCCEEDED') throw new Error(`${id}: joiner ${joiner.status}`);
    const { userId } = await accessOf(id, email);
    if (!userId) throw new Error(`${id}: no Identity Center user after the joiner`);
    const token = await cloud.issueToken({ email, groups: [] });
    const sent = Date.now();
    const res = await fetch(`${cloud.endpoints.frontdoor}/access-requests`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, 'idempotency-key': `bench-${id}` },
      body: JSON.stringify({ entitlementId: ENTITLEMENT, duration: 'PT1H', justification: 'bench: time to an account assignment' }),
    });
    if (res.status !== 202) throw new Error(`${id}: POST /access-requests answered ${res.status}`);
    for (const deadline = sent + 60_000; Date.now() < deadline; await new Promise((resolve) => setTimeout(resolve, 50))) {
      const { AccountAssignments = [] } = await sso.send(
        new ListAccountAssignmentsForPrincipalCommand({ InstanceArn: LOCAL_SSO_INSTANCE_ARN, PrincipalType: 'USER', PrincipalId: userId, Filter: { AccountId: ACCOUNT } }),
      );
      if (AccountAssignments.length > 0) return Date.now() - sent;
    }
    throw new Error(`${id}: no assignment within 60 s`);
  };

  let n = 0;
  for (let i = 0; i < task.warmup; i++) await one((n += 1));
  const samples: number[] = [];
  for (let i = 0; i < task.samples; i++) samples.push(await one((n += 1)));
  return samples;
}

export const accountAssignmentsSuite: Suite = {
  name: SUITE,
  async run(ctx) {
    const rows: Row[] = [];
    for (const pollSeconds of [2, 1]) {
      const samples = await runWorker<Task, number[]>(ctx, import.meta.url, { pollSeconds, warmup: 1, samples: ctx.size(8, 2) });
      const label = `request -> assignment SUCCEEDED, emulated delay ${ASSIGNMENT_MS} ms, poll ${pollSeconds} s${pollSeconds === 2 ? ' (default)' : ''}`;
      rows.push(...latencyRows(SUITE, label, samples));
      const sorted = [...samples].sort((a, b) => a - b);
      rows.push({ suite: SUITE, metric: `${label}: median / emulated delay`, value: Math.round((median(sorted) / ASSIGNMENT_MS) * 100) / 100, unit: 'x', n: samples.length });
    }
    return rows;
  },
};

if (isWorkerEntry(import.meta.url)) serveWorker(measure);
