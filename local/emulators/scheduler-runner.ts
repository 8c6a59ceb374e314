import { setTimeout as sleep } from 'node:timers/promises';
import { inspect } from 'node:util';
import type { JsonStore } from '../core/store.ts';
import type { Firing, SchedulerState, StoredSchedule } from './scheduler-model.ts';
import { deliverToTarget, UnsupportedTargetError, type TargetPorts } from './targets.ts';

/** setTimeout holds at most 2^31-1 ms (~24.8 days); longer waits are re-armed in steps. */
const MAX_TIMER_MS = 2 ** 31 - 1;

export interface RunnerOptions {
  store: JsonStore<SchedulerState>;
  targets: TargetPorts;
  now: () => number;
  /** Waits between delivery attempts; one more attempt than there are delays. */
  retryDelaysMs: readonly number[];
  /** Why Scheduler may not assume the schedule's role (an error), checked before each delivery. */
  authorize?: (schedule: StoredSchedule) => Error | undefined;
}

const isDue = (schedule: StoredSchedule | undefined): schedule is StoredSchedule & { firing: Firing } =>
  schedule?.State === 'ENABLED' && schedule.firing?.status === 'pending';

/**
 * Fires `at()` schedules: one timer per pending, enabled schedule; a due schedule
 * delivers its Target.Input once, retrying failed deliveries with backoff, then is
 * deleted (ActionAfterCompletion DELETE) or kept with a fired / failed marker so it
 * never fires twice. State is saved after every outcome, so a restart resumes it.
 */
export class ScheduleRunner {
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly inFlight = new Map<string, Promise<void>>();
  private readonly abort = new AbortController();

  constructor(private readonly options: RunnerOptions) {}

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
    this.arm(key, schedule.firing.dueAt);
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
    const delay = Math.max(0, dueAt - this.options.now());
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
    const { store, targets, now, retryDelaysMs } = this.options;
    for (let attempt = 1; ; attempt++) {
      const schedule = this.state.schedules[key];
      if (this.abort.signal.aborted || !isDue(schedule)) return;
      const dueAt = schedule.firing.dueAt;
      const error =
        this.options.authorize?.(schedule) ??
        (await deliverToTarget(targets, schedule.Target.Arn, schedule.Target.Input ?? '{}').then(
          () => undefined,
          (reason: unknown) => reason ?? new Error('delivery failed'),
        ));
      // The schedule may have been updated or deleted while the target was called.
      const current = this.state.schedules[key];
      if (!isDue(current) || current.firing.dueAt !== dueAt) return;
      if (error === undefined) {
        if (current.ActionAfterCompletion === 'DELETE') delete this.state.schedules[key];
        else current.firing = { ...current.firing, status: 'fired', attempts: attempt, firedAt: now() };
        store.save();
        return;
      }
      const message = error instanceof Error ? error.message : inspect(error);
      const delay = retryDelaysMs[attempt - 1];
      const final = delay === undefined || error instanceof UnsupportedTargetError;
      current.firing = { ...current.firing, attempts: attempt, lastError: message, ...(final ? { status: 'failed' } : {}) };
      store.save();
      if (final) {
        console.error(`[local-cloud] scheduler: schedule ${key} failed after ${attempt} attempt(s); marked failed`, error);
        return;
      }
      console.warn(`[local-cloud] scheduler: schedule ${key} attempt ${attempt} failed (${message}); retrying in ${delay} ms`);
      try {
        await sleep(delay, undefined, { signal: this.abort.signal });
      } catch {
        return; // stopped: the schedule stays pending and fires after the next start
      }
    }
  }
}
