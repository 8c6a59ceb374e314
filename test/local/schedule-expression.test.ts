import { describe, expect, it } from 'vitest';
import { parseScheduleExpression, ScheduleExpressionError, wallTimeToInstant } from '../../local/emulators/schedule-expression.ts';
import { invokeAt, nextOccurrence, type Occurrence, type Recurrence } from '../../local/emulators/schedule-occurrences.ts';

describe('schedule expressions', () => {
  it('parses at(), rate() and cron() and rejects the rest', () => {
    expect(parseScheduleExpression('at(2026-03-01T10:20:30)')).toEqual({ kind: 'at', wallTimeMs: Date.UTC(2026, 2, 1, 10, 20, 30) });
    expect(parseScheduleExpression('rate(1 minute)')).toEqual({ kind: 'rate', everyMs: 60_000 });
    expect(parseScheduleExpression('rate(90 days)')).toEqual({ kind: 'rate', everyMs: 90 * 86_400_000 });
    expect(parseScheduleExpression('cron(0 12 * * ? *)')).toMatchObject({ kind: 'cron' });
    const bad = [
      'at(2026-03-01 10:20:30)',
      'at(2026-02-29T00:00:00)',
      'at(2026-01-01T24:00:00)',
      'rate(0 hours)',
      'rate(5 seconds)',
      'cron(* * *)',
      'cron(0 12 * * * *)', // both day fields given
      'cron(0 12 ? * ? *)', // neither
      'cron(60 12 * * ? *)',
      'cron(0 24 * * ? *)',
      'cron(0 12 32 * ? *)',
      'cron(0 12 * 13 ? *)',
      'cron(0 12 ? * 8 *)',
      'cron(0 12 * * ? 2200)',
      'cron(0 12 ? * 3#1,6#3 *)', // # stands alone
      'cron(0 5-1 * * ? *)',
      '',
    ];
    for (const text of bad) {
      expect(() => parseScheduleExpression(text), text).toThrow(ScheduleExpressionError);
    }
    expect(() => parseScheduleExpression('cron(0 12 32 * ? *)')).toThrow(/day-of-month value 32 is not in 1-31/);
  });

  it('reads wall-clock times in UTC, fixed offsets and IANA zones (with daylight saving)', () => {
    const wall = Date.UTC(2026, 6, 1, 12, 0, 0);
    expect(wallTimeToInstant(wall)).toBe(wall);
    expect(wallTimeToInstant(wall, 'UTC')).toBe(wall);
    expect(wallTimeToInstant(wall, '+02:00')).toBe(Date.UTC(2026, 6, 1, 10));
    expect(wallTimeToInstant(wall, 'UTC-05:30')).toBe(Date.UTC(2026, 6, 1, 17, 30));
    expect(wallTimeToInstant(wall, 'America/New_York')).toBe(Date.UTC(2026, 6, 1, 16));
    expect(wallTimeToInstant(Date.UTC(2026, 0, 15, 12), 'America/New_York')).toBe(Date.UTC(2026, 0, 15, 17));
    expect(wallTimeToInstant(wall, 'Asia/Kolkata')).toBe(Date.UTC(2026, 6, 1, 6, 30));
    expect(() => wallTimeToInstant(wall, 'Nowhere/City')).toThrow(ScheduleExpressionError);
  });
});

const cron = (expression: string, zone = 'UTC', extra: Partial<Recurrence> = {}): Recurrence => ({
  expression: parseScheduleExpression(expression),
  zone,
  anchorMs: 0,
  ...extra,
});
const iso = (ms: number | undefined): string | undefined => (ms === undefined ? undefined : new Date(ms).toISOString());
/** The first `n` times from `from`, each after the last. */
function times(recurrence: Recurrence, from: number, n: number): (string | undefined)[] {
  const out: (string | undefined)[] = [];
  let last: Occurrence | undefined;
  for (let i = 0; i < n; i++) {
    const next = nextOccurrence(recurrence, last ? last.dueAt : from, last);
    out.push(iso(next?.dueAt));
    if (!next) break;
    last = next;
  }
  return out;
}

describe('recurring schedule times', () => {
  it('rate(): at once without StartDate, from StartDate with one, every interval, until EndDate', () => {
    const created = Date.UTC(2026, 0, 1, 9, 15);
    expect(times(cron('rate(90 days)', 'UTC', { anchorMs: created }), created, 3)).toEqual([
      '2026-01-01T09:15:00.000Z',
      '2026-04-01T09:15:00.000Z',
      '2026-06-30T09:15:00.000Z',
    ]);
    const start = Date.UTC(2026, 0, 5);
    expect(times(cron('rate(2 hours)', 'America/New_York', { anchorMs: created, startMs: start, endMs: start + 4 * 3_600_000 }), created, 4)).toEqual([
      '2026-01-05T00:00:00.000Z',
      '2026-01-05T02:00:00.000Z',
      '2026-01-05T04:00:00.000Z',
      undefined,
    ]);
    // A cloud that was down for three intervals fires the missed time once, then keeps the rhythm.
    const rate = cron('rate(1 hour)', 'UTC', { anchorMs: created });
    const missed = nextOccurrence(rate, created + 3.5 * 3_600_000, { dueAt: created });
    expect(iso(missed?.dueAt)).toBe('2026-01-01T13:15:00.000Z');
  });

  it('cron(): the minutes it names, in its time zone, with L, W, # and names', () => {
    const from = Date.UTC(2026, 0, 1); // a Thursday
    // Quarterly at 09:00 Berlin time on the first Monday of the quarter.
    expect(times(cron('cron(0 9 ? JAN,APR,JUL,OCT 2#1 *)', 'Europe/Berlin'), from, 3)).toEqual([
      '2026-01-05T08:00:00.000Z',
      '2026-04-06T07:00:00.000Z', // summer time: UTC+2
      '2026-07-06T07:00:00.000Z',
    ]);
    expect(times(cron('cron(30 18 L * ? *)'), from, 3)).toEqual(['2026-01-31T18:30:00.000Z', '2026-02-28T18:30:00.000Z', '2026-03-31T18:30:00.000Z']);
    // 15W: the weekday nearest the 15th (Feb 15 2026 is a Sunday, so Monday the 16th; Aug 15 is a Saturday: Friday the 14th).
    expect(iso(nextOccurrence(cron('cron(0 0 15W * ? *)'), Date.UTC(2026, 1, 1))?.dueAt)).toBe('2026-02-16T00:00:00.000Z');
    expect(iso(nextOccurrence(cron('cron(0 0 15W * ? *)'), Date.UTC(2026, 7, 1))?.dueAt)).toBe('2026-08-14T00:00:00.000Z');
    expect(times(cron('cron(0 12 ? * 6L 2026)'), Date.UTC(2026, 10, 1), 3)).toEqual(['2026-11-27T12:00:00.000Z', '2026-12-25T12:00:00.000Z', undefined]);
    expect(times(cron('cron(0/20 8-9 ? * MON-FRI *)'), from, 4)).toEqual([
      '2026-01-01T08:00:00.000Z',
      '2026-01-01T08:20:00.000Z',
      '2026-01-01T08:40:00.000Z',
      '2026-01-01T09:00:00.000Z',
    ]);
    // Weekends are skipped: Friday 09:40 is followed by Monday 08:00.
    expect(iso(nextOccurrence(cron('cron(0/20 8-9 ? * MON-FRI *)'), Date.UTC(2026, 0, 2, 9, 41))?.dueAt)).toBe('2026-01-05T08:00:00.000Z');
    // StartDate and EndDate bound it.
    const bounded = cron('cron(0 0 * * ? *)', 'UTC', { startMs: Date.UTC(2026, 5, 1, 12), endMs: Date.UTC(2026, 5, 3) });
    expect(times(bounded, from, 3)).toEqual(['2026-06-02T00:00:00.000Z', '2026-06-03T00:00:00.000Z', undefined]);
  });

  it('daylight saving: a time the clocks skip is skipped, a repeated time runs once', () => {
    // US spring forward on 8 Mar 2026: 02:30 does not happen in New York that day.
    expect(times(cron('cron(30 2 * * ? *)', 'America/New_York'), Date.UTC(2026, 2, 7, 12), 2)).toEqual([
      '2026-03-09T06:30:00.000Z',
      '2026-03-10T06:30:00.000Z',
    ]);
    // Fall back on 1 Nov 2026: 01:30 happens twice in New York; it runs once.
    expect(times(cron('cron(30 1 * * ? *)', 'America/New_York'), Date.UTC(2026, 9, 31, 12), 2)).toEqual([
      '2026-11-01T05:30:00.000Z',
      '2026-11-02T06:30:00.000Z',
    ]);
  });

  it('a flexible window invokes within the window after the time', () => {
    const due = Date.UTC(2026, 0, 1);
    expect(invokeAt(due, { Mode: 'OFF' }, () => 0.99)).toBe(due);
    expect(invokeAt(due, { Mode: 'FLEXIBLE', MaximumWindowInMinutes: 15 }, () => 0)).toBe(due);
    expect(invokeAt(due, { Mode: 'FLEXIBLE', MaximumWindowInMinutes: 15 }, () => 0.5)).toBe(due + 7.5 * 60_000);
    expect(invokeAt(due, { Mode: 'FLEXIBLE', MaximumWindowInMinutes: 15 }, () => 0.999999)).toBeLessThan(due + 15 * 60_000);
  });
});
