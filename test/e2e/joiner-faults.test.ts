import { GetExecutionHistoryCommand, type HistoryEvent } from '@aws-sdk/client-sfn';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { executionArn } from '../../local/core/arn.ts';
import { hirePayload } from '../../local/demo/hris.ts';
import { accessOf } from '../../local/demo/inspect.ts';
import { employeeId, expectedAccess, finishedJoiner, joinerExecutions, startE2eCloud, userNameOf, type E2eCloud } from './support/e2e-cloud.ts';

/**
 * Throttling injected at 20 % on every Identity Store and EC2 call of the local cloud: N hires
 * run at once and each still ends exactly once, with one user, the right memberships, one
 * instance and one volume. The rules are lifted before the outcome is read, so the test's own
 * reads are never throttled; the counters prove the faults fired.
 */

const N = 5;
const FAULTS = [
  { service: 'identitystore', operation: '*', throttle: 0.2, latencyMs: 0 },
  { service: 'ec2', operation: '*', throttle: 0.2, latencyMs: 0 },
];

let e2e: E2eCloud;
beforeAll(async () => {
  e2e = await startE2eCloud('faults', { faults: FAULTS });
});
afterAll(() => e2e?.stop());

/** How often each Task state's function failed, by state and error name (each failure was retried or caught). */
async function retriesOf(name: string): Promise<Record<string, number>> {
  const events: HistoryEvent[] = [];
  let nextToken: string | undefined;
  do {
    const page = await e2e.sfn.send(new GetExecutionHistoryCommand({ executionArn: executionArn('joiner', name), maxResults: 1000, nextToken }));
    events.push(...(page.events ?? []));
    nextToken = page.nextToken;
  } while (nextToken);
  const retries: Record<string, number> = {};
  let state = '';
  for (const event of events) {
    if (event.type === 'TaskStateEntered') state = event.stateEnteredEventDetails?.name ?? '';
    if (event.type !== 'LambdaFunctionFailed') continue;
    const key = `${state}: ${event.lambdaFunctionFailedEventDetails?.error ?? '?'}`;
    retries[key] = (retries[key] ?? 0) + 1;
  }
  return retries;
}

describe('joiner under 20 % throttling of Identity Store and EC2', () => {
  it(`completes ${N} concurrent hires exactly once each, without duplicates`, async () => {
    const ids = Array.from({ length: N }, (_, i) => employeeId(`thr${i}`));
    const before = (await joinerExecutions(e2e.sfn)).length;

    const posted = await Promise.all(ids.map((id) => e2e.hris.post(hirePayload({ id, role: 'engineer' }), `${id}-hire`)));
    const executions = await Promise.all(ids.map((id) => finishedJoiner(e2e.sfn, `generic-${id}-hire`, 180_000)));
    const throttled = Object.fromEntries(e2e.cloud.faults.throttled);
    e2e.cloud.faults.set([]);

    const retries = Object.fromEntries(await Promise.all(ids.map(async (id) => [id, await retriesOf(`generic-${id}-hire`)] as const)));
    console.info('throttled calls per operation:', throttled, '\nTask failures retried by the ASL, per hire and state:', retries);
    expect(posted.map((p) => p.status)).toEqual(ids.map(() => 202));
    expect(executions.map((e) => e.status)).toEqual(ids.map(() => 'SUCCEEDED'));
    expect(await joinerExecutions(e2e.sfn)).toHaveLength(before + N);
    const sum = (service: string) => Object.entries(throttled).reduce((total, [key, count]) => total + (key.startsWith(`${service}:`) ? count : 0), 0);
    expect(sum('identitystore')).toBeGreaterThan(0);
    expect(sum('ec2')).toBeGreaterThan(0);

    const want = expectedAccess('engineer');
    for (const id of ids) {
      const access = await accessOf(id, userNameOf(id));
      expect(access.users, id).toBe(1);
      expect(access.groups, id).toEqual(want.groups);
      expect(access.instances, id).toEqual([{ id: expect.stringMatching(/^i-/), state: 'running' }]);
      expect(access.volumes, id).toEqual([{ id: expect.stringMatching(/^vol-/), state: 'in-use', attachedTo: [access.instances[0]?.id] }]);
      expect(access.activeGrants, id).toBe(want.entitlements);
      expect(access.auditChainOk, id).toBe(true);
      expect(access.auditKinds.filter((kind) => kind === 'grant.applied'), id).toHaveLength(want.entitlements);
      expect(access.auditKinds, id).not.toContain('provisioning.failed');
    }
  }, 240_000);
});
