import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { durationInWords, durationMinutes, relative, timeTexts } from '../../../web/src/format.ts';

/** The console's words for durations and times. */
describe('durationInWords', () => {
  it('writes ISO-8601 durations and minutes in words', () => {
    expect(['PT2H', 'PT1H', 'P1DT12H', 'PT45M', 'P2W', 'PT90M'].map(durationInWords)).toEqual(['2 hours', '1 hour', '1 day 12 hours', '45 minutes', '2 weeks', '1 hour 30 minutes']);
    expect(durationInWords(1)).toBe('1 minute');
    expect(durationInWords('not a duration')).toBe('not a duration');
  });

  it('round-trips: the words add up to the minutes', () => {
    const unit: Record<string, number> = { week: 10080, day: 1440, hour: 60, minute: 1 };
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 10 * 10080 }), (minutes) => {
        const words = durationInWords(minutes).split(' ');
        let total = 0;
        for (let i = 0; i < words.length; i += 2) total += Number(words[i]) * (unit[words[i + 1]!.replace(/s$/, '')] ?? NaN);
        return total === minutes;
      }),
    );
    expect(durationMinutes('PT2H30M')).toBe(150);
  });
});

describe('times', () => {
  it('gives the exact UTC value for the hover title, and relative words', () => {
    expect(timeTexts('2026-12-03T09:05:00.000Z')?.utc).toBe('2026-12-03 09:05:00 UTC');
    expect(timeTexts('nope')).toBeUndefined();
    const now = new Date('2026-12-03T09:00:00.000Z');
    expect(relative(new Date('2026-12-03T11:00:00.000Z'), now)).toBe('in 2 hours');
    expect(relative(new Date('2026-12-03T08:55:00.000Z'), now)).toBe('5 minutes ago');
    // Past an hour to the hour, past a day to the day: a deadline two weeks out reads as days, not minutes.
    expect(relative(new Date('2026-12-03T11:40:00.000Z'), now)).toBe('in 3 hours');
    expect(relative(new Date('2026-12-17T08:54:00.000Z'), now)).toBe('in 14 days');
    expect(relative(new Date('2026-12-02T08:00:00.000Z'), now)).toBe('1 day ago');
  });
});
