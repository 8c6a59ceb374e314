import { z } from 'zod';
import { employeeIdSchema } from '../domain/events/employee-events.ts';
import { requestIdSchema } from '../domain/grants/grants.ts';

/**
 * functions/schedule-expiry, time-bound "Schedule Expiry" (`create`: a one-time schedule
 * at(expiresAt) that starts the revoke, -> ScheduledExpiry in domain/time-bound/expiry.ts) and
 * "Delete Expiry Schedule" (`delete`, -> { scheduleName, deleted }), and "Move Expiry Schedule" (`move`,
 * after an extension: the same two schedules updated to the new end, UpdateSchedule replacing each whole;
 * a reminder the new end no longer has room for is deleted, -> ScheduledExpiry).
 */
export const scheduleExpiryInputSchema = z.discriminatedUnion('action', [
  z.object({ action: z.literal('create'), requestId: requestIdSchema, employeeId: employeeIdSchema, expiresAt: z.iso.datetime() }),
  z.object({ action: z.literal('move'), requestId: requestIdSchema, employeeId: employeeIdSchema, expiresAt: z.iso.datetime() }),
  z.object({ action: z.literal('delete'), requestId: requestIdSchema, employeeId: employeeIdSchema }),
]);
export type ScheduleExpiryInput = z.infer<typeof scheduleExpiryInputSchema>;

/**
 * What `functions/schedule-expiry` does (its Lambda description, read by infra/spec/functions) and the ASL
 * Task states that run it (test/unit/architecture/task-contracts.test.ts checks both against the ASL).
 */
export const TASK = {
  description:
    'Time-bound "Schedule Expiry" / "Delete Expiry Schedule" / "Move Expiry Schedule": one-time schedules that start the revoke at expiresAt and the ending-soon reminder; moved by an extension.',
  states: ['Schedule Expiry', 'Delete Expiry Schedule', 'Move Expiry Schedule'],
} as const;
