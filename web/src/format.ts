/**
 * How the console writes times and durations for people: times in the viewer's own time zone
 * (the UTC value on hover), durations in words ("2 hours", not `PT2H`).
 */

import { durationInWords } from '../../functions/lib/domain/shared/duration-words.ts';

export { durationInWords, durationMinutes } from '../../functions/lib/domain/shared/duration-words.ts';

/** "in 3 hours" / "5 minutes ago", from `now`. */
export function relative(at: Date, now: Date = new Date()): string {
  const minutes = Math.round((at.getTime() - now.getTime()) / 60_000);
  if (minutes === 0) return 'now';
  const words = durationInWords(Math.abs(minutes));
  return minutes > 0 ? `in ${words}` : `${words} ago`;
}

const local = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

/** The viewer's local time, and the exact UTC value for the hover title. */
export function timeTexts(iso: string): { local: string; utc: string } | undefined {
  const at = new Date(iso);
  if (Number.isNaN(at.getTime())) return undefined;
  return { local: local.format(at), utc: `${at.toISOString().replace('T', ' ').replace(/\.\d{3}Z$/, '')} UTC` };
}
