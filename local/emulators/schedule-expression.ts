import { CronSyntaxError, parseCron, type CronSpec } from './cron-expression.ts';

/**
 * EventBridge Scheduler expressions: `at(yyyy-mm-ddThh:mm:ss)` one-time schedules,
 * `rate(value unit)` and `cron(six fields)` recurring ones (cron-expression.ts), and the time
 * zone an `at()` or `cron()` wall-clock time is read in (IANA names through Intl, plus UTC and
 * fixed offsets such as `+02:00` / `UTC-05:30`).
 * https://docs.aws.amazon.com/scheduler/latest/UserGuide/schedule-types.html
 */

export class ScheduleExpressionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ScheduleExpressionError';
  }
}

export type ScheduleExpression = { kind: 'at'; wallTimeMs: number } | { kind: 'rate'; everyMs: number } | { kind: 'cron'; cron: CronSpec };

const UNIT_MS: Record<string, number> = { minute: 60_000, hour: 3_600_000, day: 86_400_000 };

const AT = /^at\((\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})\)$/;
const RATE = /^rate\((\d+) (minutes?|hours?|days?)\)$/;
const CRON = /^cron\((.+)\)$/;
const FIXED_OFFSET = /^(?:UTC|GMT)?([+-])(\d{1,2})(?::?(\d{2}))?$/;

/** Parses a ScheduleExpression; an `at()` time comes back as the UTC epoch of its wall-clock fields. */
export function parseScheduleExpression(expression: string): ScheduleExpression {
  const at = AT.exec(expression);
  if (at) {
    const [y, mo, d, h, mi, s] = at.slice(1).map(Number) as [number, number, number, number, number, number];
    const wallTimeMs = Date.UTC(y, mo - 1, d, h, mi, s);
    const check = new Date(wallTimeMs);
    if (check.getUTCMonth() !== mo - 1 || check.getUTCDate() !== d || h > 23 || mi > 59 || s > 59) {
      throw new ScheduleExpressionError(`ScheduleExpression ${expression} names a date or time that does not exist.`);
    }
    return { kind: 'at', wallTimeMs };
  }
  const rate = RATE.exec(expression);
  if (rate) {
    if (Number(rate[1]) < 1) throw new ScheduleExpressionError(`ScheduleExpression ${expression} needs a positive rate.`);
    return { kind: 'rate', everyMs: Number(rate[1]) * UNIT_MS[rate[2]!.replace(/s$/, '')]! };
  }
  const cron = CRON.exec(expression);
  if (cron) {
    try {
      return { kind: 'cron', cron: parseCron(cron[1]!) };
    } catch (error) {
      if (error instanceof CronSyntaxError) throw new ScheduleExpressionError(`ScheduleExpression ${expression} is not valid: ${error.message}.`);
      throw error;
    }
  }
  throw new ScheduleExpressionError(
    `ScheduleExpression ${expression} is not valid: use at(yyyy-mm-ddThh:mm:ss), rate(value minutes|hours|days) or cron(six fields).`,
  );
}

function fixedOffsetMs(zone: string): number | undefined {
  if (zone === 'UTC' || zone === 'GMT' || zone === 'Z') return 0;
  const match = FIXED_OFFSET.exec(zone);
  if (!match) return undefined;
  const hours = Number(match[2]);
  const minutes = Number(match[3] ?? 0);
  if (hours > 14 || minutes > 59) return undefined;
  return (match[1] === '-' ? -1 : 1) * (hours * 60 + minutes) * 60_000;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(zone: string): Intl.DateTimeFormat | undefined {
  let format = formatters.get(zone);
  if (!format) {
    try {
      format = new Intl.DateTimeFormat('en-US', {
        timeZone: zone,
        hourCycle: 'h23',
        year: 'numeric',
        month: 'numeric',
        day: 'numeric',
        hour: 'numeric',
        minute: 'numeric',
        second: 'numeric',
      });
    } catch {
      return undefined;
    }
    formatters.set(zone, format);
  }
  return format;
}

export function isValidTimezone(zone: string): boolean {
  return fixedOffsetMs(zone) !== undefined || formatter(zone) !== undefined;
}

/** How far `zone`'s wall clock is ahead of UTC at `instant`. */
function zoneOffsetMs(zone: string, instant: number): number {
  const fixed = fixedOffsetMs(zone);
  if (fixed !== undefined) return fixed;
  const format = formatter(zone);
  if (!format) throw new ScheduleExpressionError(`ScheduleExpressionTimezone ${zone} is not a known time zone.`);
  const parts = format.formatToParts(new Date(instant));
  const part = (type: Intl.DateTimeFormatPartTypes): number => Number(parts.find((p) => p.type === type)?.value ?? 0);
  const wall = Date.UTC(part('year'), part('month') - 1, part('day'), part('hour'), part('minute'), part('second'));
  return wall - Math.floor(instant / 1000) * 1000;
}

/** `zone`'s wall-clock time at `instant`, as the UTC epoch of its fields. */
export function instantToWallTime(instant: number, zone = 'UTC'): number {
  return instant + zoneOffsetMs(zone, instant);
}

/** The instant a wall-clock time (as from parseScheduleExpression) happens in `zone`. */
export function wallTimeToInstant(wallTimeMs: number, zone = 'UTC'): number {
  const firstGuess = wallTimeMs - zoneOffsetMs(zone, wallTimeMs);
  return wallTimeMs - zoneOffsetMs(zone, firstGuess);
}
