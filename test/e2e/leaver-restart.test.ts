import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DescribeExecutionCommand, SFNClient } from '@aws-sdk/client-sfn';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { executionArn } from '../../local/core/arn.ts';
import { startLocalCloud, type LocalCloud } from '../../local/cloud.ts';
import { DemoHris, hirePayload, leavePayload } from '../../local/demo/hris.ts';
import { accessOf } from '../../local/demo/inspect.ts';
import { freePortBase } from './support/cloud-process.ts';
import { historyOf } from '../local/sfn-helpers.ts';
import { eventually } from '../support/poll.ts';
import { employeeId, finishedJoiner, userNameOf } from './support/e2e-cloud.ts';
import { expectedOutcome, grantsOf, leaverOutcome } from './support/leaver-outcome.ts';

/**
 * The local cloud is stopped in the middle of a leaver (memberships and user already removed,
 * the workstation still stopping: ec2PendingMs widens that window) and started again on the
 * same data folder and ports; the resumed leaver finishes with the same exactly-once outcome
 * as an uninterrupted one. DynamoDB is the run's shared DynamoDB Local (it keeps running).
 */

const PENDING_MS = 5_000;

/** A base port with base..base+8 free, below the ephemeral range other tests draw from. */
describe('leaver across a restart of the local cloud', () => {
  let dataDir = '';
  let cloud: LocalCloud | undefined;
  afterAll(async () => {
    await cloud?.stop();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  it('finishes a leaver stopped while its workstation was stopping, exactly once', { timeout: 120_000 }, async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'gatehouse-leaver-restart-'));
    const options = {
      dataDir,
      basePort: await freePortBase(31_000),
      dynamodbEndpoint: inject('dynamodbEndpoint'),
      tablePrefix: `e2e-lrestart-${randomUUID().slice(0, 8)}-`,
      ec2PendingMs: PENDING_MS,
      functionEnv: { POWERTOOLS_LOG_LEVEL: 'ERROR' },
    };
    cloud = await startLocalCloud(options);
    const sfn = new SFNClient({});
    const hris = new DemoHris(cloud.endpoints.frontdoor);
    const id = employeeId('lrs');
    expect((await hris.post(hirePayload({ id, role: 'engineer' }), `${id}-hire`)).status).toBe(202);
    expect((await finishedJoiner(sfn, `generic-${id}-hire`, 60_000)).status).toBe('SUCCEEDED');
    const grants = await grantsOf(id);
    const volumes = (await accessOf(id, userNameOf(id))).volumes.map((v) => v.id);
    const arn = executionArn('leaver', `generic-${id}-leave`);

    expect((await hris.post(leavePayload({ id }), `${id}-leave`)).status).toBe(202);
    await eventually(async () => ((await historyOf(sfn, arn)).some((e) => e.type === 'TaskStateEntered' && e.stateEnteredEventDetails?.name === 'Stop Workstation') ? true : undefined), 'the leaver to reach Stop Workstation', 30_000, 200);
    const midway = await accessOf(id, userNameOf(id));
    await cloud.stop();
    cloud = undefined;
    expect(midway.users).toBe(0);
    expect(midway.instances.map((i) => i.state)).not.toContain('terminated');

    cloud = await startLocalCloud(options);
    const done = await eventually(async () => {
      const out = await sfn.send(new DescribeExecutionCommand({ executionArn: arn }));
      return out.status === 'RUNNING' ? undefined : out;
    }, 'the resumed leaver to finish', 60_000, 250);
    const events = await historyOf(sfn, arn);
    sfn.destroy();

    // Resumed, not re-driven: no state before the one that was running is entered again.
    expect(done).toMatchObject({ status: 'SUCCEEDED', redriveCount: 0 });
    const entered = events.filter((e) => e.type?.endsWith('StateEntered')).map((e) => e.stateEnteredEventDetails?.name);
    // The EC2 waits are Wait + check loops (they may enter their states again); every state before
    // the one that was running when the cloud stopped is entered exactly once.
    const before = entered.slice(0, entered.indexOf('Stop Workstation'));
    expect(before.length).toBeGreaterThan(0);
    expect(before.filter((name) => entered.filter((other) => other === name).length !== 1)).toEqual([]);
    expect(await leaverOutcome(id)).toEqual(expectedOutcome(`generic-${id}-leave`, grants, volumes));
  });
});
