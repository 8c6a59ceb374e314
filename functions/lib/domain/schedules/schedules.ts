import { createHash } from 'node:crypto';
import type { EmployeeLeft, HrisSource } from '../events/employee-events.ts';
import { isoSeconds, utcDay } from '../shared/dates.ts';

/**
 * The per-person end-date schedule: the joiner sets it (Schedule Deprovisioning), the leaver
 * reads, moves or deletes it, and time-bound access reuses the Schedules port for expiry.
 * Shared here so no workflow imports another's folder.
 */

const hash16 = (text: string): string => createHash('sha256').update(text, 'utf8').digest('hex').slice(0, 16);

/** Scheduler names are 1-64 of [0-9a-zA-Z-_.]; employee ids already use only those characters. */
export function scheduleNameFor(employeeId: string): string {
  const name = `leave-${employeeId}`;
  return name.length <= 64 ? name : `leave-${employeeId.slice(0, 40)}-${hash16(employeeId)}`;
}

/** A time-bound request's expiry schedule, `time-bound-<requestId>` (the leaver deletes it too). Scheduler names are 1-64 of [0-9a-zA-Z-_.]; request ids use only those characters. */
export function expiryScheduleName(requestId: string): string {
  const name = `time-bound-${requestId}`;
  return name.length <= 64 ? name : `time-bound-${requestId.slice(0, 36)}-${hash16(requestId)}`;
}

/** A time-bound request's reminder before it ends, `ending-soon-<requestId>` (same name rules). */
export function endingSoonScheduleName(requestId: string): string {
  const name = `ending-soon-${requestId}`;
  return name.length <= 64 ? name : `ending-soon-${requestId.slice(0, 35)}-${hash16(requestId)}`;
}

/** `end-date-<employeeId>-<yyyy-mm-dd>`, kept to the delivery id rules (1-64 of A-Z a-z 0-9 _ -). */
export function leaveDeliveryId(employeeId: string, endAt: string): string {
  const day = utcDay(endAt);
  const plain = `end-date-${employeeId}-${day}`;
  if (/^[A-Za-z0-9_-]{1,64}$/.test(plain)) return plain;
  return `end-date-${employeeId.replace(/[^A-Za-z0-9_-]/g, '_').slice(0, 26)}-${hash16(employeeId)}-${day}`;
}

/** The event the leaver workflow receives when the schedule fires; deterministic, so a retry compares equal. */
export function scheduledLeave(employeeId: string, endAt: string, source: HrisSource): EmployeeLeft {
  const at = isoSeconds(new Date(endAt));
  return {
    type: 'employee.left',
    deliveryId: leaveDeliveryId(employeeId, at),
    source,
    occurredAt: at,
    employeeId,
    effectiveAt: at,
    immediate: false,
  };
}

export interface ScheduleSpec {
  name: string;
  /** `at(yyyy-mm-ddThh:mm:ss)`, read in UTC. */
  expression: string;
  /** JSON of the employee.left event. */
  input: string;
}

/** `created`, `updated` (the end date moved) or `unchanged` (a retry). */
export type ScheduleChange = 'created' | 'updated' | 'unchanged';

export interface Schedules {
  /** Creates the schedule, or updates the one with its name unless it is already identical. */
  ensure(spec: ScheduleSpec): Promise<ScheduleChange>;
}
