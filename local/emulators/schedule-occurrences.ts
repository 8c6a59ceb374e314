import { nextCronWallTime } from './cron-expression.ts';
import { instantToWallTime, wallTimeToInstant, type ScheduleExpression } from './schedule-expression.ts';

/**
 * When a schedule invokes its target, by the rules of the Scheduler User Guide
 * (https://docs.aws.amazon.com/scheduler/latest/UserGuide/schedule-types.html):
 * - `at()`: once, at the wall-clock time in ScheduleExpressionTimezone; StartDate and EndDate
 *   are ignored for one-time schedules.
 * - `rate()`: from StartDate, or at once when there is none ("your schedule starts invoking the
 *   target immediately"), then every interval, until EndDate. Time zones do not apply.
 * - `cron()`: each wall-clock minute the expression names in ScheduleExpressionTimezone, from
 *   StartDate to EndDate. Daylight saving: a time the spring-forward skips is skipped; a time
 *   the fall-back repeats runs once.
 * A FLEXIBLE time window invokes at a moment within MaximumWindowInMinutes after each time
 * (https://docs.aws.amazon.com/scheduler/latest/UserGuide/managing-schedule-flexible-time-windows.html).
 */

export interface Recurrence {
  expression: ScheduleExpression;
  zone: string;
  /** Epoch ms. */
  startMs?: number;
  endMs?: number;
  /** When the schedule was created or last updated (rate schedules without StartDate start here). */
  anchorMs: number;
}

export interface Occurrence {
  /** The scheduled time (the `<aws.scheduler.scheduled-time>` context attribute). */
  dueAt: number;
  /** For cron: the wall-clock minute, so a repeated (fall-back) hour is not run twice. */
  wallMs?: number;
}

/**
 * The first occurrence strictly after `after` (the previous occurrence, if any), and not before
 * `notBefore` (now, so one missed while the cloud was down is not run more than once), or
 * undefined when the schedule has no more.
 */
export function nextOccurrence(recurrence: Recurrence, notBefore: number, after?: Occurrence): Occurrence | undefined {
  const { expression, zone, startMs, endMs } = recurrence;
  const within = (occurrence: Occurrence | undefined): Occurrence | undefined =>
    occurrence && (endMs === undefined || occurrence.dueAt <= endMs) ? occurrence : undefined;
  switch (expression.kind) {
    case 'at': {
      const dueAt = wallTimeToInstant(expression.wallTimeMs, zone);
      return after ? undefined : { dueAt };
    }
    case 'rate': {
      const anchor = startMs ?? recurrence.anchorMs;
      const from = Math.max(notBefore, anchor, after ? after.dueAt + 1 : -Infinity);
      const steps = Math.max(0, Math.ceil((from - anchor) / expression.everyMs));
      return within({ dueAt: anchor + steps * expression.everyMs });
    }
    case 'cron': {
      const from = Math.max(notBefore - 1, startMs === undefined ? -Infinity : startMs - 1);
      let wall = Math.max(instantToWallTime(from, zone), after?.wallMs ?? -Infinity);
      for (;;) {
        const next = nextCronWallTime(expression.cron, wall);
        if (next === undefined) return undefined;
        wall = next;
        const dueAt = wallTimeToInstant(next, zone);
        // A wall time the clocks jump over maps to an instant whose wall time differs: skipped.
        if (instantToWallTime(dueAt, zone) !== next) continue;
        if (dueAt <= from || (after && dueAt <= after.dueAt)) continue;
        if (endMs !== undefined && dueAt > endMs) return undefined;
        return { dueAt, wallMs: next };
      }
    }
  }
}

/** When a FLEXIBLE window invokes an occurrence: `random` in [0, 1) picks the moment within the window. */
export function invokeAt(dueAt: number, window: { Mode: 'OFF' | 'FLEXIBLE'; MaximumWindowInMinutes?: number }, random: () => number): number {
  if (window.Mode === 'OFF' || !window.MaximumWindowInMinutes) return dueAt;
  return dueAt + Math.floor(random() * window.MaximumWindowInMinutes * 60_000);
}
