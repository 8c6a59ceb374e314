/**
 * Date arithmetic of the joiner, in UTC only. HRIS dates (`startDate`, `endDate`) are calendar
 * days without a zone; Gatehouse reads them as UTC days, so a run gives the same instants
 * wherever it runs. Every instant handed to Step Functions or Scheduler has second precision
 * and a `Z`: `Wait.TimestampPath` wants RFC 3339 with `Z`, Scheduler's `at()` whole seconds.
 */

const HOUR_MS = 60 * 60 * 1000;

/** `2026-03-02T07:00:00Z`: whole seconds (rounded down), always UTC. */
export const isoSeconds = (instant: Date): string => `${instant.toISOString().slice(0, 19)}Z`;

/** 00:00:00Z of a calendar day `yyyy-mm-dd`. */
export const startOfDayUtc = (day: string): Date => new Date(`${day}T00:00:00Z`);

/** The last second of a calendar day, `yyyy-mm-ddT23:59:59Z`: a contract ending that day ends then. */
export const endOfDayUtc = (day: string): string => `${day}T23:59:59Z`;

/**
 * When provisioning may start: `leadHours` before the start day begins (UTC), but never before
 * `now` (a hire entered late, or on the day, is provisioned at once).
 */
export function provisionAt(startDate: string, now: Date, leadHours: number): string {
  const earliest = startOfDayUtc(startDate).getTime() - leadHours * HOUR_MS;
  return isoSeconds(new Date(Math.max(now.getTime(), earliest)));
}

/** `at(yyyy-mm-ddThh:mm:ss)` for EventBridge Scheduler, read in UTC. */
export const schedulerAt = (instant: string): string => `at(${isoSeconds(new Date(instant)).slice(0, 19)})`;

/** `2026-03-02 07:00 UTC`: how mails and pages show an instant. */
export const formatTime = (iso: string): string => {
  const date = new Date(iso);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getUTCFullYear()}-${pad(date.getUTCMonth() + 1)}-${pad(date.getUTCDate())} ${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())} UTC`;
};

/** The UTC calendar day of an instant. */
export const utcDay = (instant: string): string => new Date(instant).toISOString().slice(0, 10);

const DAY_MS = 24 * HOUR_MS;

/**
 * A note for a hire whose start date is already past when Gatehouse receives it (a hire entered
 * late, a backdated record, a typo in the year): access is provisioned at once, which may be what
 * was meant, but a reader of the audit trail and the sender should see it. Undefined for today or later.
 */
export function pastStartNote(employeeId: string, startDate: string, now: Date): string | undefined {
  const days = Math.floor((startOfDayUtc(isoSeconds(now).slice(0, 10)).getTime() - startOfDayUtc(startDate).getTime()) / DAY_MS);
  if (!(days > 0)) return undefined;
  return `${employeeId}: start date ${startDate} is ${days} day${days === 1 ? '' : 's'} in the past; access is provisioned now`;
}
