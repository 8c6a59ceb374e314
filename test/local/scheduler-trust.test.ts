import { CreateScheduleCommand, CreateScheduleGroupCommand, GetScheduleCommand, SchedulerClient } from '@aws-sdk/client-scheduler';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { schedulerTrustPolicy, type TrustPolicy } from '../../infra/spec/scheduler-trust.ts';
import { createSchedulerEmulator } from '../../local/emulators/scheduler.ts';
import { LOCAL_SCHEDULER_ROLES, SCHEDULER_ROLE_ARN } from '../../local/function-env.ts';
import { mayAssumeRole } from '../../local/core/trust-policy.ts';
import { clientConfig, noFaults, serve } from '../support/emulator.ts';
import { until } from '../support/poll.ts';

/**
 * The local Scheduler assumes a schedule's role before each delivery, presenting what AWS
 * presents: service scheduler.amazonaws.com, aws:SourceArn = the schedule group's ARN,
 * aws:SourceAccount (https://docs.aws.amazon.com/scheduler/latest/UserGuide/cross-service-confused-deputy-prevention.html).
 */
const SCOPE = { partition: 'aws', region: 'us-east-1', account: '000000000000' };
const LEAVER = 'arn:aws:states:us-east-1:000000000000:stateMachine:gatehouse-leaver';
const GOOD = 'arn:aws:iam::000000000000:role/good';
const BY_SCHEDULE = 'arn:aws:iam::000000000000:role/by-schedule-prefix';
/** The trust the stack had before issue #12: scoped to schedule ARNs, which Scheduler never presents. */
const bySchedulePrefix: TrustPolicy = {
  Version: '2012-10-17',
  Statement: [
    {
      Effect: 'Allow',
      Principal: { Service: 'scheduler.amazonaws.com' },
      Action: 'sts:AssumeRole',
      Condition: { StringEquals: { 'aws:SourceAccount': '000000000000' }, ArnLike: { 'aws:SourceArn': 'arn:aws:scheduler:us-east-1:000000000000:schedule/gatehouse/*' } },
    },
  ],
};

const started: string[] = [];
const targets = {
  invokeFunction: () => Promise.resolve(),
  startExecution: (arn: string) => {
    started.push(arn);
    return Promise.resolve();
  },
};
const roles = { [GOOD]: schedulerTrustPolicy(SCOPE), [BY_SCHEDULE]: bySchedulePrefix };
const stateDir = mkdtempSync(join(tmpdir(), 'gatehouse-sched-trust-'));
const emulator = createSchedulerEmulator({ faults: noFaults(), stateDir }, { targets, roles, retryDelaysMs: [10] });
const client = new SchedulerClient(clientConfig(await serve(emulator), 1));
await client.send(new CreateScheduleGroupCommand({ Name: 'gatehouse' }));
await client.send(new CreateScheduleGroupCommand({ Name: 'other' }));

type Firing = { status: string; attempts: number; lastError?: string };
/** The persisted firing marker of a schedule (what survives a restart). */
const firingOf = (group: string, name: string): Firing | undefined =>
  (JSON.parse(readFileSync(join(stateDir, 'scheduler.json'), 'utf8')) as { schedules: Record<string, { firing?: Firing }> }).schedules[`${group}/${name}`]?.firing;

/** Creates a one-time schedule that is due now. */
async function fire(name: string, roleArn: string, group = 'gatehouse'): Promise<void> {
  const due = new Date(Date.now() - 1000).toISOString().slice(0, 19);
  await client.send(
    new CreateScheduleCommand({
      Name: name,
      GroupName: group,
      ScheduleExpression: `at(${due})`,
      FlexibleTimeWindow: { Mode: 'OFF' },
      Target: { Arn: LEAVER, RoleArn: roleArn, Input: JSON.stringify({ name }) },
    }),
  );
}

describe('local Scheduler: the role must trust Scheduler for the schedule group', () => {
  it('delivers with the stack\'s trust policy (the one infra/spec/scheduler-trust.ts builds)', async () => {
    started.length = 0;
    await fire('good', GOOD);
    await until(() => started.length, (n) => n === 1, { timeoutMs: 5_000, everyMs: 10 });
    expect(started).toEqual([LEAVER]);
  });

  it('never starts the target when the trust names schedule ARNs, or another group, or the role is unknown', async () => {
    started.length = 0;
    const cases = [
      ['by-prefix', BY_SCHEDULE, 'gatehouse', /does not allow scheduler\.amazonaws\.com for arn:aws:scheduler:us-east-1:000000000000:schedule-group\/gatehouse/],
      ['other-group', GOOD, 'other', /schedule-group\/other/],
      ['unknown-role', 'arn:aws:iam::000000000000:role/missing', 'gatehouse', /the role does not exist/],
    ] as const;
    await Promise.all(cases.map(([name, role, group]) => fire(name, role, group)));
    for (const [name, , group, why] of cases) {
      // One attempt and one retry (retryDelaysMs [10]), then the schedule is marked failed.
      const firing = await until(() => firingOf(group, name), (f) => f?.status === 'failed', { timeoutMs: 5_000, everyMs: 10 });
      expect(firing).toMatchObject({ attempts: 2, lastError: expect.stringMatching(why) });
      await expect(client.send(new GetScheduleCommand({ Name: name, GroupName: group }))).resolves.toMatchObject({ Name: name });
    }
    expect(started).toEqual([]);
  });

  it('the local cloud\'s scheduler role is the stack\'s trust, and it trusts the gatehouse group only', () => {
    const policy = LOCAL_SCHEDULER_ROLES[SCHEDULER_ROLE_ARN];
    expect(policy).toEqual(schedulerTrustPolicy(SCOPE));
    const asks = (group: string) => ({ service: 'scheduler.amazonaws.com', context: { 'aws:SourceArn': `arn:aws:scheduler:us-east-1:000000000000:schedule-group/${group}`, 'aws:SourceAccount': '000000000000' } });
    expect(mayAssumeRole(policy!, asks('gatehouse'))).toBe(true);
    expect(mayAssumeRole(policy!, asks('default'))).toBe(false);
    expect(mayAssumeRole(policy!, { ...asks('gatehouse'), service: 'events.amazonaws.com' })).toBe(false);
  });
});
