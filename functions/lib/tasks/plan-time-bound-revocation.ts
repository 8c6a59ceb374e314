import { z } from 'zod';
import { assignmentTargetSchema } from '../domain/account-assignments/targets.ts';
import { groupRefSchema } from '../domain/provision/schemas.ts';
import { executionIds } from '../domain/shared/ids.ts';
import { revokeRequestSchema } from '../domain/time-bound/schemas.ts';

/**
 * functions/plan-time-bound-revocation, time-bound "Plan Revocation": which memberships and
 * account assignments the request's end removes (only what no other active grant justifies).
 * Gets the revoke input itself (`revoke.$: $`). Returns $.plan.
 */
export const planTimeBoundRevocationInputSchema = z.object({ revoke: revokeRequestSchema, ...executionIds });
export type PlanTimeBoundRevocationInput = z.infer<typeof planTimeBoundRevocationInputSchema>;

export const planTimeBoundRevocationOutputSchema = z.object({
  /** Nothing of this request is active: the rest of the path records a no-op. */
  noop: z.boolean(),
  userName: z.string().nullable(),
  /** Groups whose membership goes. */
  entitlements: z.array(groupRefSchema),
  /** Account assignments that go: those of this request no other active grant (of any entitlement) still makes. */
  accountTargets: z.array(assignmentTargetSchema),
  revoked: z.array(z.string()),
  /**
   * An expiry schedule that fired for an end an extension has since moved (issue #17): nothing is
   * removed or closed and the moved schedule is left alone ("Expiry Moved").
   */
  stale: z.boolean().optional(),
});
export type PlannedRevocation = z.infer<typeof planTimeBoundRevocationOutputSchema>;

/**
 * What `functions/plan-time-bound-revocation` does (its Lambda description, read by infra/spec/functions) and the ASL
 * Task states that run it (test/unit/architecture/task-contracts.test.ts checks both against the ASL).
 */
export const TASK = {
  description:
    'Time-bound "Plan Revocation": what a request\'s end removes (only what no other active grant justifies).',
  states: ['Plan Revocation'],
} as const;
