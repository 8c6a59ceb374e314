import { createHash } from 'node:crypto';
import { z } from 'zod';
import { employeeIdSchema, type EmployeeLeft, type HrisSource } from '../events/employee-events.ts';
import type { EmployeeDirectory } from '../../adapters/dynamodb/employees-joiner.ts';
import { isoSeconds, schedulerAt, utcDay } from '../shared/dates.ts';
import { executionIds, requestIdSchema } from '../shared/ids.ts';

/**
 * Schedule Deprovisioning: a one-time EventBridge Scheduler schedule at the contract's end
 * that starts the leaver workflow with an employee.left event. One schedule per employee
 * (a deterministic name): a later end date for the same person moves it, never adds one.
 */

export const scheduleDeprovisioningInputSchema = z.object({
  requestId: requestIdSchema,
  employeeId: employeeIdSchema,
  endAt: z.iso.datetime(),
  ...executionIds,
});
export type ScheduleDeprovisioningInput = z.infer<typeof scheduleDeprovisioningInputSchema>;

const hash16 = (text: string): string => createHash('sha256').update(text, 'utf8').digest('hex').slice(0, 16);

/** Scheduler names are 1-64 of [0-9a-zA-Z-_.]; employee ids already use only those characters. */
export function scheduleNameFor(employeeId: string): string {
  const name = `leave-${employeeId}`;
  return name.length <= 64 ? name : `leave-${employeeId.slice(0, 40)}-${hash16(employeeId)}`;
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

export interface ScheduleDeprovisioningDeps {
  schedules: Schedules;
  employees: Pick<EmployeeDirectory, 'sourceOf'>;
}

export interface ScheduledDeprovisioning {
  scheduleName: string;
  at: string;
  change: ScheduleChange;
}

export async function scheduleDeprovisioning(deps: ScheduleDeprovisioningDeps, input: ScheduleDeprovisioningInput): Promise<ScheduledDeprovisioning> {
  // The end date came from this HRIS; the scheduled event says so (see the report on a `scheduler` source).
  const source = await deps.employees.sourceOf(input.employeeId);
  const event = scheduledLeave(input.employeeId, input.endAt, source);
  const spec: ScheduleSpec = { name: scheduleNameFor(input.employeeId), expression: schedulerAt(event.effectiveAt), input: JSON.stringify(event) };
  const change = await deps.schedules.ensure(spec);
  return { scheduleName: spec.name, at: event.effectiveAt, change };
}
