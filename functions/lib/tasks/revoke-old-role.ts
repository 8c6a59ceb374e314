import { z } from 'zod';
import { roleIdSchema } from '../domain/catalogue/schema.ts';
import { moveTaskBase, revocationPlanSchema, revocationTriggerSchema } from '../domain/mover/schemas.ts';

/**
 * functions/revoke-old-role, two Task states told apart by `action`:
 *
 *   plan          mover "Plan Revocation": from the grants table, what no remaining active source
 *                 justifies once the role is the new one -> RevocationPlan ($.revocation)
 *   close-grants  "Close Old Role Grants" (mover, catalogue convergence): grant.revoked per
 *                 entitlement actually revoked, then every stale role grant becomes revoked
 *                 -> ClosedRoleGrants
 */
export const planRevocationInputSchema = z.object({
  ...moveTaskBase,
  action: z.literal('plan'),
  fromRole: roleIdSchema,
  toRole: roleIdSchema,
});

export const closeRoleGrantsInputSchema = z.object({
  ...moveTaskBase,
  action: z.literal('close-grants'),
  plan: revocationPlanSchema,
  trigger: revocationTriggerSchema.optional(),
});

export const revokeOldRoleInputSchema = z.discriminatedUnion('action', [planRevocationInputSchema, closeRoleGrantsInputSchema]);
export type RevokeOldRoleInput = z.infer<typeof revokeOldRoleInputSchema>;
export type PlanRevocationInput = z.infer<typeof planRevocationInputSchema>;
export type CloseRoleGrantsInput = z.infer<typeof closeRoleGrantsInputSchema>;

export const closedRoleGrantsSchema = z.object({
  revoked: z.array(z.string()),
  closed: z.int().min(0),
  auditEntries: z.int().min(0),
});
export type ClosedRoleGrants = z.infer<typeof closedRoleGrantsSchema>;

export const revokeOldRoleOutputSchema = z.union([revocationPlanSchema, closedRoleGrantsSchema]);

/**
 * What `functions/revoke-old-role` does (its Lambda description, read by infra/spec/functions) and the ASL
 * Task states that run it (test/unit/architecture/task-contracts.test.ts checks both against the ASL).
 */
export const TASK = {
  description:
    'Mover "Plan Revocation" / "Close Old Role Grants": what no active source justifies any more; grant.revoked entries, stale role grants closed.',
  states: ['Close Old Role Grants', 'Plan Revocation'],
} as const;
