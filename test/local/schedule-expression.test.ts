import { describe, expect, it } from 'vitest';
import { parseScheduleExpression, ScheduleExpressionError, wallTimeToInstant } from '../../local/emulators/schedule-expression.ts';

describe('schedule expressions', () => {
  it('parses at(), rate() and cron() and rejects the rest', () => {
    expect(parseScheduleExpression('at(2026-03-01T10:20:30)')).toEqual({ kind: 'at', wallTimeMs: Date.UTC(2026, 2, 1, 10, 20, 30) });
    expect(parseScheduleExpression('rate(1 minute)')).toEqual({ kind: 'rate' });
    expect(parseScheduleExpression('cron(0 12 * * ? *)')).toEqual({ kind: 'cron' });
    for (const bad of ['at(2026-03-01 10:20:30)', 'at(2026-02-29T00:00:00)', 'at(2026-01-01T24:00:00)', 'rate(0 hours)', 'cron(* * *)', '']) {
      expect(() => parseScheduleExpression(bad), bad).toThrow(ScheduleExpressionError);
    }
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
