import { CreateGroupMembershipCommand, CreateUserCommand, GetGroupIdCommand, IdentitystoreClient, ListUsersCommand } from '@aws-sdk/client-identitystore';
import { DescribeExecutionCommand, SFNClient } from '@aws-sdk/client-sfn';
import type { AdoptionPlan } from '../../functions/lib/domain/adoption/plan.ts';
import { executionArn } from '../../local/core/arn.ts';
import { LOCAL_IDENTITY_STORE_ID } from '../../local/function-env.ts';
import { finishedExecution } from '../../local/demo/run.ts';
import { runAdoptCli } from '../../tools/adopt-cli.ts';
import { company } from '../../test/support/adoption-company.ts';
import { IDENTITY_STORE_RATE, identityStoreCalls, progress, rateFloorRows, rateProgress, type IdentityStoreCalls, type Suite } from '../lib/suite.ts';
import { stepInputs, stepMemory, type StepMemory } from '../lib/step-memory.ts';
import { benchStateInMemory, bootWorkerCloud, cloudEnv } from '../lib/worker-cloud.ts';
import { REPO_ROOT } from '../../infra/gatehouse.ts';
import { isWorkerEntry, runWorker, serveWorker, type WorkerCleanups } from '../lib/worker.ts';

/**
 * Adoption at company scale (issue #14): N people in the local HRIS (HiBob), a fifth of them with
 * Identity Store users holding their role's groups, `gatehouse adopt --apply` through the adoption
 * workflow, and every person without a user hired by the joiner, under the Identity Store
 * emulator at AWS's documented rate (`identitystore:*:rate=aws`, Identity Center's collective 20
 * requests/s, local/core/aws-quotas.ts). Figures: wall time from apply until the last joiner
 * ended, the rate floor (Identity Store calls that succeeded ÷ 20 per s), throttled calls retried,
 * and duplicates (users whose name exists twice, or more users than people: must be 0). The
 * issue's size is 10,000 (2,000 existing): GATEHOUSE_BENCH_ADOPTION_PEOPLE=10000; the default full
 * run is 1,000, --quick 100 (each hire is a whole joiner: ~7 Identity Store calls at 20/s).
 */

const SUITE = 'adoption';

interface Task {
  people: number;
}

interface Result {
  people: number;
  existing: number;
  wallMs: number;
  identity: IdentityStoreCalls;
  duplicates: number;
  adopted: number;
  hired: number;
  status: string;
  memory: { baselineMb: number; steps: StepMemory[] };
}

async function allUserNames(identity: IdentitystoreClient): Promise<string[]> {
  const names: string[] = [];
  let NextToken: string | undefined;
  do {
    const page = await identity.send(new ListUsersCommand({ IdentityStoreId: LOCAL_IDENTITY_STORE_ID, MaxResults: 100, NextToken }));
    names.push(...(page.Users ?? []).map((u) => (u.UserName ?? '').toLowerCase()));
    NextToken = page.NextToken;
  } while (NextToken);
  return names;
}

async function measure(task: Task, cleanups: WorkerCleanups): Promise<Result> {
  const existing = Math.round(task.people / 5);
  const cloud = await bootWorkerCloud(cleanups, 'adoption', { functionEnv: { POWERTOOLS_LOG_LEVEL: 'ERROR' } });
  // The cloud put its endpoints in process.env (AWS_ENDPOINT_URL_*): the CLI's SDK clients use them as on AWS.
  const env = { IDENTITY_STORE_ID: LOCAL_IDENTITY_STORE_ID, GATEHOUSE_TABLE_PREFIX: cloudEnv(cloud, 'AUDIT_TABLE_NAME').replace(/audit$/, '') };
  const identity = new IdentitystoreClient({});
  cleanups.defer(() => identity.destroy());
  const { roster, users } = company({ people: task.people, existing, extras: 0, orphans: 0, ambiguous: 0 }, 'B');
  for (const seeded of cloud.hris.people.list('hibob')) cloud.hris.people.put('hibob', { ...seeded, status: 'terminated', terminationDate: '2025-12-31' });
  for (const p of roster) cloud.hris.people.put('hibob', { id: p.id, email: p.email, firstName: 'Bench', lastName: p.id, title: 'Account Executive', gatehouseRole: 'sales', employmentType: 'employee', startDate: '2024-02-01', status: 'active' });
  const groups = new Map<string, string>();
  for (const name of ['AllStaff', 'Sales']) {
    groups.set(name, (await identity.send(new GetGroupIdCommand({ IdentityStoreId: LOCAL_IDENTITY_STORE_ID, AlternateIdentifier: { UniqueAttribute: { AttributePath: 'displayName', AttributeValue: name } } }))).GroupId ?? '');
  }
  for (const u of users) {
    const out = await identity.send(new CreateUserCommand({ IdentityStoreId: LOCAL_IDENTITY_STORE_ID, UserName: u.userName, DisplayName: u.key, Name: { GivenName: 'Bench', FamilyName: u.key }, Emails: u.emails.map((Value) => ({ Value, Type: 'work' })) }));
    for (const g of u.groups) await identity.send(new CreateGroupMembershipCommand({ IdentityStoreId: LOCAL_IDENTITY_STORE_ID, GroupId: groups.get(g), MemberId: { UserId: out.UserId ?? '' } }));
  }
  const before = (await allUserNames(identity)).length;

  const out: string[] = [];
  const io = { stdout: (t: string) => void out.push(t), stderr: () => undefined };
  const cli = (args: string[]) => runAdoptCli(['--hris', 'hibob', ...args], io, { env, cwd: process.cwd(), pollMs: 500 });
  if ((await cli(['--json'])) !== 0) throw new Error(`adopt dry run failed: ${out.join('')}`);
  const plan = JSON.parse(out.join('')) as AdoptionPlan;
  cloud.faults.set([{ service: 'identitystore', operation: '*', rate: 'aws' }]);
  cloud.faults.calls.clear();
  cloud.faults.throttled.clear();

  const started = performance.now();
  progress(SUITE, `${task.people} people (${existing} existing) planned; apply started`);
  const stopProgress = rateProgress(SUITE, cloud.faults, (calls) => `${calls.byOperation.CreateUser ?? 0} users created by joiners`);
  cleanups.defer(stopProgress);
  out.length = 0;
  const code = await cli(['--apply', '--confirm', plan.fingerprint, '--json']);
  const sfn = new SFNClient({});
  cleanups.defer(() => sfn.destroy());
  const described = await sfn.send(new DescribeExecutionCommand({ executionArn: executionArn('adoption', `adopt-${plan.fingerprint}`) }));
  let hired = 0;
  for (const c of plan.create) if ((await finishedExecution(sfn, 'joiner', `adopt-${c.employeeId}`, 4 * 60 * 60 * 1000)).status === 'SUCCEEDED') hired += 1;
  const wallMs = performance.now() - started;
  stopProgress();
  const counted = identityStoreCalls(cloud.faults);
  progress(SUITE, `apply and ${hired} joiners ended after ${(wallMs / 1000).toFixed(1)} s`);
  cloud.faults.set([]);
  const names = await allUserNames(identity);
  const output = JSON.parse(described.output ?? '{}') as { counts?: { adopted: number } };
  // Per-step peak memory: the adoption execution's steps and one joiner's, each replayed in a fresh process (bench/lib/step-memory.ts).
  const firstHire = plan.create[0];
  const traced = [executionArn('adoption', `adopt-${plan.fingerprint}`), ...(firstHire ? [executionArn('joiner', `adopt-${firstHire.employeeId}`)] : [])];
  const memory = await stepMemory(REPO_ROOT, await stepInputs(sfn, traced));
  return {
    people: task.people,
    existing,
    wallMs,
    identity: counted,
    duplicates: names.length - new Set(names).size + Math.max(0, names.length - before - plan.create.length),
    adopted: output.counts?.adopted ?? 0,
    hired,
    memory,
    status: code === 0 ? (described.status ?? 'UNKNOWN') : `exit ${code}`,
  };
}

export const adoptionSuite: Suite = {
  name: SUITE,
  async run(ctx) {
    const override = Number(process.env.GATEHOUSE_BENCH_ADOPTION_PEOPLE);
    const people = Number.isInteger(override) && override > 0 ? override : ctx.size(1_000, 100);
    const r = await runWorker<Task, Result>(ctx, import.meta.url, { people });
    const metric = (what: string) => `${r.people} people (${r.existing} existing), Identity Store rate=aws (${IDENTITY_STORE_RATE}/s)${benchStateInMemory() ? ', state in memory' : ''}: ${what}`;
    return [
      ...rateFloorRows(SUITE, metric, { wallMs: r.wallMs, wallLabel: `wall, apply to last joiner (${r.status})`, people: r.people, identity: r.identity }),
      { suite: SUITE, metric: metric('people adopted'), value: r.adopted, unit: 'people', n: 1 },
      { suite: SUITE, metric: metric('people hired through the joiner'), value: r.hired, unit: 'people', n: 1 },
      { suite: SUITE, metric: metric('duplicate users (must be 0)'), value: r.duplicates, unit: 'users', n: 1 },
      { suite: SUITE, metric: metric('peak memory, baseline: node + tsx loader, no handler (fresh process)'), value: r.memory.baselineMb, unit: 'MB', n: 1 },
      ...r.memory.steps.map((step) => ({
        suite: SUITE,
        metric: metric(`peak memory, step "${step.state}" (functions/${step.folder}, largest input ${(step.inputBytes / 1024).toFixed(1)} KiB, replayed in a fresh process${step.ok ? '' : ', FAILED'})`),
        value: step.peakMb,
        unit: 'MB',
        n: 1,
      })),
    ];
  },
};

if (isWorkerEntry(import.meta.url)) serveWorker(measure);
