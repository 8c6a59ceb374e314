import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SFNClient } from '@aws-sdk/client-sfn';
import { DemoHris } from '../../local/demo/hris.ts';
import type { MoveEnv } from '../lib/moves.ts';
import { median } from '../lib/stats.ts';
import { latencyRows, type Row, type Suite } from '../lib/suite.ts';
import type { Transitions } from '../lib/transitions.ts';
import { bootWorkerCloud, cloudEnv } from '../lib/worker-cloud.ts';
import { isWorkerEntry, runWorker, serveWorker, type WorkerCleanups } from '../lib/worker.ts';

/**
 * The mover on the local cloud (EC2 transitions at the default 2 s, as `npm start` runs it):
 * HRIS change webhook POST -> moved (execution SUCCEEDED, the new role's memberships present
 * and the old ones gone, grants table active only for role:<new>; lib/moves.ts checks it).
 * N engineers are hired first; each then moves engineer -> sales (drops the workstation: stop,
 * retained snapshot, terminate, delete volume) and back, sales -> engineer (launches one),
 * one move at a time. Both are auto-approved. The revocation polls by Retry (Stop, Snapshot,
 * Delete Volumes every 2 s) and the launch too (Wait For Workstation every 3 s, Attach
 * Storage every 2 s), so with 2 s EC2 transitions those polls set the figures.
 */

const SUITE = 'mover';

interface Task {
  warmup: number;
  n: number;
}

interface Result {
  toSalesMs: number[];
  toEngineerMs: number[];
  toSales: Transitions[];
  toEngineer: Transitions[];
}

async function measure(task: Task, cleanups: WorkerCleanups): Promise<Result> {
  // Imported here, in the worker: local/demo/inspect.ts creates SDK clients when loaded.
  const { hireEngineer } = await import('../lib/leaves.ts');
  const { move } = await import('../lib/moves.ts');
  const cloud = await bootWorkerCloud(cleanups, 'mover');
  const sfn = new SFNClient({});
  const dynamo = new DynamoDBClient({});
  cleanups.defer(() => {
    sfn.destroy();
    dynamo.destroy();
  });
  const hris = new DemoHris(cloud.endpoints.frontdoor);
  const env: MoveEnv = { hris, sfn, dynamo, grantsTable: cloudEnv(cloud, 'GRANTS_TABLE_NAME') };

  const hireEnv = { hris, sfn, runId: `M${Date.now().toString(36).toUpperCase()}` };
  const ids = await Promise.all(Array.from({ length: task.warmup + task.n }, () => hireEngineer(hireEnv)));
  // The first moves load every mover function module: not a steady-state figure.
  for (const id of ids.slice(0, task.warmup)) {
    await move(env, id, 'sales', 'sales');
    await move(env, id, 'engineer', 'engineer');
  }
  const result: Result = { toSalesMs: [], toEngineerMs: [], toSales: [], toEngineer: [] };
  for (const id of ids.slice(task.warmup)) {
    const toSales = await move(env, id, 'sales', 'sales');
    const toEngineer = await move(env, id, 'engineer', 'engineer');
    result.toSalesMs.push(toSales.latencyMs);
    result.toSales.push(toSales.transitions);
    result.toEngineerMs.push(toEngineer.latencyMs);
    result.toEngineer.push(toEngineer.transitions);
  }
  return result;
}

function transitionRow(metric: string, list: readonly Transitions[], pick: (t: Transitions) => number): Row[] {
  if (list.length === 0) return [];
  return [{ suite: SUITE, metric, value: median(list.map(pick).sort((a, b) => a - b)), unit: 'transitions', n: list.length }];
}

export const moverSuite: Suite = {
  name: SUITE,
  async run(ctx) {
    const result = await runWorker<Task, Result>(ctx, import.meta.url, { warmup: 1, n: ctx.size(10, 3) });
    return [
      ...latencyRows(SUITE, 'engineer -> sales (drops a workstation): change webhook -> moved', result.toSalesMs),
      ...latencyRows(SUITE, 'sales -> engineer (launches a workstation): change webhook -> moved', result.toEngineerMs),
      ...transitionRow('transitions/execution: engineer -> sales, StateEntered', result.toSales, (t) => t.entered),
      ...transitionRow('transitions/execution: engineer -> sales, billed (+ poll retries)', result.toSales, (t) => t.billed),
      ...transitionRow('transitions/execution: sales -> engineer, StateEntered', result.toEngineer, (t) => t.entered),
      ...transitionRow('transitions/execution: sales -> engineer, billed (+ poll retries)', result.toEngineer, (t) => t.billed),
    ];
  },
};

if (isWorkerEntry(import.meta.url)) serveWorker(measure);
