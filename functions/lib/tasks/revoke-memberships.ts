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
