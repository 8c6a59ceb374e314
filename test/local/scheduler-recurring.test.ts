import { CreateScheduleCommand, GetScheduleCommand, ResourceNotFoundException, SchedulerClient, UpdateScheduleCommand, type CreateScheduleCommandInput } from '@aws-sdk/client-scheduler';
import { describe, expect, it } from 'vitest';
import { compressedClock, fastForwardClock, type EmulatorClock } from '../../local/core/emulator-clock.ts';
import { createSchedulerEmulator } from '../../local/emulators/scheduler.ts';
import type { TargetPorts } from '../../local/emulators/targets.ts';
import { clientConfig, noFaults, serve } from '../support/emulator.ts';
import { until } from '../support/poll.ts';

/**
 * Recurring schedules (rate() and cron()) fire on the Scheduler emulator's clock, compressed so
 * days pass in a fraction of a second: each time once, in its time zone, with the context
 * attributes filled in, within a flexible window, and not after EndDate.
 */

const REVIEW = 'arn:aws:states:us-east-1:000000000000:stateMachine:gatehouse-access-review';
const ROLE = 'arn:aws:iam::000000000000:role/gatehouse-scheduler';
const DAY = 86_400_000;

interface Delivery {
  input: Record<string, unknown>;
  /** On the emulator's clock. */
  at: number;
}

async function scheduler(clock: EmulatorClock, random = () => 0): Promise<{ client: SchedulerClient; deliveries: Delivery[] }> {
  const deliveries: Delivery[] = [];
  const targets: TargetPorts = {
    invokeFunction: () => Promise.reject(new Error('no functions here')),
    startExecution: (_arn, input) => {
      deliveries.push({ input: JSON.parse(input) as Record<string, unknown>, at: clock.now() });
      return Promise.resolve();
    },
  };
  const url = await serve(createSchedulerEmulator({ faults: noFaults() }, { targets, clock, random }));
  return { client: new SchedulerClient(clientConfig(url, 1)), deliveries };
}

const recurring = (name: string, expression: string, extra: Partial<CreateScheduleCommandInput> = {}): CreateScheduleCommandInput => ({
  Name: name,
  ScheduleExpression: expression,
  FlexibleTimeWindow: { Mode: 'OFF' },
  Target: { Arn: REVIEW, RoleArn: ROLE, Input: JSON.stringify({ schedule: name, scheduledTime: '<aws.scheduler.scheduled-time>', attempt: '<aws.scheduler.attempt-number>' }) },
  ...extra,
});

async function waitFor(condition: () => boolean): Promise<void> {
  await until(condition, (met) => met, { timeoutMs: 10_000, everyMs: 10 });
}
const isoSeconds = (ms: number): string => `${new Date(ms).toISOString().slice(0, 19)}Z`;

describe('Scheduler firing recurring schedules (compressed clock)', () => {
  it('fires a rate() schedule every interval from its StartDate, each time once, and stops at EndDate', async () => {
    // Two days pass per real second: rate(1 day) fires every half second, the first a second from now.
    const start = Date.UTC(2026, 0, 1);
    const clock = compressedClock(2 * 86_400, start - 2 * DAY);
    const { client, deliveries } = await scheduler(clock);
    await client.send(
      new CreateScheduleCommand(
        recurring('daily', 'rate(1 day)', { StartDate: new Date(start), EndDate: new Date(start + 2 * DAY), ActionAfterCompletion: 'DELETE' }),
      ),
    );
    await waitFor(() => deliveries.length === 3);
    expect(deliveries.map((d) => d.input.scheduledTime)).toEqual([isoSeconds(start), isoSeconds(start + DAY), isoSeconds(start + 2 * DAY)]);
    expect(deliveries.map((d) => d.input.attempt)).toEqual(['1', '1', '1']);
    // Each fired at (not before) its time; how soon after is the timer's real latency times 172,800.
    for (const [i, delivery] of deliveries.entries()) expect(delivery.at).toBeGreaterThanOrEqual(start + i * DAY);
    // Past its EndDate it has no more times: deleted (ActionAfterCompletion DELETE), and nothing more fires.
    await expect(client.send(new GetScheduleCommand({ Name: 'daily' }))).rejects.toBeInstanceOf(ResourceNotFoundException);
    const settled = clock.now();
    await waitFor(() => clock.now() > settled + 2 * DAY);
    expect(deliveries).toHaveLength(3);
  });

  it('fires a cron() schedule at its wall-clock times in its time zone, within a flexible window', async () => {
    // Two days pass per real second; weekdays at 09:00 in New York (14:00 UTC in winter).
    const clock = compressedClock(2 * 86_400, Date.UTC(2026, 0, 1, 14)); // Thursday 09:00 New York, as it fires
    const { client, deliveries } = await scheduler(clock, () => 0.5);
    await client.send(
      new CreateScheduleCommand(
        recurring('weekday-mornings', 'cron(0 9 ? * MON-FRI *)', {
          ScheduleExpressionTimezone: 'America/New_York',
          FlexibleTimeWindow: { Mode: 'FLEXIBLE', MaximumWindowInMinutes: 60 },
        }),
      ),
    );
    await waitFor(() => deliveries.length === 3);
    // Friday (Thursday's time passed while the schedule was being created), then (the weekend skipped) Monday and Tuesday.
    const times = [Date.UTC(2026, 0, 2, 14), Date.UTC(2026, 0, 5, 14), Date.UTC(2026, 0, 6, 14)];
    expect(deliveries.slice(0, 3).map((d) => d.input.scheduledTime)).toEqual(times.map(isoSeconds));
    // The window invokes half an hour after each time (random 0.5 of 60 minutes), never before.
    for (const [i, delivery] of deliveries.slice(0, 3).entries()) expect(delivery.at).toBeGreaterThanOrEqual(times[i]! + 30 * 60_000);
    // Disabling it stops it; GetSchedule never shows the emulator's bookkeeping.
    await client.send(new UpdateScheduleCommand({ ...recurring('weekday-mornings', 'cron(0 9 ? * MON-FRI *)'), State: 'DISABLED' }));
    const fired = deliveries.length;
    const now = clock.now();
    await waitFor(() => clock.now() > now + 3 * DAY);
    expect(deliveries).toHaveLength(fired);
    const got = await client.send(new GetScheduleCommand({ Name: 'weekday-mornings' }));
    expect(Object.keys(got)).not.toContain('firing');
    expect(got.State).toBe('DISABLED');
  });

  it('fires a rate() schedule without StartDate at once, as AWS does', async () => {
    const clock = compressedClock(3_600, Date.UTC(2026, 5, 1, 12));
    const { client, deliveries } = await scheduler(clock);
    const created = clock.now();
    await client.send(new CreateScheduleCommand(recurring('at-once', 'rate(1 hour)')));
    await waitFor(() => deliveries.length === 2);
    const [first, second] = deliveries.map((d) => Date.parse(String(d.input.scheduledTime)));
    // At once: within the compressed latency of one request (an hour is a real second here).
    expect(first! - created).toBeLessThan(10 * 60_000);
    expect(second! - first!).toBeGreaterThanOrEqual(3_600_000 - 1000);
    expect(second! - first!).toBeLessThanOrEqual(3_600_000 + 1000);
  });

  it('fires what fell due when a test fast-forwards the clock, and nothing before', async () => {
    const clock = fastForwardClock();
    const { client, deliveries } = await scheduler(clock);
    const twoHours = Math.ceil((clock.now() + 2 * 3_600_000) / 1000) * 1000;
    await client.send(new CreateScheduleCommand(recurring('expiry', `at(${new Date(twoHours).toISOString().slice(0, 19)})`)));
    clock.advance(3_600_000);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(deliveries).toHaveLength(0);
    clock.advance(3_600_000 + 1000);
    await waitFor(() => deliveries.length === 1);
    expect(deliveries[0]?.input.scheduledTime).toBe(isoSeconds(twoHours));
    expect(() => clock.advance(-1)).toThrow(/only moves forward/);
  });
});
