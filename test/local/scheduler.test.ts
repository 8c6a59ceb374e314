import {
  ConflictException,
  CreateScheduleCommand,
  CreateScheduleGroupCommand,
  DeleteScheduleCommand,
  DeleteScheduleGroupCommand,
  GetScheduleCommand,
  GetScheduleGroupCommand,
  ListScheduleGroupsCommand,
  ListSchedulesCommand,
  ResourceNotFoundException,
  SchedulerClient,
  ThrottlingException,
  UpdateScheduleCommand,
  ValidationException,
  type CreateScheduleCommandInput,
} from '@aws-sdk/client-scheduler';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { FaultInjector } from '../../local/core/faults.ts';
import { createSchedulerEmulator } from '../../local/emulators/scheduler.ts';
import type { TargetPorts } from '../../local/emulators/targets.ts';
import { clientConfig, noFaults, serve } from '../support/emulator.ts';
import { until } from '../support/poll.ts';

interface Call {
  kind: 'invoke' | 'start';
  arn: string;
  payload: unknown;
}

/** Records deliveries; the first `failures` calls reject. */
function recordingTargets(failures = 0): { calls: Call[]; attempts: () => number; targets: TargetPorts } {
  const calls: Call[] = [];
  let attempts = 0;
  const record = (call: Call): Promise<void> => {
    attempts++;
    if (attempts <= failures) return Promise.reject(new Error(`target down (attempt ${attempts})`));
    calls.push(call);
    return Promise.resolve();
  };
  return {
    calls,
    attempts: () => attempts,
    targets: {
      invokeFunction: (arn, payload) => record({ kind: 'invoke', arn, payload }),
      startExecution: (arn, input) => record({ kind: 'start', arn, payload: JSON.parse(input) as unknown }),
    },
  };
}

async function waitFor(condition: () => boolean, timeoutMs = 10_000): Promise<void> {
  await until(condition, (met) => met, { timeoutMs, everyMs: 25 });
}
const pause = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** `at(...)` for an instant, written in the wall clock of a fixed UTC offset. */
const at = (ms: number, offsetMinutes = 0): string => `at(${new Date(ms + offsetMinutes * 60_000).toISOString().slice(0, 19)})`;
/** The next whole second at least `ms` from now (at() has one-second precision). */
const secondsAhead = (ms: number): number => Math.ceil((Date.now() + ms) / 1000) * 1000;

const LEAVER = 'arn:aws:states:us-east-1:000000000000:stateMachine:gatehouse-leaver';
const REVOKE = 'arn:aws:lambda:us-east-1:000000000000:function:gatehouse-revoke-grant';
const ROLE = 'arn:aws:iam::000000000000:role/gatehouse-scheduler';

/** A rate() schedule without StartDate fires at once (as on AWS): the CRUD tests' ones start far ahead. */
const FAR_START = new Date('2099-01-01T00:00:00Z');
const schedule = (name: string, expression: string, extra: Partial<CreateScheduleCommandInput> = {}): CreateScheduleCommandInput => ({
  Name: name,
  ScheduleExpression: expression,
  ...(expression.startsWith('rate(') ? { StartDate: FAR_START } : {}),
  FlexibleTimeWindow: { Mode: 'OFF' },
  Target: { Arn: LEAVER, RoleArn: ROLE, Input: JSON.stringify({ employeeId: name }) },
  ...extra,
});

const recorder = recordingTargets();
const endpoint = await serve(createSchedulerEmulator({ faults: noFaults() }, { targets: recorder.targets }));
const client = new SchedulerClient(clientConfig(endpoint, 1));

describe('Scheduler schedule groups', () => {
  it('has the default group; creates, gets, lists and deletes others', async () => {
    await expect(client.send(new GetScheduleGroupCommand({ Name: 'default' }))).resolves.toMatchObject({ Name: 'default', State: 'ACTIVE' });
    const created = await client.send(new CreateScheduleGroupCommand({ Name: 'time-bound' }));
    expect(created.ScheduleGroupArn).toBe('arn:aws:scheduler:us-east-1:000000000000:schedule-group/time-bound');
    const group = await client.send(new GetScheduleGroupCommand({ Name: 'time-bound' }));
    expect(group.CreationDate).toBeInstanceOf(Date);
    const listed = await client.send(new ListScheduleGroupsCommand({}));
    expect(listed.ScheduleGroups?.map((g) => g.Name)).toEqual(['default', 'time-bound']);
    const page = await client.send(new ListScheduleGroupsCommand({ MaxResults: 1, NamePrefix: 't' }));
    expect(page.ScheduleGroups?.map((g) => g.Name)).toEqual(['time-bound']);
    await client.send(new CreateScheduleCommand(schedule('in-time-bound', at(Date.UTC(2099, 0, 1)), { GroupName: 'time-bound' })));
    await client.send(new DeleteScheduleGroupCommand({ Name: 'time-bound' }));
    await expect(client.send(new GetScheduleGroupCommand({ Name: 'time-bound' }))).rejects.toBeInstanceOf(ResourceNotFoundException);
    await expect(client.send(new GetScheduleCommand({ Name: 'in-time-bound', GroupName: 'time-bound' }))).rejects.toBeInstanceOf(ResourceNotFoundException);
  });

  it('answers ConflictException, ResourceNotFoundException and ValidationException', async () => {
    await client.send(new CreateScheduleGroupCommand({ Name: 'twice' }));
    await expect(client.send(new CreateScheduleGroupCommand({ Name: 'twice' }))).rejects.toBeInstanceOf(ConflictException);
    await expect(client.send(new GetScheduleGroupCommand({ Name: 'nope' }))).rejects.toBeInstanceOf(ResourceNotFoundException);
    await expect(client.send(new DeleteScheduleGroupCommand({ Name: 'nope' }))).rejects.toBeInstanceOf(ResourceNotFoundException);
    await expect(client.send(new DeleteScheduleGroupCommand({ Name: 'default' }))).rejects.toBeInstanceOf(ValidationException);
    await expect(client.send(new ListScheduleGroupsCommand({ NextToken: 'garbage' }))).rejects.toBeInstanceOf(ValidationException);
  });
});

describe('Scheduler schedules', () => {
  it('creates, gets, lists, updates and deletes a schedule', async () => {
    const far = at(Date.UTC(2099, 5, 1, 8));
    const { ScheduleArn } = await client.send(
      new CreateScheduleCommand(
        schedule('contract-end-E-1', far, { StartDate: new Date('2030-01-01T00:00:00Z'), Description: 'contract end', ActionAfterCompletion: 'DELETE' }),
      ),
    );
    expect(ScheduleArn).toBe('arn:aws:scheduler:us-east-1:000000000000:schedule/default/contract-end-E-1');
    await client.send(new CreateScheduleCommand(schedule('weekly-report', 'cron(0 8 ? * MON *)', { State: 'DISABLED' })));
    await client.send(new CreateScheduleCommand(schedule('hourly', 'rate(1 hour)')));

    const got = await client.send(new GetScheduleCommand({ Name: 'contract-end-E-1' }));
    expect(got).toMatchObject({
      Arn: ScheduleArn,
      Name: 'contract-end-E-1',
      GroupName: 'default',
      ScheduleExpression: far,
      State: 'ENABLED',
      Description: 'contract end',
      ActionAfterCompletion: 'DELETE',
      FlexibleTimeWindow: { Mode: 'OFF' },
      Target: { Arn: LEAVER, RoleArn: ROLE, Input: '{"employeeId":"contract-end-E-1"}' },
    });
    expect(got.StartDate).toEqual(new Date('2030-01-01T00:00:00Z'));
    expect(got.CreationDate).toBeInstanceOf(Date);

    const all = await client.send(new ListSchedulesCommand({}));
    expect(all.Schedules?.map((s) => s.Name)).toEqual(['contract-end-E-1', 'hourly', 'weekly-report']);
    expect(all.Schedules?.[0]?.Target).toEqual({ Arn: LEAVER });
    const disabled = await client.send(new ListSchedulesCommand({ State: 'DISABLED', GroupName: 'default' }));
    expect(disabled.Schedules?.map((s) => s.Name)).toEqual(['weekly-report']);
    const first = await client.send(new ListSchedulesCommand({ MaxResults: 2 }));
    const second = await client.send(new ListSchedulesCommand({ MaxResults: 2, NextToken: first.NextToken }));
    expect([...(first.Schedules ?? []), ...(second.Schedules ?? [])].map((s) => s.Name)).toEqual(['contract-end-E-1', 'hourly', 'weekly-report']);
    const prefixed = await client.send(new ListSchedulesCommand({ NamePrefix: 'contract-' }));
    expect(prefixed.Schedules).toHaveLength(1);

    await client.send(new UpdateScheduleCommand({ ...schedule('hourly', 'rate(2 hours)'), Description: 'slower' }));
    await expect(client.send(new GetScheduleCommand({ Name: 'hourly' }))).resolves.toMatchObject({
      ScheduleExpression: 'rate(2 hours)',
      Description: 'slower',
    });
    for (const name of ['contract-end-E-1', 'weekly-report', 'hourly']) await client.send(new DeleteScheduleCommand({ Name: name }));
    await expect(client.send(new ListSchedulesCommand({}))).resolves.toMatchObject({ Schedules: [] });
    expect(recorder.calls).toHaveLength(0);
  });

  it('answers ConflictException and ResourceNotFoundException', async () => {
    await client.send(new CreateScheduleCommand(schedule('dup', 'rate(5 minutes)')));
    await expect(client.send(new CreateScheduleCommand(schedule('dup', 'rate(5 minutes)')))).rejects.toBeInstanceOf(ConflictException);
    await expect(client.send(new GetScheduleCommand({ Name: 'nope' }))).rejects.toBeInstanceOf(ResourceNotFoundException);
    await expect(client.send(new UpdateScheduleCommand(schedule('nope', 'rate(5 minutes)')))).rejects.toBeInstanceOf(ResourceNotFoundException);
    await expect(client.send(new DeleteScheduleCommand({ Name: 'nope' }))).rejects.toBeInstanceOf(ResourceNotFoundException);
    await expect(client.send(new CreateScheduleCommand(schedule('x', 'rate(5 minutes)', { GroupName: 'nope' })))).rejects.toBeInstanceOf(
      ResourceNotFoundException,
    );
    await expect(client.send(new ListSchedulesCommand({ GroupName: 'nope' }))).rejects.toBeInstanceOf(ResourceNotFoundException);
    await client.send(new DeleteScheduleCommand({ Name: 'dup' }));
  });

  it('treats a retried call (same ClientToken) as the first one', async () => {
    const create = schedule('retried', 'rate(5 minutes)', { ClientToken: 'token-1' });
    const first = await client.send(new CreateScheduleCommand(create));
    await expect(client.send(new CreateScheduleCommand(create))).resolves.toEqual(expect.objectContaining({ ScheduleArn: first.ScheduleArn }));
    await client.send(new DeleteScheduleCommand({ Name: 'retried', ClientToken: 'token-2' }));
    await expect(client.send(new DeleteScheduleCommand({ Name: 'retried', ClientToken: 'token-2' }))).resolves.toBeDefined();
    await expect(client.send(new DeleteScheduleCommand({ Name: 'retried', ClientToken: 'token-3' }))).rejects.toBeInstanceOf(
      ResourceNotFoundException,
    );
  });

  it.each([
    ['ScheduleExpression', schedule('v1', 'every day')],
    ['ScheduleExpression', schedule('v2', 'at(2026-02-30T10:00:00)')],
    ['ScheduleExpressionTimezone', schedule('v3', 'at(2099-01-01T00:00:00)', { ScheduleExpressionTimezone: 'Mars/Olympus' })],
    ['Target', schedule('v4', 'rate(1 hour)', { Target: undefined })],
    ['Target.RoleArn', schedule('v5', 'rate(1 hour)', { Target: { Arn: LEAVER, RoleArn: undefined } })],
    ['FlexibleTimeWindow', schedule('v6', 'rate(1 hour)', { FlexibleTimeWindow: { Mode: 'FLEXIBLE' } })],
    ['FlexibleTimeWindow', schedule('v7', 'rate(1 hour)', { FlexibleTimeWindow: undefined })],
    ['EndDate', schedule('v8', 'rate(1 hour)', { StartDate: new Date('2030-01-02'), EndDate: new Date('2030-01-01') })],
  ])('rejects a bad %s with ValidationException naming it', async (field, input) => {
    await expect(client.send(new CreateScheduleCommand(input))).rejects.toMatchObject({
      name: 'ValidationException',
      message: expect.stringContaining(field) as unknown,
    });
    await expect(client.send(new GetScheduleCommand({ Name: input.Name }))).rejects.toBeInstanceOf(ResourceNotFoundException);
  });
});

describe('Scheduler firing one-time schedules', () => {
  it('fires each due at() schedule once, deletes it after if asked, and never fires a disabled one', async () => {
    const due = secondsAhead(1200);
    await client.send(new CreateScheduleCommand(schedule('leave-E-7', at(due))));
    await client.send(
      new CreateScheduleCommand(
        schedule('revoke-G-1', at(due, 120), {
          ScheduleExpressionTimezone: '+02:00',
          ActionAfterCompletion: 'DELETE',
          Target: { Arn: REVOKE, RoleArn: ROLE, Input: '{"grantId":"G-1"}' },
        }),
      ),
    );
    await client.send(new CreateScheduleCommand(schedule('paused', at(due), { State: 'DISABLED' })));
    expect(recorder.calls).toHaveLength(0);

    await waitFor(() => recorder.calls.length >= 2);
    expect(Date.now()).toBeGreaterThanOrEqual(due - 50);
    await pause(400);
    expect(recorder.calls).toEqual(
      expect.arrayContaining([
        { kind: 'start', arn: LEAVER, payload: { employeeId: 'leave-E-7' } },
        { kind: 'invoke', arn: REVOKE, payload: { grantId: 'G-1' } },
      ]),
    );
    expect(recorder.calls).toHaveLength(2);
    await expect(client.send(new GetScheduleCommand({ Name: 'leave-E-7' }))).resolves.toMatchObject({ Name: 'leave-E-7' });
    await expect(client.send(new GetScheduleCommand({ Name: 'revoke-G-1' }))).rejects.toBeInstanceOf(ResourceNotFoundException);

    // Editing a fired schedule without moving its time does not fire it again.
    await client.send(new UpdateScheduleCommand({ ...schedule('leave-E-7', at(due)), Description: 'edited' }));
    await pause(200);
    expect(recorder.calls).toHaveLength(2);
  });

  it('re-arms far-future timers instead of overflowing setTimeout', async () => {
    const before = recorder.calls.length;
    await client.send(new CreateScheduleCommand(schedule('far-future', at(Date.UTC(2099, 0, 1)))));
    await pause(300);
    expect(recorder.calls).toHaveLength(before);
  });

  it('retries a failing target with backoff, then succeeds', async () => {
    const flaky = recordingTargets(2);
    const url = await serve(createSchedulerEmulator({ faults: noFaults() }, { targets: flaky.targets, retryDelaysMs: [20, 20] }));
    const warned = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    try {
      await new SchedulerClient(clientConfig(url, 1)).send(new CreateScheduleCommand(schedule('flaky', 'at(2020-01-01T00:00:00)')));
      await waitFor(() => flaky.calls.length === 1);
      expect(flaky.attempts()).toBe(3);
      expect(warned).toHaveBeenCalledTimes(2);
    } finally {
      warned.mockRestore();
    }
  });

  it('gives up after the retries, logs, and does not fire again', async () => {
    const down = recordingTargets(Number.MAX_SAFE_INTEGER);
    const url = await serve(createSchedulerEmulator({ faults: noFaults() }, { targets: down.targets, retryDelaysMs: [10, 10] }));
    const warned = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const logged = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    try {
      await new SchedulerClient(clientConfig(url, 1)).send(new CreateScheduleCommand(schedule('doomed', 'at(2020-01-01T00:00:00)')));
      await waitFor(() => logged.mock.calls.length > 0);
      await pause(100);
      expect(down.attempts()).toBe(3);
      expect(logged).toHaveBeenCalledWith(expect.stringContaining('default/doomed failed after 3 attempt(s)'), expect.any(Error));
    } finally {
      warned.mockRestore();
      logged.mockRestore();
    }
  });
});

describe('Scheduler persistence', () => {
  it('fires a schedule that fell due while the cloud was down, once', async () => {
    const stateDir = mkdtempSync(join(tmpdir(), 'gatehouse-scheduler-'));
    const due = Date.now() - 60_000;
    // The first run's clock is an hour behind, so the schedule is not yet due there.
    const first = recordingTargets();
    const firstEmulator = createSchedulerEmulator({ stateDir, faults: noFaults() }, { targets: first.targets, clock: { now: () => Date.now() - 3_600_000, realMs: (ms) => ms } });
    const firstUrl = await serve(firstEmulator);
    await new SchedulerClient(clientConfig(firstUrl, 1)).send(new CreateScheduleCommand(schedule('while-down', at(due))));
    await pause(100);
    await firstEmulator.stop?.();
    expect(first.calls).toHaveLength(0);

    const second = recordingTargets();
    await serve(createSchedulerEmulator({ stateDir, faults: noFaults() }, { targets: second.targets }));
    await waitFor(() => second.calls.length === 1);
    expect(second.calls[0]).toEqual({ kind: 'start', arn: LEAVER, payload: { employeeId: 'while-down' } });

    const third = recordingTargets();
    const thirdUrl = await serve(createSchedulerEmulator({ stateDir, faults: noFaults() }, { targets: third.targets }));
    await pause(200);
    expect(third.calls).toHaveLength(0);
    await expect(new SchedulerClient(clientConfig(thirdUrl, 1)).send(new GetScheduleCommand({ Name: 'while-down' }))).resolves.toMatchObject({
      Name: 'while-down',
    });
  });

  it('surfaces an injected throttle as ThrottlingException', async () => {
    const faults = new FaultInjector([{ service: 'scheduler', operation: '*', throttle: 1, latencyMs: 0 }]);
    const url = await serve(createSchedulerEmulator({ faults }, { targets: recorder.targets }));
    await expect(new SchedulerClient(clientConfig(url, 1)).send(new GetScheduleGroupCommand({ Name: 'default' }))).rejects.toBeInstanceOf(
      ThrottlingException,
    );
    expect(faults.throttled.get('scheduler:GetScheduleGroup')).toBe(1);
  });
});

describe('malformed requests', () => {
  it('answers ValidationException (not a 500) for a malformed percent-encoding in a schedule name', async () => {
    const res = await fetch(`${endpoint}/schedules/%E0%A4%A`);

    expect(res.status).toBe(400);
    expect(res.headers.get('x-amzn-errortype')).toBe('ValidationException');
  });
});
