import { schedulerAt } from '../shared/dates.ts';
import { expiryScheduleName } from '../schedules/schedules.ts';
import type { ScheduleChange, Schedules } from '../schedules/schedules.ts';
import type { RevokeRequest } from './schemas.ts';

/**
 * Schedule Expiry: one one-time EventBridge Scheduler schedule per request, `time-bound-<requestId>`,
 * at(expiresAt) in UTC, that starts the time-bound state machine with
 * `{action: 'revoke', requestId, employeeId, reason: 'expired'}`. The revoke path deletes it
 * (absent is fine), so an early revoke leaves nothing to fire later; if it fires anyway the
 * revoke finds nothing active and changes nothing.
 */

export function expiryRevoke(requestId: string, employeeId: string): RevokeRequest {
  return { action: 'revoke', requestId, employeeId, reason: 'expired' };
}

export interface ScheduledExpiry {
  scheduleName: string;
  at: string;
  change: ScheduleChange;
}

export async function scheduleExpiry(schedules: Schedules, input: { requestId: string; employeeId: string; expiresAt: string }): Promise<ScheduledExpiry> {
  const scheduleName = expiryScheduleName(input.requestId);
  const change = await schedules.ensure({
    name: scheduleName,
    expression: schedulerAt(input.expiresAt),
    input: JSON.stringify(expiryRevoke(input.requestId, input.employeeId)),
  });
  return { scheduleName, at: input.expiresAt, change };
}
