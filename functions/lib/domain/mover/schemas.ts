import { z } from 'zod';
import { roleIdSchema } from '../catalogue/schema.ts';
import { employeeIdSchema } from '../events/employee-events.ts';
import { executionIds } from '../shared/ids.ts';
import { assignmentTargetSchema } from '../account-assignments/targets.ts';

/**
 * The pieces the mover's task contracts (functions/lib/tasks/) share. The revocation steps carry
 * only ids; what they act on they find again (grants table, user name, EC2 tags), so a retry sees
 * what is really left.
 */

/** A workstation the person already holds and the new role keeps: its grant is recorded against this instance. */
export const keptWorkstationSchema = z.object({
  entitlementId: z.string().min(1),
  instanceId: z.string().regex(/^i-[0-9a-f]{8,17}$/, 'instanceId must look like i-0123456789abcdef0'),
  volumeId: z.string().regex(/^vol-[0-9a-f]{8,17}$/, 'volumeId must look like vol-0123456789abcdef0').optional(),
});
export type KeptWorkstation = z.infer<typeof keptWorkstationSchema>;

export const moveTaskBase = { employeeId: employeeIdSchema, ...executionIds };

/** A group membership to take away: by display name (catalogue) and by the ids the grant items recorded. */
export const revokedGroupSchema = z.object({
  entitlementId: z.string().min(1),
  displayName: z.string().min(1).optional(),
  membershipIds: z.array(z.string().min(1)),
});
export type RevokedGroup = z.infer<typeof revokedGroupSchema>;

export const revocationPlanSchema = z.object({
  fromRole: roleIdSchema,
  toRole: roleIdSchema,
  /** Entitlement ids no remaining active source justifies, in first-seen order. */
  revoke: z.array(z.string().min(1)),
  groups: z.array(revokedGroupSchema),
  /** Workstation entitlement ids to retire (the EC2 filter of retire-workstation). */
  workstations: z.array(z.string().min(1)),
  dropsWorkstation: z.boolean(),
  /** Account assignments no remaining grant makes (Remove Old Account Assignments); the mover always plans them. */
  accountTargets: z.array(assignmentTargetSchema).max(200).optional(),
  /** Grant keys of every active role grant other than role:<toRole>: closed at the end. */
  stale: z.array(z.string().min(1)),
});
export type RevocationPlan = z.infer<typeof revocationPlanSchema>;

/** Why role grants close: a role change (the mover, the default) or a new catalogue version (convergence: same role, fewer entitlements). */
export const revocationTriggerSchema = z.object({ kind: z.literal('catalogue'), catalogueVersion: z.string().regex(/^cat-[0-9a-f]{16}$/) });
