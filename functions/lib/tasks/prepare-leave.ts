import { z } from 'zod';
import { employeeIdSchema, employeeLeftSchema } from '../domain/events/employee-events.ts';
import { leaveGrantSchema } from '../domain/leaver/schemas.ts';
import { executionIds } from '../domain/shared/ids.ts';

/**
 * functions/prepare-leave, leaver "Prepare Leave": validate the employee.left event, audit who
 * asked, load the person's active grants, decide whether access ends now or at effectiveAt.
 * Returns $.leave (the revoke steps read `$.leave.userName`).
 */
export const prepareLeaveInputSchema = z.object({
  event: employeeLeftSchema,
  ...executionIds,
});
export type PrepareLeaveInput = z.infer<typeof prepareLeaveInputSchema>;

export const prepareLeaveOutputSchema = z.object({
  employeeId: employeeIdSchema,
  /** The Identity Store user name (work e-mail), when Gatehouse knows the person. */
  userName: z.string().nullable(),
  /** When access ends: the event's effectiveAt, or now when it is past or the leave is immediate. */
  revokeAt: z.iso.datetime(),
  deferred: z.boolean(),
  grants: z.array(leaveGrantSchema),
});
export type PreparedLeave = z.infer<typeof prepareLeaveOutputSchema>;

/**
 * What `functions/prepare-leave` does (its Lambda description, read by infra/spec/functions) and the ASL
 * Task states that run it (test/unit/architecture/task-contracts.test.ts checks both against the ASL).
 */
export const TASK = {
  description:
    'Leaver "Prepare Leave": validate the employee.left event, audit who asked (request.received), load active grants, decide now or at effectiveAt.',
  states: ['Prepare Leave'],
} as const;
