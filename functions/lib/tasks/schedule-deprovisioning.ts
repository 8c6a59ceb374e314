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
