import { setTimeout as sleep } from 'node:timers/promises';
import { inspect } from 'node:util';
import type { EmulatorClock } from '../core/emulator-clock.ts';
import type { JsonStore } from '../core/store.ts';
import { nextFiring, scheduleArn, type Firing, type SchedulerState, type StoredSchedule } from './scheduler-model.ts';
import { deliverToTarget, UnsupportedTargetError, type TargetPorts } from './targets.ts';

/** setTimeout holds at most 2^31-1 ms (~24.8 days); longer waits are re-armed in steps. */
const MAX_TIMER_MS = 2 ** 31 - 1;

export interface RunnerOptions {
  store: JsonStore<SchedulerState>;
  targets: TargetPorts;
  clock: EmulatorClock;
  /** Picks the moment within a FLEXIBLE window, in [0, 1). */
  random: () => number;
  /** Waits between delivery attempts; one more attempt than there are delays. */
  retryDelaysMs: readonly number[];
  /** Why Scheduler may not assume the schedule's role (an error), checked before each delivery. */
  authorize?: (schedule: StoredSchedule) => Error | undefined;
}

const isDue = (schedule: StoredSchedule | undefined): schedule is StoredSchedule & { firing: Firing } =>
  schedule?.State === 'ENABLED' && schedule.firing?.status === 'pending';

const isoSeconds = (ms: number): string => `${new Date(ms).toISOString().slice(0, 19)}Z`;

/**
 * Target.Input with Scheduler's context attributes filled in
 * (https://docs.aws.amazon.com/scheduler/latest/UserGuide/managing-schedule-context-attributes.html).
 */
export function withContextAttributes(input: string, schedule: StoredSchedule, firing: Firing, attempt: number): string {
  const values: Record<string, string> = {
    'schedule-arn': scheduleArn(schedule.GroupName, schedule.Name),
    'scheduled-time': isoSeconds(firing.dueAt),
    'execution-id': `${schedule.Name}-${firing.dueAt.toString(36)}`,
    'attempt-number': String(attempt),
  };
  return input.replace(/<aws\.scheduler\.(schedule-arn|scheduled-time|execution-id|attempt-number)>/g, (_, name: string) => values[name]!);
}

/**
 * Fires schedules: one timer per pending, enabled schedule, on the emulator's clock; a due
 * schedule delivers its Target.Input once per time, retrying failed deliveries with backoff.
 * A one-time schedule is then deleted (ActionAfterCompletion DELETE) or kept with a fired /
 * failed marker so it never fires twice; a recurring one gets its next time, and is deleted
 * (DELETE) or kept without one when it has none left. State is saved after every outcome, so a
 * restart resumes it; a time missed while the cloud was down fires once, then the next follows.
 */
export class ScheduleRunner {
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly inFlight = new Map<string, Promise<void>>();
  private readonly abort = new AbortController();

  constructor(private readonly options: RunnerOptions) {
    // A fast-forwarded clock: every timer was armed for the old time.
    options.clock.onJump?.(() => this.start());
  }

  private get state(): SchedulerState {
    return this.options.store.data;
  }

  /** Arms every pending schedule; ones that fell due while the cloud was down fire now. */
  start(): void {
    for (const key of Object.keys(this.state.schedules)) this.sync(key);
  }

  /** Re-reads one schedule after a change: (re)arms its timer, or disarms it. */
  sync(key: string): void {
    this.disarm(key);
    const schedule = this.state.schedules[key];
    if (this.abort.signal.aborted || !isDue(schedule)) return;
    this.arm(key, schedule.firing.invokeAt ?? schedule.firing.dueAt);
  }

  disarm(key: string): void {
    clearTimeout(this.timers.get(key));
    this.timers.delete(key);
  }

  async stop(): Promise<void> {
    this.abort.abort();
    for (const key of [...this.timers.keys()]) this.disarm(key);
    await Promise.allSettled(this.inFlight.values());
  }

  private arm(key: string, dueAt: number): void {
    const { clock } = this.options;
    const delay = clock.realMs(Math.max(0, dueAt - clock.now()));
    const capped = delay > MAX_TIMER_MS;
    const timer = setTimeout(() => {
      this.timers.delete(key);
      if (capped) this.arm(key, dueAt);
      else void this.fire(key);
    }, Math.min(delay, MAX_TIMER_MS));
    timer.unref();
    this.timers.set(key, timer);
  }

  private fire(key: string): Promise<void> {
    const running = this.inFlight.get(key);
    if (running) return running;
    const run = this.deliver(key).finally(() => this.inFlight.delete(key));
    this.inFlight.set(key, run);
    return run;
  }

  private async deliver(key: string): Promise<void> {
    const { store, targets, clock, retryDelaysMs } = this.options;
    for (let attempt = 1; ; attempt++) {
      const schedule = this.state.schedules[key];
      if (this.abort.signal.aborted || !isDue(schedule)) return;
      const dueAt = schedule.firing.dueAt;
      const input = withContextAttributes(schedule.Target.Input ?? '{}', schedule, schedule.firing, attempt);
      const error =
        this.options.authorize?.(schedule) ??
        (await deliverToTarget(targets, schedule.Target.Arn, input).then(
          () => undefined,
          (reason: unknown) => reason ?? new Error('delivery failed'),
        ));
      // The schedule may have been updated or deleted while the target was called.
      const current = this.state.schedules[key];
      if (!isDue(current) || current.firing.dueAt !== dueAt) return;
      if (error === undefined) {
        this.settle(key, current, { ...current.firing, status: 'fired', attempts: attempt, firedAt: clock.now() });
        return;
      }
      const message = error instanceof Error ? error.message : inspect(error);
      const delay = retryDelaysMs[attempt - 1];
      const final = delay === undefined || error instanceof UnsupportedTargetError;
      if (final) {
        console.error(`[local-cloud] scheduler: schedule ${key} failed after ${attempt} attempt(s); marked failed`, error);
        this.settle(key, current, { ...current.firing, attempts: attempt, lastError: message, status: 'failed' });
        return;
      }
      current.firing = { ...current.firing, attempts: attempt, lastError: message };
      store.save();
      console.warn(`[local-cloud] scheduler: schedule ${key} attempt ${attempt} failed (${message}); retrying in ${delay} ms`);
      try {
        await sleep(delay, undefined, { signal: this.abort.signal });
      } catch {
        return; // stopped: the schedule stays pending and fires after the next start
      }
    }
  }

  /** After a time's outcome: the next time of a recurring schedule, or the one-time end (deleted, or kept with its marker). */
  private settle(key: string, schedule: StoredSchedule, done: Firing): void {
    const { store, clock, random } = this.options;
    const last: Firing = { ...done, invocations: (done.invocations ?? 0) + 1 };
    const next = nextFiring(schedule, schedule.anchorMs ?? schedule.CreationDate * 1000, clock.now(), random, last);
    if (next) schedule.firing = next;
    else if (schedule.ActionAfterCompletion === 'DELETE') delete this.state.schedules[key];
    else schedule.firing = last;
    store.save();
    if (next) this.sync(key);
  }
}
