import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hirePayload, leavePayload } from '../../local/demo/hris.ts';
import { accessOf } from '../../local/demo/inspect.ts';
import { finishedExecution } from '../../local/demo/run.ts';
import { employeeId, finishedJoiner, startE2eCloud, userNameOf, type E2eCloud } from './support/e2e-cloud.ts';
import { expectedOutcome, grantsOf, leaverOutcome } from './support/leaver-outcome.ts';

/**
 * Throttling injected at 20 % on every Identity Store and EC2 call, for N hires and then their N
 * leavers at once: every user, membership, instance and volume is gone, each volume has exactly
 * one retained snapshot, each grant was closed once (by its leaver) with exactly one
 * grant.revoked entry, and every audit chain verifies. The counters prove the faults fired
 * while the leavers ran. (The restart case is test/e2e/leaver-restart.test.ts: one cloud per file.)
 */

const N = 4;
const FAULTS = [
  { service: 'identitystore', operation: '*', throttle: 0.2, latencyMs: 0 },
  { service: 'ec2', operation: '*', throttle: 0.2, latencyMs: 0 },
];

let e2e: E2eCloud;
beforeAll(async () => {
  e2e = await startE2eCloud('leaver-faults', { faults: FAULTS });
});
afterAll(() => e2e?.stop());

const throttledSum = (service: string): number =>
  [...e2e.cloud.faults.throttled].reduce((total, [key, n]) => total + (key.startsWith(`${service}:`) ? n : 0), 0);

describe('leaver under 20 % throttling of Identity Store and EC2', () => {
  it(`revokes ${N} concurrent leavers exactly once each`, async () => {
    const ids = Array.from({ length: N }, (_, i) => employeeId(`lthr${i}`));
    await Promise.all(ids.map((id) => e2e.hris.post(hirePayload({ id, role: 'engineer' }), `${id}-hire`)));
    const joiners = await Promise.all(ids.map((id) => finishedJoiner(e2e.sfn, `generic-${id}-hire`, 180_000)));
    expect(joiners.map((j) => j.status)).toEqual(ids.map(() => 'SUCCEEDED'));
    e2e.cloud.faults.set([]);
    const held = await Promise.all(ids.map(async (id) => ({ grants: await grantsOf(id), volumes: (await accessOf(id, userNameOf(id))).volumes.map((v) => v.id) })));
    const before = { identitystore: throttledSum('identitystore'), ec2: throttledSum('ec2') };
    e2e.cloud.faults.set(FAULTS);

    const posted = await Promise.all(ids.map((id) => e2e.hris.post(leavePayload({ id }), `${id}-leave`)));
    const leavers = await Promise.all(ids.map((id) => finishedExecution(e2e.sfn, 'leaver', `generic-${id}-leave`, 180_000)));
    e2e.cloud.faults.set([]);

    expect(posted.map((p) => p.status)).toEqual(ids.map(() => 202));
    expect(leavers.map((l) => l.status)).toEqual(ids.map(() => 'SUCCEEDED'));
    const during = { identitystore: throttledSum('identitystore') - before.identitystore, ec2: throttledSum('ec2') - before.ec2 };
    console.info('calls throttled while the leavers ran:', during);
    expect(during.identitystore).toBeGreaterThan(0);
    expect(during.ec2).toBeGreaterThan(0);
    for (const [i, id] of ids.entries()) {
      const { grants, volumes } = held[i] ?? { grants: [], volumes: [] };
      expect(volumes, id).toHaveLength(1);
      expect(await leaverOutcome(id), id).toEqual(expectedOutcome(`generic-${id}-leave`, grants, volumes));
    }
  }, 240_000);
});
