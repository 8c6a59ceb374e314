/**
 * How the console writes times and durations for people: times in the viewer's own time zone
 * (the UTC value on hover), durations in words ("2 hours", not `PT2H`).
 */

import { durationInWords } from '../../functions/lib/domain/shared/duration-words.ts';

export { durationInWords, durationMinutes } from '../../functions/lib/domain/shared/duration-words.ts';

/**
 * "in 3 hours" / "5 minutes ago", from `now`; past a day, to the nearest day ("in 14 days", not
 * "in 1 week 6 days 23 hours 54 minutes"), past an hour, to the nearest hour, as a person says it.
 */
export function relative(at: Date, now: Date = new Date()): string {
  const exact = Math.round((at.getTime() - now.getTime()) / 60_000);
  if (exact === 0) return 'now';
  const size = Math.abs(exact);
  const days = Math.round(size / 1440);
  const words = size >= 1440 ? `${days} day${days === 1 ? '' : 's'}` : durationInWords(size >= 60 ? Math.round(size / 60) * 60 : size);
  return exact > 0 ? `in ${words}` : `${words} ago`;
}

const local = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

/** The viewer's local time, and the exact UTC value for the hover title. */
export function timeTexts(iso: string): { local: string; utc: string } | undefined {
  const at = new Date(iso);
  if (Number.isNaN(at.getTime())) return undefined;
  return { local: local.format(at), utc: `${at.toISOString().replace('T', ' ').replace(/\.\d{3}Z$/, '')} UTC` };
}
