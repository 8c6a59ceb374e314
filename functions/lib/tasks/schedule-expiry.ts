import { z } from 'zod';
import { employeeIdSchema } from '../domain/events/employee-events.ts';
import { requestIdSchema } from '../domain/grants/grants.ts';

/**
 * functions/schedule-expiry, time-bound "Schedule Expiry" (`create`: a one-time schedule
 * at(expiresAt) that starts the revoke, -> ScheduledExpiry in domain/time-bound/expiry.ts) and
 * "Delete Expiry Schedule" (`delete`, -> { scheduleName, deleted }).
 */
export const scheduleExpiryInputSchema = z.discriminatedUnion('action', [
  z.object({ action: z.literal('create'), requestId: requestIdSchema, employeeId: employeeIdSchema, expiresAt: z.iso.datetime() }),
  z.object({ action: z.literal('delete'), requestId: requestIdSchema, employeeId: employeeIdSchema }),
]);
export type ScheduleExpiryInput = z.infer<typeof scheduleExpiryInputSchema>;
