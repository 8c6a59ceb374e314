import type { SFNClient } from '@aws-sdk/client-sfn';
import { hirePayload, leavePayload, type DemoHris } from '../../local/demo/hris.ts';
import { accessOf } from '../../local/demo/inspect.ts';
import { finishedExecution } from '../../local/demo/run.ts';
import { transitionsOf, type Transitions } from './transitions.ts';

/**
 * One engineer hired, then left, on a running local cloud: the leave is a signed generic
 * webhook effective now, timed from just before the POST to the leaver execution's stopDate,
 * and what exists is checked afterwards (no user, no membership, no live instance, no volume)
 * so a figure is never taken from a leaver that did not revoke.
 */
export interface LeaveEnv {
  hris: DemoHris;
  sfn: SFNClient;
  runId: string;
}

export interface LeaveOutcome {
  latencyMs: number;
  transitions: Transitions;
}

const MAX_MS = 120_000;
let counter = 0;

/** Hires an engineer and waits for the joiner to succeed; returns the employee id. */
export async function hireEngineer(env: LeaveEnv): Promise<string> {
  counter += 1;
  const id = `L${env.runId}-${String(counter).padStart(4, '0')}`;
  const posted = await env.hris.post(hirePayload({ id, role: 'engineer' }), `bench-${id}-hire`);
  if (posted.status !== 202) throw new Error(`${id}: hire answered ${posted.status}: ${posted.body}`);
  const joiner = await finishedExecution(env.sfn, 'joiner', `generic-bench-${id}-hire`, MAX_MS);
  if (joiner.status !== 'SUCCEEDED') throw new Error(`${id}: joiner ended ${joiner.status}`);
  return id;
}

export async function leave(env: LeaveEnv, id: string): Promise<LeaveOutcome> {
  const sent = Date.now();
  const posted = await env.hris.post(leavePayload({ id }), `bench-${id}-leave`);
  if (posted.status !== 202) throw new Error(`${id}: leave answered ${posted.status}: ${posted.body}`);
  const execution = await finishedExecution(env.sfn, 'leaver', `generic-bench-${id}-leave`, MAX_MS);
  if (execution.status !== 'SUCCEEDED' || !execution.stopDate || !execution.executionArn) {
    throw new Error(`${id}: leaver ended ${execution.status}: ${execution.error ?? ''} ${execution.cause ?? ''}`);
  }
  const access = await accessOf(id, `${id.toLowerCase()}@example.com`);
  const live = access.instances.filter((i) => i.state !== 'terminated').length;
  if (access.users !== 0 || access.memberships !== 0 || live !== 0 || access.volumes.length !== 0) {
    throw new Error(`${id}: leaver SUCCEEDED but access is left: ${JSON.stringify(access)}`);
  }
  return { latencyMs: execution.stopDate.getTime() - sent, transitions: await transitionsOf(env.sfn, execution.executionArn) };
}
