import { schedulerAt } from '../shared/dates.ts';
import { endingSoonScheduleName, expiryScheduleName } from '../schedules/schedules.ts';
import type { ScheduleChange, Schedules } from '../schedules/schedules.ts';
import type { RevokeRequest } from './schemas.ts';
import type { Grant } from '../grants/grants.ts';
import { isoDurationToMinutes } from '../catalogue/duration.ts';
import { ConfigError } from '../shared/errors.ts';

/**
 * Schedule Expiry: one one-time EventBridge Scheduler schedule per request, `time-bound-<requestId>`,
 * at(expiresAt) in UTC, that starts the time-bound state machine with
 * `{action: 'revoke', requestId, employeeId, reason: 'expired'}`. The revoke path deletes it
 * (absent is fine), so an early revoke leaves nothing to fire later; if it fires anyway the
 * revoke finds nothing active and changes nothing.
 */

export function expiryRevoke(requestId: string, employeeId: string, endsAt?: string): RevokeRequest {
  return { action: 'revoke', requestId, employeeId, reason: 'expired', ...(endsAt ? { endsAt } : {}) };
}

/**
 * An expiry schedule that fired for an end an extension has since moved (issue #17): the request's
 * active grants now end later than the end the schedule was set for. Such a revoke changes nothing
 * and leaves the moved schedule alone. Early revokes, and schedules from before extensions (no
 * `endsAt`), are never stale.
 */
export function staleExpiry(revoke: Pick<RevokeRequest, 'reason' | 'endsAt'>, active: readonly { grant: Grant }[]): string | undefined {
  if (revoke.reason !== 'expired' || !revoke.endsAt) return undefined;
  const endsAt = Date.parse(revoke.endsAt);
  const later = active.flatMap((stored) => (stored.grant.source.kind === 'time-bound' && Date.parse(stored.grant.source.expiresAt) > endsAt ? [stored.grant.source.expiresAt] : []));
  return later[0];
}

export interface ScheduledExpiry {
  scheduleName: string;
  at: string;
  change: ScheduleChange;
  /** The reminder before the end (`ending-soon-<requestId>`), or why there is none. */
  reminder: { scheduleName: string; at: string; change: ScheduleChange } | { none: string };
}

/**
 * How long before the end the holder is reminded, unless the grant is shorter than twice that
 * (issue #18): context `endingSoonLead` (env ENDING_SOON_LEAD), an ISO-8601 duration in weeks,
 * days, hours and minutes (the catalogue's duration format), from one minute to a week. Switch the
 * reminder off with `notificationsOff: access-ending-soon` instead of a zero lead.
 */
export const DEFAULT_ENDING_SOON_LEAD = 'PT15M';
export const ENDING_SOON_LEAD_BOUNDS = { minMinutes: 1, maxMinutes: 7 * 24 * 60 } as const;

/** The lead in minutes; a ConfigError naming `endingSoonLead` and what is wrong, for synth and cold start. */
export function parseEndingSoonLead(value: string | undefined): number {
  const text = value === undefined || value.trim() === '' ? DEFAULT_ENDING_SOON_LEAD : value.trim();
  const minutes = isoDurationToMinutes(text);
  if (minutes === undefined) throw new ConfigError(`endingSoonLead: ${JSON.stringify(text)} is not an ISO-8601 duration in W/D/H/M, e.g. PT15M, PT1H or P1D`);
  const { minMinutes, maxMinutes } = ENDING_SOON_LEAD_BOUNDS;
  if (minutes < minMinutes || minutes > maxMinutes) throw new ConfigError(`endingSoonLead: ${text} is ${minutes} minutes; it must be from PT1M to P7D (${minMinutes}-${maxMinutes} minutes)`);
  return minutes;
}

/**
 * When to remind: `leadMinutes` before the end, if that is at least `leadMinutes` after now (a
 * grant shorter than twice the lead gets no reminder: its granted mail says when it ends).
 */
export function reminderAt(expiresAt: string, now: Date, leadMinutes: number): string | undefined {
  const at = Date.parse(expiresAt) - leadMinutes * 60_000;
  return at - now.getTime() >= leadMinutes * 60_000 ? new Date(at).toISOString() : undefined;
}

export async function scheduleExpiry(
  schedules: Schedules,
  input: { requestId: string; employeeId: string; expiresAt: string },
  reminder: { now: Date; leadMinutes: number } = { now: new Date(0), leadMinutes: 0 },
): Promise<ScheduledExpiry> {
  const scheduleName = expiryScheduleName(input.requestId);
  const change = await schedules.ensure({
    name: scheduleName,
    expression: schedulerAt(input.expiresAt),
    input: JSON.stringify(expiryRevoke(input.requestId, input.employeeId, input.expiresAt)),
  });
  const remindAt = reminder.leadMinutes > 0 ? reminderAt(input.expiresAt, reminder.now, reminder.leadMinutes) : undefined;
  if (!remindAt) return { scheduleName, at: input.expiresAt, change, reminder: { none: reminder.leadMinutes > 0 ? 'shorter than twice the lead' : 'reminders off' } };
  // The same one-time schedule kind as the expiry, named by request, so a retry ensures the same one.
  const remind = { name: endingSoonScheduleName(input.requestId), expression: schedulerAt(remindAt), input: JSON.stringify({ action: 'remind', requestId: input.requestId, employeeId: input.employeeId, endsAt: input.expiresAt }) };
  return { scheduleName, at: input.expiresAt, change, reminder: { scheduleName: remind.name, at: remindAt, change: await schedules.ensure(remind) } };
}
