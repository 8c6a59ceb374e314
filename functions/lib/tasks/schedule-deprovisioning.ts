import { z } from 'zod';
import { employeeIdSchema } from '../domain/events/employee-events.ts';
import { executionIds, requestIdSchema } from '../domain/shared/ids.ts';

/**
 * functions/schedule-deprovisioning, joiner "Schedule Deprovisioning": a one-time Scheduler
 * schedule `leave-<employeeId>` at the contract end that starts the leaver workflow with an
 * employee.left event. A moved end date updates the schedule; a retry changes nothing.
 * Returns { scheduleName, at, change } for $.results.schedule (Notify reads `at`).
 */
export const scheduleDeprovisioningInputSchema = z.object({
  requestId: requestIdSchema,
  employeeId: employeeIdSchema,
  endAt: z.iso.datetime(),
  ...executionIds,
});
export type ScheduleDeprovisioningInput = z.infer<typeof scheduleDeprovisioningInputSchema>;

/**
 * What `functions/schedule-deprovisioning` does (its Lambda description, read by infra/spec/functions) and the ASL
 * Task states that run it (test/unit/architecture/task-contracts.test.ts checks both against the ASL).
 */
export const TASK = {
  description:
    'Schedule Deprovisioning: a one-time schedule at the end date that starts the leaver workflow.',
  states: ['Schedule Deprovisioning'],
} as const;
