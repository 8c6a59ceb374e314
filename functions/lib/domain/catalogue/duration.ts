import { z } from 'zod';
import { ValidationError } from '#lib/domain/shared/errors';

/**
 * Time-bound grant durations: an ISO-8601 duration in weeks, days, hours and minutes
 * (`PT8H`, `P1DT12H`, `P2W`) or a whole number of minutes. Years and months have no fixed
 * length and seconds are finer than any grant needs, so both are rejected.
 */
const ISO_DURATION = /^P(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?)?$/;

const MINUTES = { week: 7 * 24 * 60, day: 24 * 60, hour: 60 } as const;

/** Minutes in an ISO-8601 duration, or undefined when the text is not one we accept. */
export function isoDurationToMinutes(text: string): number | undefined {
  const match = ISO_DURATION.exec(text);
  if (!match || text === 'P' || text.endsWith('T')) return undefined;
  const [, weeks, days, hours, minutes] = match;
  const total =
    Number(weeks ?? 0) * MINUTES.week + Number(days ?? 0) * MINUTES.day + Number(hours ?? 0) * MINUTES.hour + Number(minutes ?? 0);
  return Number.isSafeInteger(total) ? total : undefined;
}

/** A positive duration: ISO-8601 text or whole minutes. */
export const durationSchema = z.union([
  z.int().positive('a duration in minutes must be a positive whole number'),
  z.string().refine((text) => (isoDurationToMinutes(text) ?? 0) > 0, {
    message: 'a duration must be a positive ISO-8601 duration in W/D/H/M (e.g. PT8H, P1D) or whole minutes',
  }),
]);
export type Duration = z.infer<typeof durationSchema>;

/** Minutes in a duration; a ValidationError for anything `durationSchema` would reject. */
export function toMinutes(duration: Duration): number {
  const minutes = typeof duration === 'number' ? duration : isoDurationToMinutes(duration);
  if (minutes === undefined || !Number.isSafeInteger(minutes) || minutes <= 0) {
    throw new ValidationError(`duration ${JSON.stringify(duration)} is not a positive ISO-8601 duration (W/D/H/M) or whole minutes`);
  }
  return minutes;
}
