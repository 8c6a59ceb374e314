import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hirePayload, leavePayload } from '../../local/demo/hris.ts';
import { accessOf } from '../../local/demo/inspect.ts';
import { finishedExecution } from '../../local/demo/run.ts';
import { stateMachineArn } from '../../local/core/arn.ts';
import { historyOf } from '../local/sfn-helpers.ts';
import { employeeId, finishedJoiner, startE2eCloud, userNameOf, type E2eCloud } from './support/e2e-cloud.ts';
import { expectedOutcome, grantsOf, leaverOutcome } from './support/leaver-outcome.ts';

/**
 * Waits that outlast slow EBS (issue #12). Time is compressed 100x: Retry backoffs run at 1 %
 * (retryDelayScale), so the old "Snapshot Volumes" poll budget (90 retries x 2 s = 180 s) is
 * 1.8 s here, and the emulated snapshot takes ten times that (18 s). The leaver parks its task
 * token in "Wait For Snapshots" and the EBS Snapshot Notification on the default bus resumes it:
 * it finishes with everything retired exactly once, with and without 20 % throttling.
 */
const SCALE = 0.01;
const OLD_BUDGET_MS = 90 * 2 * 1000 * SCALE;
const SNAPSHOT_MS = 10 * OLD_BUDGET_MS;
const FAULTS = ['identitystore', 'ec2', 'sfn'].map((service) => ({ service, operation: '*', throttle: 0.2, latencyMs: 0 }));

let e2e: E2eCloud;
let ids: string[];
beforeAll(async () => {
  e2e = await startE2eCloud('leaver-slow-snapshot', { retryDelayScale: SCALE, ec2SnapshotMs: SNAPSHOT_MS });
  ids = [employeeId('slowsnap'), employeeId('slowsnapthr')];
  await Promise.all(ids.map((id) => e2e.hris.post(hirePayload({ id, role: 'engineer' }), `${id}-hire`)));
  const joiners = await Promise.all(ids.map((id) => finishedJoiner(e2e.sfn, `generic-${id}-hire`, 120_000)));
  expect(joiners.map((j) => j.status)).toEqual(ids.map(() => 'SUCCEEDED'));
}, 180_000);
afterAll(() => e2e?.stop());

async function leaveAndCheck(id: string, faults: typeof FAULTS = []): Promise<void> {
  const grants = await grantsOf(id);
  const volumes = (await accessOf(id, userNameOf(id))).volumes.map((v) => v.id);
  expect(volumes, id).toHaveLength(1);
  // Armed only now: the test's own reads above go through the same emulators, and 20 % of their calls
  // failing three SDK attempts in a row would fail the test, not the leaver.
  e2e.cloud.faults.set(faults);
  const started = Date.now();
  expect((await e2e.hris.post(leavePayload({ id }), `${id}-leave`)).status).toBe(202);
  const name = `generic-${id}-leave`;
  const leaver = await finishedExecution(e2e.sfn, 'leaver', name, 120_000);
  const elapsed = Date.now() - started;
  e2e.cloud.faults.set([]);

  expect(leaver.status).toBe('SUCCEEDED');
  // The snapshot really took ten times the old budget, and no safety poll (300 s) was needed.
  expect(elapsed).toBeGreaterThan(SNAPSHOT_MS);
  expect(elapsed).toBeLessThan(SNAPSHOT_MS + 60_000);
  expect(await leaverOutcome(id)).toEqual(expectedOutcome(name, grants, volumes));
  // Identity first: access ended before the snapshot wait, so at least the snapshot's time before the end.
  const report = JSON.parse(leaver.output ?? '{}') as { identityAccessEndedAt?: string };
  const endedAt = Date.parse(report.identityAccessEndedAt ?? '');
  expect(endedAt).toBeGreaterThanOrEqual(started - 1000);
  expect((leaver.stopDate?.getTime() ?? 0) - endedAt).toBeGreaterThan(SNAPSHOT_MS);
  const history = await historyOf(e2e.sfn, `${stateMachineArn('leaver').replace(':stateMachine:', ':execution:')}:${name}`);
  const entered = history.filter((e) => e.type === 'TaskStateEntered').map((e) => e.stateEnteredEventDetails?.name);
  // A few transitions, not a poll every 2 s: the snapshot check runs at most a handful of times.
  expect(entered.filter((n) => n === 'Snapshot Volumes').length).toBeLessThanOrEqual(4);
  expect(entered).toContain('Wait For Snapshots');
  console.info(`leaver with an ${SNAPSHOT_MS / 1000} s snapshot: ${elapsed} ms, ${history.length} history events`);
}

describe(`leaver whose snapshot takes 10x the old retry budget (${SNAPSHOT_MS} ms, time compressed ${1 / SCALE}x)`, () => {
  it('finishes with everything retired exactly once', async () => {
    await leaveAndCheck(ids[0] ?? '');
  }, 150_000);

  it('finishes the same under 20 % throttling of Identity Store, EC2 and Step Functions', async () => {
    const throttled = () => [...e2e.cloud.faults.throttled.values()].reduce((sum, n) => sum + n, 0);
    const before = throttled();
    await leaveAndCheck(ids[1] ?? '', FAULTS);
    expect(throttled() - before).toBeGreaterThan(0);
  }, 150_000);
});
