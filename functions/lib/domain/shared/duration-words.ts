/**
 * Durations as people read them: "2 hours", "1 day 12 hours", not `PT2H` or 720. One home for
 * the console (web/src/format.ts re-exports these) and the e-mailed approval page and mail.
 * Pure: no Node or browser API.
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

/** "2 hours", "1 day 12 hours", "45 minutes"; for whole minutes or ISO-8601 text. Text that is neither comes back as given. */
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
