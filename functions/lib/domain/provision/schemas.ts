import { z } from 'zod';
import { accountAssignmentEntitlementSchema, groupEntitlementSchema, workstationEntitlementSchema } from '../catalogue/schema.ts';
import { employeeIdSchema } from '../events/employee-events.ts';

/**
 * What the joiner's provisioning Tasks pass and return (statemachines/joiner.asl.json).
 * Entitlements arrive as Prepare Request resolved them from the catalogue; only the fields
 * provisioning needs are checked, the rest (description, risk, via...) passes through.
 */

export const groupRefSchema = z.looseObject({
  id: groupEntitlementSchema.shape.id,
  kind: groupEntitlementSchema.shape.kind,
  displayName: groupEntitlementSchema.shape.displayName,
});
export type GroupRef = z.infer<typeof groupRefSchema>;

export const workstationProfileSchema = z.looseObject({
  id: workstationEntitlementSchema.shape.id,
  kind: workstationEntitlementSchema.shape.kind,
  profile: workstationEntitlementSchema.shape.profile,
  instanceType: workstationEntitlementSchema.shape.instanceType,
  amiParameter: workstationEntitlementSchema.shape.amiParameter,
  volumeSizeGiB: workstationEntitlementSchema.shape.volumeSizeGiB,
});
export type WorkstationProfile = z.infer<typeof workstationProfileSchema>;

/** A permission set on accounts: made by the account-assignment steps (Assign Accounts), passed over by the identity and workstation steps. */
export const accountAssignmentRefSchema = z.looseObject({
  id: accountAssignmentEntitlementSchema.shape.id,
  kind: accountAssignmentEntitlementSchema.shape.kind,
});

export const provisionEntitlementSchema = z.discriminatedUnion('kind', [groupRefSchema, workstationProfileSchema, accountAssignmentRefSchema]);
export type ProvisionEntitlement = z.infer<typeof provisionEntitlementSchema>;

export const groupsOf = (entitlements: readonly ProvisionEntitlement[]): GroupRef[] =>
  entitlements.filter((entitlement): entitlement is GroupRef => entitlement.kind === 'group');

export const workstationsOf = (entitlements: readonly ProvisionEntitlement[]): WorkstationProfile[] =>
  entitlements.filter((entitlement): entitlement is WorkstationProfile => entitlement.kind === 'workstation');

/** Ids every provisioning Task carries (appended to log lines by taskHandler). */
export const requestIdSchema = z.string().regex(/^[\x21-\x7e]{1,128}$/, 'requestId must be 1-128 printable characters, no spaces');
export const taskIds = {
  requestId: requestIdSchema,
  employeeId: employeeIdSchema,
  executionId: z.string().min(1).max(256).optional(),
  executionName: z.string().min(1).max(80).optional(),
};

export const instanceIdSchema = z.string().regex(/^i-[0-9a-f]{8,17}$/, 'instanceId must look like i-0123456789abcdef0');
export const volumeIdSchema = z.string().regex(/^vol-[0-9a-f]{8,17}$/, 'volumeId must look like vol-0123456789abcdef0');

// ---- results, as they land under $.results ----------------------------------------------

export const membershipResultSchema = z.object({
  entitlementId: z.string().min(1),
  groupId: z.string().min(1),
  membershipId: z.string().min(1),
});
export type MembershipResult = z.infer<typeof membershipResultSchema>;

/** $.results.identity */
export const identityResultSchema = z.object({
  userId: z.string().min(1),
  /** True only when this request created the user; compensation deletes only such users. */
  userCreated: z.boolean(),
  memberships: z.array(membershipResultSchema),
});
export type IdentityResult = z.infer<typeof identityResultSchema>;

/** $.results.workstation */
export const workstationResultSchema = z.object({
  entitlementId: z.string().min(1),
  instanceId: instanceIdSchema,
  availabilityZone: z.string().min(1),
});
export type WorkstationResult = z.infer<typeof workstationResultSchema>;

/** $.results.workstationState */
export const workstationStateSchema = z.object({ state: z.literal('running') });
export type WorkstationState = z.infer<typeof workstationStateSchema>;

/** $.results.storage */
export const storageResultSchema = z.object({
  entitlementId: z.string().min(1),
  volumeId: volumeIdSchema,
  device: z.string().min(1),
});
export type StorageResult = z.infer<typeof storageResultSchema>;

/** $.results as compensation receives it: whatever ran before the failure. */
export const joinerResultsSchema = z.looseObject({
  identity: identityResultSchema.optional(),
  workstation: workstationResultSchema.optional(),
  storage: storageResultSchema.optional(),
});
export type JoinerResults = z.infer<typeof joinerResultsSchema>;
