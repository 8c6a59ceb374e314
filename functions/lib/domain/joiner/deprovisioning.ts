import { scheduledLeave, scheduleNameFor, type ScheduleChange, type ScheduleSpec, type Schedules } from '../schedules/schedules.ts';
import type { EmployeeDirectory } from './ports.ts';
import { schedulerAt } from '../shared/dates.ts';
import type { ScheduleDeprovisioningInput } from '../../tasks/schedule-deprovisioning.ts';

/**
 * Schedule Deprovisioning: a one-time EventBridge Scheduler schedule at the contract's end
 * that starts the leaver workflow with an employee.left event. One schedule per employee
 * (a deterministic name): a later end date for the same person moves it, never adds one.
 */

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
