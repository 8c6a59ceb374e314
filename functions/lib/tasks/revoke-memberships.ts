import { z } from 'zod';
import { moveTaskBase, revokedGroupSchema } from '../domain/mover/schemas.ts';

/**
 * functions/revoke-memberships, "Remove Old Memberships" (mover, catalogue convergence): exactly
 * the group memberships the revocation plan names; the user stays. Returns MembershipRemoval
 * (domain/mover/memberships.ts).
 */
export const revokeMembershipsInputSchema = z.object({
  ...moveTaskBase,
  userName: z.string().min(1),
  groups: z.array(revokedGroupSchema),
});
export type RevokeMembershipsInput = z.infer<typeof revokeMembershipsInputSchema>;

/**
 * What `functions/revoke-memberships` does (its Lambda description, read by infra/spec/functions) and the ASL
 * Task states that run it (test/unit/architecture/task-contracts.test.ts checks both against the ASL).
 */
export const TASK = {
  description:
    'Mover "Remove Old Memberships": exactly the group memberships the plan revokes; the user stays.',
  states: ['Remove Old Memberships'],
} as const;
