import { z } from 'zod';
import { employeeLeaveCancelledSchema, employeeLeftSchema } from '../domain/events/employee-events.ts';
import { executionIds } from '../domain/shared/ids.ts';

/**
 * functions/schedule-leave, leaver "Decide When Access Ends" (`decide`: revoke now, or put the
 * person's end-of-access schedule at effectiveAt) and "Cancel Scheduled Leave" (`cancel`: delete
 * it, schedule the contract end again). Every decision but revoke-now is audited (leave.decided).
 * Returns $.timing / $.cancellation; the Choice after it reads `action`.
 */
export const scheduleLeaveInputSchema = z.discriminatedUnion('action', [
  z.object({ action: z.literal('decide'), event: employeeLeftSchema, ...executionIds }),
  z.object({ action: z.literal('cancel'), event: employeeLeaveCancelledSchema, ...executionIds }),
]);
export type ScheduleLeaveInput = z.infer<typeof scheduleLeaveInputSchema>;

export const scheduleLeaveOutputSchema = z.discriminatedUnion('action', [
  z.object({ action: z.literal('revoke'), revokeAt: z.string() }),
  z.object({ action: z.literal('scheduled'), scheduleName: z.string(), effectiveAt: z.string(), change: z.enum(['scheduled', 'moved', 'unchanged']) }),
  z.object({ action: z.literal('ignored'), why: z.string(), reason: z.string() }),
  z.object({ action: z.literal('cancelled'), deleted: z.string().nullable(), restoredEndAt: z.string().nullable() }),
]);
export type TimingResult = z.infer<typeof scheduleLeaveOutputSchema>;

/**
 * What `functions/schedule-leave` does (its Lambda description, read by infra/spec/functions) and the ASL
 * Task states that run it (test/unit/architecture/task-contracts.test.ts checks both against the ASL).
 */
export const TASK = {
  description:
    'Leaver "Decide When Access Ends" / "Cancel Scheduled Leave": put, move or delete the end-of-access schedule; leave.decided audit entries.',
  states: ['Cancel Scheduled Leave', 'Decide When Access Ends'],
} as const;
