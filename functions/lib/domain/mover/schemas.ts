import { z } from 'zod';
import { roleIdSchema, type Entitlement } from '../catalogue/schema.ts';
import { employeeChangedSchema, employeeIdSchema, employeeSchema } from '../events/employee-events.ts';
import { executionIds } from '../shared/ids.ts';
import { assignmentTargetSchema, type AssignmentTarget } from '../account-assignments/targets.ts';
import type { PolicyDecision } from '../policy/schema.ts';

/**
 * What the mover's Task states hand their functions (statemachines/mover.asl.json). The
 * revocation steps carry only ids; what they act on they find again (grants table, user
 * name, EC2 tags), so a retry sees what is really left.
 */

export const prepareMoveInputSchema = z.object({ event: employeeChangedSchema, ...executionIds });
export type PrepareMoveInput = z.infer<typeof prepareMoveInputSchema>;

type WorkstationEntitlement = Extract<Entitlement, { kind: 'workstation' }>;

/** A workstation the person already holds and the new role keeps: its grant is recorded against this instance. */
export const keptWorkstationSchema = z.object({
  entitlementId: z.string().min(1),
  instanceId: z.string().regex(/^i-[0-9a-f]{8,17}$/, 'instanceId must look like i-0123456789abcdef0'),
  volumeId: z.string().regex(/^vol-[0-9a-f]{8,17}$/, 'volumeId must look like vol-0123456789abcdef0').optional(),
});
export type KeptWorkstation = z.infer<typeof keptWorkstationSchema>;

/** `$.request`: what the Choice, Map, Wait and later Task states read. Optional keys are absent, never null. */
export interface PreparedMove {
  requestId: string;
  employeeId: string;
  fromRole: string;
  toRole: string;
  /** False when the role did not change: only the other fields are recorded. */
  moved: boolean;
  /** Every entitlement of the new role (birthright included): provisioned get-or-create and recorded for role:<toRole>. */
  entitlements: Entitlement[];
  /** What the new role adds at catalogue level: what the policy and the approvers see. */
  added: Entitlement[];
  /** What this execution creates: new-role entitlements no active grant justifies yet (undone if granting fails). */
  provision: Entitlement[];
  /** The account assignments of `provision` (Assign New Role Accounts); empty when it has none. */
  accountTargets: AssignmentTarget[];
  /** The catalogue version the new role was resolved with (the request's; Record Grants keeps it on each grant). */
  catalogueVersion: string;
  decision: PolicyDecision;
  approvalTimeoutSeconds: number;
  overlapSeconds: number;
  /** A workstation to launch: the new role's, when the person holds none of that profile. */
  workstation?: WorkstationEntitlement;
  /**
   * What keys the launched workstation with person and profile (adapters/aws/ec2-model.ts
   * workstationToken): the employment and this change's event time, so duplicates of one change
   * under other delivery ids launch one instance, and a later move back to the profile a new one.
   */
  generation: string;
  keptWorkstation?: KeptWorkstation;
}

export const moveTaskBase = { employeeId: employeeIdSchema, ...executionIds };

export const planRevocationInputSchema = z.object({
  ...moveTaskBase,
  action: z.literal('plan'),
  fromRole: roleIdSchema,
  toRole: roleIdSchema,
});

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

export const revokeMembershipsInputSchema = z.object({
  ...moveTaskBase,
  userName: z.string().min(1),
  groups: z.array(revokedGroupSchema),
});
export type RevokeMembershipsInput = z.infer<typeof revokeMembershipsInputSchema>;

export const recordMoveInputSchema = z.object({
  ...moveTaskBase,
  requestId: z.string().regex(/^[\x21-\x7e]{1,128}$/, 'requestId must be 1-128 printable characters'),
  employee: employeeSchema,
  occurredAt: z.iso.datetime({ offset: true }),
});
export type RecordMoveInput = z.infer<typeof recordMoveInputSchema>;
