import { GetUserIdCommand, IdentitystoreClient, ListGroupMembershipsForMemberCommand, ResourceNotFoundException } from '@aws-sdk/client-identitystore';
import { SFNClient, type HistoryEvent } from '@aws-sdk/client-sfn';
import { hirePayload, leavePayload, DemoHris } from '../../local/demo/hris.ts';
import { finishedExecution } from '../../local/demo/run.ts';
import { LOCAL_IDENTITY_STORE_ID } from '../../local/function-env.ts';
import { median } from '../lib/stats.ts';
import { latencyRows, type Row, type Suite } from '../lib/suite.ts';
import { bootWorkerCloud } from '../lib/worker-cloud.ts';
import { isWorkerEntry, runWorker, serveWorker, type WorkerCleanups } from '../lib/worker.ts';
import { historyOf } from '../../tools/cli/executions.ts';

/**
 * Issue #12's four rows, side by side from one run: joiner webhook -> identity ready (user and
 * its memberships exist) and -> workstation running (the workflow has seen it running); leaver
 * webhook -> identity access gone (the user no longer exists) and -> everything retired
 * (execution SUCCEEDED). Each row is printed with its floor and the ratio to it:
 *
 *   floor = emulated EC2 delay on the path + the webhook's own latency (POST to ExecutionStarted)
 *         + the durations of the Lambda invocations on the path that succeeded (the calls the
 *           workflow cannot do without; failed poll attempts and waiting are excluded).
 *
 * Identity rows are read by polling Identity Store every 10 ms (so up to 10 ms is the probe's);
 * the others from the execution's history. Everything in one worker, EC2 pending 200 ms.
 */
const SUITE = 'floors';
const EC2_MS = 200;
const PROBE_MS = 10;
const MAX_MS = 120_000;

interface Task {
  warmup: number;
  n: number;
}
interface Sample {
  measured: number;
  floor: number;
}
type Metric = 'identityReady' | 'workstationRunning' | 'identityGone' | 'everythingRetired';
type Result = Record<Metric, Sample[]>;

const identity = new IdentitystoreClient({});
async function memberships(userName: string): Promise<number | undefined> {
  try {
    const { UserId } = await identity.send(
      new GetUserIdCommand({ IdentityStoreId: LOCAL_IDENTITY_STORE_ID, AlternateIdentifier: { UniqueAttribute: { AttributePath: 'userName', AttributeValue: userName } } }),
    );
    const out = await identity.send(new ListGroupMembershipsForMemberCommand({ IdentityStoreId: LOCAL_IDENTITY_STORE_ID, MemberId: { UserId: UserId ?? '' } }));
    return out.GroupMemberships?.length ?? 0;
  } catch (error) {
    if (error instanceof ResourceNotFoundException) return undefined;
    throw error;
  }
}

/** Polls until `done` holds; answers the instant it first did. */
async function firstTime(read: () => Promise<boolean>): Promise<number> {
  const deadline = Date.now() + MAX_MS;
  while (!(await read())) {
    if (Date.now() > deadline) throw new Error('bench probe timed out');
    await new Promise((resolve) => setTimeout(resolve, PROBE_MS));
  }
  return Date.now();
}


const at = (e: HistoryEvent | undefined): number => e?.timestamp?.getTime() ?? Number.NaN;

/** Started time, and per state exit: when, and the successful Lambda time spent so far. */
function timeline(events: readonly HistoryEvent[]): { started: number; exits: { state: string; at: number; lambdaMs: number }[] } {
  let scheduled: number | undefined;
  let lambdaMs = 0;
  const exits: { state: string; at: number; lambdaMs: number }[] = [];
  for (const e of events) {
    if (e.type === 'LambdaFunctionScheduled') scheduled = at(e);
    if (e.type === 'LambdaFunctionSucceeded' && scheduled !== undefined) lambdaMs += at(e) - scheduled;
    if (e.type?.endsWith('StateExited')) exits.push({ state: e.stateExitedEventDetails?.name ?? '', at: at(e), lambdaMs });
  }
  return { started: at(events.find((e) => e.type === 'ExecutionStarted')), exits };
}

function exitOf(t: ReturnType<typeof timeline>, state: string): { at: number; lambdaMs: number } {
  const exit = t.exits.filter((x) => x.state === state).pop();
  if (!exit) throw new Error(`no exit of "${state}" in the history`);
  return exit;
}

async function measure(task: Task, cleanups: WorkerCleanups): Promise<Result> {
  const cloud = await bootWorkerCloud(cleanups, 'floors', { ec2PendingMs: EC2_MS });
  const sfn = new SFNClient({});
  cleanups.defer(() => sfn.destroy());
  const hris = new DemoHris(cloud.endpoints.frontdoor);
  const runId = Date.now().toString(36).toUpperCase();
  const result: Result = { identityReady: [], workstationRunning: [], identityGone: [], everythingRetired: [] };
  const execArn = (machine: string, name: string) => `arn:aws:states:us-east-1:000000000000:execution:gatehouse-${machine}:${name}`;

  for (let i = 0; i < task.warmup + task.n; i++) {
    const id = `F${runId}-${String(i).padStart(4, '0')}`;
    const userName = `${id.toLowerCase()}@example.com`;
    const keep = i >= task.warmup;

    const hireSent = Date.now();
    if ((await hris.post(hirePayload({ id, role: 'engineer' }), `bench-${id}-hire`)).status !== 202) throw new Error(`${id}: hire refused`);
    const ready = await firstTime(async () => ((await memberships(userName)) ?? 0) >= 2);
    const joiner = await finishedExecution(sfn, 'joiner', `generic-bench-${id}-hire`, MAX_MS);
    if (joiner.status !== 'SUCCEEDED') throw new Error(`${id}: joiner ${joiner.status}`);
    const j = timeline(await historyOf(sfn, execArn('joiner', `generic-bench-${id}-hire`)));
    const webhookJ = j.started - hireSent;
    const user = exitOf(j, 'Create Identity Center User');
    const running = exitOf(j, 'Wait For Workstation');

    const leaveSent = Date.now();
    if ((await hris.post(leavePayload({ id }), `bench-${id}-leave`)).status !== 202) throw new Error(`${id}: leave refused`);
    const gone = await firstTime(async () => (await memberships(userName)) === undefined);
    const leaver = await finishedExecution(sfn, 'leaver', `generic-bench-${id}-leave`, MAX_MS);
    if (leaver.status !== 'SUCCEEDED' || !leaver.stopDate) throw new Error(`${id}: leaver ${leaver.status}`);
    const l = timeline(await historyOf(sfn, execArn('leaver', `generic-bench-${id}-leave`)));
    const webhookL = l.started - leaveSent;
    const deleted = exitOf(l, 'Delete Identity Center User');
    const last = l.exits[l.exits.length - 1] ?? { lambdaMs: Number.NaN };
    if (!keep) continue;
    result.identityReady.push({ measured: ready - hireSent, floor: webhookJ + user.lambdaMs });
    result.workstationRunning.push({ measured: running.at - hireSent, floor: webhookJ + running.lambdaMs + EC2_MS });
    result.identityGone.push({ measured: gone - leaveSent, floor: webhookL + deleted.lambdaMs });
    // Stop, snapshot and terminate each take the emulated delay.
    result.everythingRetired.push({ measured: leaver.stopDate.getTime() - leaveSent, floor: webhookL + last.lambdaMs + 3 * EC2_MS });
  }
  return result;
}

const LABELS: Record<Metric, string> = {
  identityReady: 'joiner webhook -> identity ready (user + memberships)',
  workstationRunning: `joiner webhook -> workstation running (ec2 pending ${EC2_MS} ms)`,
  identityGone: 'leaver webhook -> identity access gone (user deleted)',
  everythingRetired: `leaver webhook -> everything retired (ec2 ${EC2_MS} ms x stop, snapshot, terminate)`,
};

export const floorsSuite: Suite = {
  name: SUITE,
  async run(ctx) {
    const result = await runWorker<Task, Result>(ctx, import.meta.url, { warmup: 1, n: ctx.size(10, 3) });
    const rows: Row[] = [];
    for (const metric of Object.keys(LABELS) as Metric[]) {
      const samples = result[metric];
      rows.push(...latencyRows(SUITE, LABELS[metric], samples.map((s) => s.measured)));
      const floor = median(samples.map((s) => s.floor).sort((a, b) => a - b));
      const ratio = median(samples.map((s) => s.measured / s.floor).sort((a, b) => a - b));
      rows.push({ suite: SUITE, metric: `${LABELS[metric]} floor median`, value: floor, unit: 'ms', n: samples.length });
      rows.push({ suite: SUITE, metric: `${LABELS[metric]} ratio to floor median`, value: Math.round(ratio * 100) / 100, unit: 'x', n: samples.length });
    }
    return rows;
  },
};

if (isWorkerEntry(import.meta.url)) serveWorker(measure);
