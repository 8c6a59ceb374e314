import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { CreateGroupMembershipCommand, CreateUserCommand, GetGroupIdCommand, IdentitystoreClient } from '@aws-sdk/client-identitystore';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { BatchWriteCommand, DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DescribeExecutionCommand, ListExecutionsCommand, ListMapRunsCommand, SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { REPO_ROOT } from '../../infra/gatehouse.ts';
import { loadCatalogue } from '../../functions/lib/domain/catalogue/load.ts';
import { LOCAL_IDENTITY_STORE_ID } from '../../local/function-env.ts';
import { executionArn, stateMachineArn } from '../../local/core/arn.ts';
import { historyOf } from '../../tools/cli/executions.ts';
import { countTransitions } from '../lib/transitions.ts';
import { IDENTITY_STORE_RATE, identityStoreCalls, progress, rateFloorRows, rateProgress, type IdentityStoreCalls, type Suite } from '../lib/suite.ts';
import { benchStateInMemory, bootWorkerCloud, cloudEnv } from '../lib/worker-cloud.ts';
import { isWorkerEntry, runWorker, serveWorker, type WorkerCleanups } from '../lib/worker.ts';

/**
 * Catalogue convergence at company scale (issue #13): N holders of `sales` (seeded straight into
 * the tables and the Identity Store: hiring them through N joiners would measure the joiner), a
 * catalogue version where sales grants Marketing instead of Sales, the Identity Store emulator
 * at AWS's documented rate (`identitystore:*:rate=aws`, 20 requests/s, local/core/aws-quotas.ts),
 * then one confirmed convergence run: wall time, the rate floor (Identity Store calls that
 * succeeded ÷ 20 per s), state transitions (parent and every child), throttled calls retried,
 * people failed (must be 0). Size: 10,000 is the figure; the default full run is 1,000
 * (about 10 calls per person: 10,000 people are ~80 minutes at the floor alone), --quick 100;
 * GATEHOUSE_BENCH_CONVERGENCE_PEOPLE overrides both.
 */

const SUITE = 'convergence';
const MACHINE = 'catalogue-convergence';

interface Task {
  people: number;
}

interface Result {
  people: number;
  wallMs: number;
  identity: IdentityStoreCalls;
  transitions: number;
  failed: number;
  converged: number;
  status: string;
}

async function seed(people: number, tables: { employees: string; grants: string }): Promise<void> {
  const identity = new IdentitystoreClient({});
  const doc = DynamoDBDocumentClient.from(new DynamoDBClient({}));
  const groupId = async (name: string) =>
    (await identity.send(new GetGroupIdCommand({ IdentityStoreId: LOCAL_IDENTITY_STORE_ID, AlternateIdentifier: { UniqueAttribute: { AttributePath: 'displayName', AttributeValue: name } } }))).GroupId!;
  const [allStaff, sales] = [await groupId('AllStaff'), await groupId('Sales')];
  const ids = Array.from({ length: people }, (_, i) => `CV${String(i).padStart(6, '0')}`);
  const writes: { table: string; item: Record<string, unknown> }[] = [];
  let next = 0;
  const worker = async () => {
    while (next < ids.length) {
      const id = ids[next++]!;
      const email = `${id.toLowerCase()}@example.com`;
      const { UserId } = await identity.send(new CreateUserCommand({ IdentityStoreId: LOCAL_IDENTITY_STORE_ID, UserName: email, DisplayName: id, Name: { GivenName: 'Bench', FamilyName: id }, Emails: [{ Value: email, Type: 'work', Primary: true }] }));
      const memberships: Record<string, string> = {};
      for (const [name, group] of [['AllStaff', allStaff], ['Sales', sales]] as const) {
        memberships[name] = (await identity.send(new CreateGroupMembershipCommand({ IdentityStoreId: LOCAL_IDENTITY_STORE_ID, GroupId: group, MemberId: { UserId: UserId! } }))).MembershipId!;
      }
      writes.push({ table: tables.employees, item: { employeeId: id, status: 'active', role: 'sales', email, emailLower: email, employmentType: 'employee', startDate: '2026-01-05', identityUserId: UserId } });
      for (const name of ['AllStaff', 'Sales']) {
        writes.push({ table: tables.grants, item: { employeeId: id, grantKey: `group:${name}#role#sales`, entitlementId: `group:${name}`, source: 'role:sales', status: 'active', grantedAt: '2026-01-05T09:00:00.000Z', requestId: `seed-${id}`, approvedBy: ['auto-approved'], userId: UserId, membershipId: memberships[name] } });
      }
    }
  };
  await Promise.all(Array.from({ length: 8 }, worker));
  for (let i = 0; i < writes.length; i += 25) {
    const batch = writes.slice(i, i + 25);
    const byTable: Record<string, { PutRequest: { Item: Record<string, unknown> } }[]> = {};
    for (const { table, item } of batch) (byTable[table] ??= []).push({ PutRequest: { Item: item } });
    let request: typeof byTable | undefined = byTable;
    while (request && Object.keys(request).length > 0) request = (await doc.send(new BatchWriteCommand({ RequestItems: request }))).UnprocessedItems as typeof byTable | undefined;
  }
  identity.destroy();
  doc.destroy();
}

async function transitionsOf(sfn: SFNClient, arn: string): Promise<number> {
  let total = countTransitions(await historyOf(sfn, arn)).billed;
  const runs = (await sfn.send(new ListMapRunsCommand({ executionArn: arn }))).mapRuns ?? [];
  for (const run of runs) {
    let nextToken: string | undefined;
    do {
      const page = await sfn.send(new ListExecutionsCommand({ mapRunArn: run.mapRunArn, maxResults: 1000, nextToken }));
      for (const child of page.executions ?? []) total += countTransitions(await historyOf(sfn, child.executionArn!)).billed;
      nextToken = page.nextToken;
    } while (nextToken);
  }
  return total;
}

async function measure(task: Task, cleanups: WorkerCleanups): Promise<Result> {
  const dir = await mkdtemp(join(tmpdir(), 'gatehouse-bench-catalogue-'));
  cleanups.defer(() => rm(dir, { recursive: true, force: true }));
  const shipped = JSON.parse(readFileSync(join(REPO_ROOT, 'config/role-catalogue.json'), 'utf8')) as { entitlements: object[]; roles: { id: string; entitlements: string[] }[] };
  const changed = {
    ...shipped,
    entitlements: [...shipped.entitlements, { id: 'group:Marketing', kind: 'group', displayName: 'Marketing', description: 'Campaigns.', risk: 'low', ownerGroupEmail: 'marketing-owners@example.com' }],
    roles: shipped.roles.map((role) => (role.id === 'sales' ? { ...role, entitlements: ['group:Marketing'] } : role)),
  };
  const file = join(dir, 'catalogue.json');
  writeFileSync(file, JSON.stringify(changed));
  const version = loadCatalogue(readFileSync(file, 'utf8'), file).version;
  const cloud = await bootWorkerCloud(cleanups, 'convergence', { catalogueFile: file, functionEnv: { POWERTOOLS_LOG_LEVEL: 'ERROR', CONVERGENCE_MAX_REVOKE_SHARE: '1' } });
  await seed(task.people, { employees: cloudEnv(cloud, 'EMPLOYEES_TABLE_NAME'), grants: cloudEnv(cloud, 'GRANTS_TABLE_NAME') });
  cloud.faults.set([{ service: 'identitystore', operation: '*', rate: 'aws' }]);
  cloud.faults.calls.clear();
  cloud.faults.throttled.clear();

  const sfn = new SFNClient({});
  cleanups.defer(() => sfn.destroy());
  const name = `bench-${Date.now()}`;
  const started = performance.now();
  await sfn.send(new StartExecutionCommand({ stateMachineArn: stateMachineArn(MACHINE), name, input: JSON.stringify({ catalogueVersion: version }) }));
  const arn = executionArn(MACHINE, name);
  progress(SUITE, `${task.people} holders seeded; convergence started`);
  const stopProgress = rateProgress(SUITE, cloud.faults, (calls) => `${calls.byOperation.DeleteGroupMembership ?? 0} old memberships removed (one per person)`);
  cleanups.defer(stopProgress);
  let out;
  for (;;) {
    out = await sfn.send(new DescribeExecutionCommand({ executionArn: arn }));
    if (out.status !== 'RUNNING') break;
    await new Promise((done) => setTimeout(done, 1_000));
  }
  const wallMs = performance.now() - started;
  stopProgress();
  const identity = identityStoreCalls(cloud.faults);
  progress(SUITE, `${out.status} after ${(wallMs / 1000).toFixed(1)} s`);
  const counts = (JSON.parse(out.output ?? '{}') as { counts?: { failed: number; converged: number } }).counts;
  return {
    people: task.people,
    wallMs,
    identity,
    transitions: await transitionsOf(sfn, arn),
    failed: counts?.failed ?? task.people,
    converged: counts?.converged ?? 0,
    status: out.status ?? 'UNKNOWN',
  };
}

export const convergenceSuite: Suite = {
  name: SUITE,
  async run(ctx) {
    const override = Number(process.env.GATEHOUSE_BENCH_CONVERGENCE_PEOPLE);
    const people = Number.isInteger(override) && override > 0 ? override : ctx.size(1_000, 100);
    const r = await runWorker<Task, Result>(ctx, import.meta.url, { people });
    const metric = (what: string) => `${r.people} holders, sales: Sales -> Marketing, Identity Store rate=aws (${IDENTITY_STORE_RATE}/s)${benchStateInMemory() ? ', state in memory' : ''}: ${what}`;
    return [
      ...rateFloorRows(SUITE, metric, { wallMs: r.wallMs, wallLabel: `wall (${r.status})`, people: r.people, identity: r.identity }, [
        { suite: SUITE, metric: metric('state transitions (parent + children, billed)'), value: r.transitions, unit: 'transitions', n: 1 },
      ]),
      { suite: SUITE, metric: metric('people converged'), value: r.converged, unit: 'people', n: 1 },
      { suite: SUITE, metric: metric('people failed (must be 0)'), value: r.failed, unit: 'people', n: 1 },
    ];
  },
};

if (isWorkerEntry(import.meta.url)) serveWorker(measure);
