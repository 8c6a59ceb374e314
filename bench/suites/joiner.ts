import { SFNClient } from '@aws-sdk/client-sfn';
import { DemoHris } from '../../local/demo/hris.ts';
import { median } from '../lib/stats.ts';
import type { HireEnv, HireSpec } from '../lib/hires.ts';
import { latencyRows, type Row, type Suite } from '../lib/suite.ts';
import type { Transitions } from '../lib/transitions.ts';
import { bootWorkerCloud } from '../lib/worker-cloud.ts';
import { isWorkerEntry, runWorker, serveWorker, type WorkerCleanups } from '../lib/worker.ts';

/**
 * The joiner on the local cloud, from the signed webhook (POST to the front door) to the
 * execution's stopDate (SUCCEEDED after Notify), for low-risk hires, with what exists
 * checked after each one (lib/hires.ts). Each EC2 setting gets its own cloud in its own
 * worker process (see lib/worker.ts), persisted under a temp folder as `npm start` runs it.
 *
 * ec2PendingMs is how long the emulated instance (and the data volume launched with it, in its
 * block device mapping) stays pending. The joiner waits for the instance's state-change
 * notification, and the volume is attached once the instance runs, so the floor is one EC2
 * delay plus the calls; the 0 ms row shows what remains without any wait.
 */

const SUITE = 'joiner';
const DEFAULT_PENDING_MS = 2000;
const CONCURRENCY = 10;
const MANAGER = 'dana.lead@example.com';
const FINANCE_OWNERS = 'finance-owners@example.com';

const ENGINEER: HireSpec = { role: 'engineer' };
const SALES: HireSpec = { role: 'sales' };
const FINANCE_ADMIN: HireSpec = { role: 'finance-admin', managerEmail: MANAGER, approvers: [MANAGER, FINANCE_OWNERS] };

interface Task {
  ec2PendingMs: number;
  warmup: number;
  sequential: number;
  /** Rounds of CONCURRENCY simultaneous engineer hires (0: none). */
  concurrentRounds: number;
  sales: number;
  financeAdmin: number;
}

interface Result {
  sequentialMs: number[];
  concurrentMs: number[];
  engineer: Transitions[];
  sales: Transitions[];
  financeAdmin: Transitions[];
}

async function measure(task: Task, cleanups: WorkerCleanups): Promise<Result> {
  // Imported here, in the worker: local/demo/inspect.ts creates SDK clients when loaded.
  const { hire } = await import('../lib/hires.ts');
  const cloud = await bootWorkerCloud(cleanups, `joiner-${task.ec2PendingMs}`, { ec2PendingMs: task.ec2PendingMs });
  const sfn = new SFNClient({});
  cleanups.defer(() => sfn.destroy());
  const env: HireEnv = { cloud, sfn, hris: new DemoHris(cloud.endpoints.frontdoor), runId: Date.now().toString(36).toUpperCase() };

  // The first hires load every function module and warm the JVM: not a steady-state figure.
  for (let i = 0; i < task.warmup; i++) await hire(env, ENGINEER);
  const sequential = [];
  for (let i = 0; i < task.sequential; i++) sequential.push(await hire(env, ENGINEER));
  const concurrent = [];
  for (let round = 0; round < task.concurrentRounds; round++) {
    concurrent.push(...(await Promise.all(Array.from({ length: CONCURRENCY }, () => hire(env, ENGINEER)))));
  }
  const sales = [];
  for (let i = 0; i < task.sales; i++) sales.push(await hire(env, SALES));
  const financeAdmin = [];
  for (let i = 0; i < task.financeAdmin; i++) financeAdmin.push(await hire(env, FINANCE_ADMIN));
  return {
    sequentialMs: sequential.map((h) => h.latencyMs),
    concurrentMs: concurrent.map((h) => h.latencyMs),
    engineer: sequential.map((h) => h.transitions),
    sales: sales.map((h) => h.transitions),
    financeAdmin: financeAdmin.map((h) => h.transitions),
  };
}

const pendingLabel = (ms: number) => `ec2 pending ${ms} ms${ms === DEFAULT_PENDING_MS ? ' (default)' : ''}`;

/** Median of one transitions figure over executions. */
function transitionRow(metric: string, list: readonly Transitions[], pick: (t: Transitions) => number): Row[] {
  if (list.length === 0) return [];
  return [{ suite: SUITE, metric, value: median(list.map(pick).sort((a, b) => a - b)), unit: 'transitions', n: list.length }];
}

export const joinerSuite: Suite = {
  name: SUITE,
  async run(ctx) {
    const base = { warmup: ctx.size(2, 1), sequential: ctx.size(20, 3) };
    const tasks: Task[] = [
      { ...base, ec2PendingMs: DEFAULT_PENDING_MS, concurrentRounds: ctx.size(2, 1), sales: ctx.size(5, 1), financeAdmin: ctx.size(3, 1) },
      { ...base, ec2PendingMs: 200, concurrentRounds: 0, sales: 0, financeAdmin: 0 },
      { ...base, ec2PendingMs: 0, concurrentRounds: 0, sales: 0, financeAdmin: 0 },
    ];
    const results: { task: Task; result: Result }[] = [];
    for (const task of tasks) results.push({ task, result: await runWorker<Task, Result>(ctx, import.meta.url, task) });

    const rows: Row[] = [];
    for (const { task, result } of results) {
      rows.push(...latencyRows(SUITE, `engineer: webhook -> SUCCEEDED, sequential, ${pendingLabel(task.ec2PendingMs)}`, result.sequentialMs));
    }
    for (const { task, result } of results) {
      if (result.concurrentMs.length === 0) continue;
      rows.push(...latencyRows(SUITE, `engineer: webhook -> SUCCEEDED, ${CONCURRENCY} concurrent, ${pendingLabel(task.ec2PendingMs)}`, result.concurrentMs));
    }
    const [first] = results;
    if (first) rows.push(...transitionRow('transitions/execution: engineer auto-approved, StateEntered', first.result.engineer, (t) => t.entered));
    for (const { task, result } of results) {
      rows.push(...transitionRow(`transitions/execution: engineer, billed (+ poll retries), ${pendingLabel(task.ec2PendingMs)}`, result.engineer, (t) => t.billed));
    }
    if (first) {
      rows.push(...transitionRow('transitions/execution: sales auto-approved, StateEntered', first.result.sales, (t) => t.entered));
      rows.push(...transitionRow('transitions/execution: sales auto-approved, billed (+ retries)', first.result.sales, (t) => t.billed));
      rows.push(...transitionRow('transitions/execution: finance-admin 2 approvals, StateEntered', first.result.financeAdmin, (t) => t.entered));
      rows.push(...transitionRow('transitions/execution: finance-admin 2 approvals, billed (+ retries)', first.result.financeAdmin, (t) => t.billed));
    }
    return rows;
  },
};

if (isWorkerEntry(import.meta.url)) serveWorker(measure);
