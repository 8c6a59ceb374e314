import { z } from 'zod';
import { employeeIdSchema } from '../events/employee-events.ts';
import { executionIds } from '../shared/ids.ts';

/**
 * The pieces the leaver's task contracts (functions/lib/tasks/) share. Every task carries the
 * employee id and the execution ids; what it acts on it finds again itself (tags, user name,
 * grants table), so a retry or a second run sees what is really left.
 */

export const leaveTaskBase = {
  employeeId: employeeIdSchema,
  ...executionIds,
};

/** One active grant as the leaver sees it. */
export const leaveGrantSchema = z.object({
  grantKey: z.string().min(1),
  entitlementId: z.string().min(1),
  source: z.string().min(1),
  membershipId: z.string().optional(),
  instanceId: z.string().optional(),
  volumeId: z.string().optional(),
});
export type LeaveGrant = z.infer<typeof leaveGrantSchema>;
