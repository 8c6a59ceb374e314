import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { ValidationError } from '#lib/domain/shared/errors';
import { durationSchema, isoDurationToMinutes, toMinutes } from '#lib/domain/catalogue/duration';

describe('isoDurationToMinutes', () => {
  it.each([
    ['PT8H', 480],
    ['PT90M', 90],
    ['PT1H30M', 90],
    ['P1D', 1440],
    ['P1DT12H', 2160],
    ['P2W', 20_160],
    ['PT0M', 0],
  ])('reads %s as %i minutes', (text, minutes) => {
    expect(isoDurationToMinutes(text)).toBe(minutes);
  });

  it.each(['', 'P', 'PT', 'P1Y', 'P1M', 'PT30S', 'PT1.5H', '8h', '-PT1H', 'pt1h', 'P1DT', ' PT1H'])('rejects %j', (text) => {
    expect(isoDurationToMinutes(text)).toBeUndefined();
  });

  it('agrees with the arithmetic for any weeks, days, hours and minutes', () => {
    fc.assert(
      fc.property(fc.nat(10), fc.nat(30), fc.nat(48), fc.nat(120), (w, d, h, m) => {
        const time = h || m ? `T${h ? `${h}H` : ''}${m ? `${m}M` : ''}` : '';
        const text = `P${w ? `${w}W` : ''}${d ? `${d}D` : ''}${time}`;
        fc.pre(text !== 'P');
        expect(isoDurationToMinutes(text)).toBe(w * 10_080 + d * 1440 + h * 60 + m);
      }),
    );
  });
});

describe('durationSchema and toMinutes', () => {
  it.each([120, 'PT2H'])('accepts %j', (value) => {
    expect(durationSchema.safeParse(value).success).toBe(true);
    expect(toMinutes(value)).toBe(120);
  });

  it.each([0, -5, 1.5, 'PT0H', 'P1Y', '2h'])('rejects %j', (value) => {
    expect(durationSchema.safeParse(value).success).toBe(false);
    expect(() => toMinutes(value)).toThrow(ValidationError);
  });
});
