/**
 * How the console writes times and durations for people: times in the viewer's own time zone
 * (the UTC value on hover), durations in words ("2 hours", not `PT2H`).
 */

const UNITS = [
  ['week', 7 * 24 * 60],
  ['day', 24 * 60],
  ['hour', 60],
  ['minute', 1],
] as const;

const ISO_DURATION = /^P(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?)?$/;

/** Minutes in an ISO-8601 duration of weeks, days, hours, minutes (seconds rounded up); undefined if not one. */
export function durationMinutes(text: string): number | undefined {
  const match = ISO_DURATION.exec(text);
  if (!match || text === 'P' || text.endsWith('T')) return undefined;
  const [, w, d, h, m, s] = match.map((part) => Number(part ?? 0));
  return (w ?? 0) * 10080 + (d ?? 0) * 1440 + (h ?? 0) * 60 + (m ?? 0) + Math.ceil((s ?? 0) / 60);
}

/** "2 hours", "1 day 12 hours", "45 minutes"; for minutes or ISO-8601 text. Unknown text comes back as given. */
export function durationInWords(value: number | string): string {
  const minutes = typeof value === 'number' ? value : durationMinutes(value);
  if (minutes === undefined) return String(value);
  if (minutes <= 0) return 'no time';
  const parts: string[] = [];
  let left = minutes;
  for (const [unit, size] of UNITS) {
    const count = Math.floor(left / size);
    if (count > 0) parts.push(`${count} ${unit}${count === 1 ? '' : 's'}`);
    left -= count * size;
  }
  return parts.join(' ');
}

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
