import { z } from 'zod';
import { employeeIdSchema } from '../domain/events/employee-events.ts';
import { requestIdSchema } from '../domain/grants/grants.ts';
import { groupRefSchema } from '../domain/provision/schemas.ts';

/**
 * functions/remove-time-bound-memberships, time-bound "Remove Memberships": exactly the planned
 * group memberships of the user linked to the employee; one already gone counts as done.
 * Returns { removed: RemovedMembership[] } (domain/time-bound/revoke.ts) for $.removed.
 */
export const removeTimeBoundMembershipsInputSchema = z.object({
  requestId: requestIdSchema,
  employeeId: employeeIdSchema,
  userName: z.string().min(1).max(254).nullable(),
  entitlements: z.array(groupRefSchema),
});
export type RemoveTimeBoundMembershipsInput = z.infer<typeof removeTimeBoundMembershipsInputSchema>;

/**
 * What `functions/remove-time-bound-memberships` does (its Lambda description, read by infra/spec/functions) and the ASL
 * Task states that run it (test/unit/architecture/task-contracts.test.ts checks both against the ASL).
 */
export const TASK = {
  description:
    'Time-bound "Remove Memberships": exactly the planned group memberships.',
  states: ['Remove Memberships'],
} as const;
