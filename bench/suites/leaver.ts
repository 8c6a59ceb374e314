import { SFNClient } from '@aws-sdk/client-sfn';
import { DemoHris } from '../../local/demo/hris.ts';
import type { LeaveEnv } from '../lib/leaves.ts';
import { median } from '../lib/stats.ts';
import { latencyRows, type Row, type Suite } from '../lib/suite.ts';
import type { Transitions } from '../lib/transitions.ts';
import { bootWorkerCloud } from '../lib/worker-cloud.ts';
import { isWorkerEntry, runWorker, serveWorker, type WorkerCleanups } from '../lib/worker.ts';

/**
 * The leaver on the local cloud: leave webhook POST -> every access revoked (user deleted,
 * no membership, workstation terminated, volumes deleted; execution SUCCEEDED and checked),
 * for N engineers hired first, one leave at a time. Each EC2 setting gets its own cloud in
 * its own worker (lib/worker.ts). The leaver polls by Retry (Stop Workstation, Snapshot
 * Volumes and Delete Volumes every 2 s), so with the default 2 s EC2 transitions those polls
 * set the figure; the 0 ms row shows what is left without waiting on EC2.
 */

const SUITE = 'leaver';
const DEFAULT_PENDING_MS = 2000;

interface Task {
  ec2PendingMs: number;
  warmup: number;
  n: number;
}

interface Result {
  latencyMs: number[];
  transitions: Transitions[];
}

async function measure(task: Task, cleanups: WorkerCleanups): Promise<Result> {
  // Imported here, in the worker: local/demo/inspect.ts creates SDK clients when loaded.
  const { hireEngineer, leave } = await import('../lib/leaves.ts');
  const cloud = await bootWorkerCloud(cleanups, `leaver-${task.ec2PendingMs}`, { ec2PendingMs: task.ec2PendingMs });
  const sfn = new SFNClient({});
  cleanups.defer(() => sfn.destroy());
  const env: LeaveEnv = { sfn, hris: new DemoHris(cloud.endpoints.frontdoor), runId: Date.now().toString(36).toUpperCase() };

  const ids = await Promise.all(Array.from({ length: task.warmup + task.n }, () => hireEngineer(env)));
  // The first leave loads every leaver function module: not a steady-state figure.
  for (const id of ids.slice(0, task.warmup)) await leave(env, id);
  const outcomes = [];
  for (const id of ids.slice(task.warmup)) outcomes.push(await leave(env, id));
  return { latencyMs: outcomes.map((o) => o.latencyMs), transitions: outcomes.map((o) => o.transitions) };
}

const pendingLabel = (ms: number) => `ec2 pending ${ms} ms${ms === DEFAULT_PENDING_MS ? ' (default)' : ''}`;

function transitionRow(metric: string, list: readonly Transitions[], pick: (t: Transitions) => number): Row[] {
  if (list.length === 0) return [];
  return [{ suite: SUITE, metric, value: median(list.map(pick).sort((a, b) => a - b)), unit: 'transitions', n: list.length }];
}

export const leaverSuite: Suite = {
  name: SUITE,
  async run(ctx) {
    const base = { warmup: 1, n: ctx.size(10, 3) };
    const tasks: Task[] = [
      { ...base, ec2PendingMs: DEFAULT_PENDING_MS },
      { ...base, ec2PendingMs: 0 },
    ];
    const results: { task: Task; result: Result }[] = [];
    for (const task of tasks) results.push({ task, result: await runWorker<Task, Result>(ctx, import.meta.url, task) });

    const rows: Row[] = [];
    for (const { task, result } of results) {
      rows.push(...latencyRows(SUITE, `engineer: leave webhook -> all access revoked, ${pendingLabel(task.ec2PendingMs)}`, result.latencyMs));
    }
    const [first] = results;
    if (first) rows.push(...transitionRow('transitions/execution: engineer leave, StateEntered', first.result.transitions, (t) => t.entered));
    for (const { task, result } of results) {
      rows.push(...transitionRow(`transitions/execution: engineer leave, billed (+ poll retries), ${pendingLabel(task.ec2PendingMs)}`, result.transitions, (t) => t.billed));
    }
    return rows;
  },
};

if (isWorkerEntry(import.meta.url)) serveWorker(measure);
