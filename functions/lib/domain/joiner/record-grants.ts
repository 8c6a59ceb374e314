import { z } from 'zod';
import type { AuditStore } from '../audit/ports.ts';
import type { Clock } from '../shared/clock.ts';
import type { AuditDraft } from '../audit/entry.ts';
import { roleIdSchema } from '../catalogue/schema.ts';
import { catalogueVersionSchema } from '../catalogue/version.ts';
import { ValidationError } from '../shared/errors.ts';
import { employeeIdSchema } from '../events/employee-events.ts';
import { grantKey, type GrantSource } from '../grants/grants.ts';
import { identityResultSchema, storageResultSchema, workstationResultSchema } from '../provision/schemas.ts';
import type { GrantStore } from './ports.ts';
import type { NewGrantItem } from '../grants/item.ts';
import { clip, executionIds, requestIdSchema } from '../shared/ids.ts';
import { approversOf, membershipFor } from '../grants/recording.ts';
import { encodeGrantSource } from '../grants/source.ts';
import { progressSchema } from '../account-assignments/progress.ts';

/**
 * Record Grants: once provisioning succeeded, one grants item per entitlement (conditional
 * put: an existing one is left alone) and one grant.applied audit entry each (idempotency
 * key per execution and entitlement). A grant is recorded only with the resource that
 * realises it: a group needs its membership, a workstation its instance.
 */

export const recordGrantsInputSchema = z.object({
  requestId: requestIdSchema,
  employeeId: employeeIdSchema,
  entitlements: z.array(z.looseObject({ id: z.string().min(1), kind: z.enum(['group', 'workstation', 'account-assignment']) })),
  source: z.object({ kind: z.literal('role'), roleId: roleIdSchema }),
  /** The catalogue version whose role definition grants these (the joiner's, mover's or convergence's request); kept on the grant item and its grant.applied. */
  catalogueVersion: catalogueVersionSchema,
  results: z.looseObject({
    approvals: z.array(z.looseObject({ approver: z.email() })).optional(),
    identity: identityResultSchema.optional(),
    workstation: workstationResultSchema.optional(),
    storage: storageResultSchema.optional(),
    /** Assign Accounts' progress (done): the account assignments this execution made or found. */
    accounts: progressSchema.optional(),
    /** A workstation the person already holds and a new role keeps (mover): the grant names that instance. */
    keptWorkstation: z.object({ entitlementId: z.string().min(1), instanceId: z.string().min(1), volumeId: z.string().min(1).optional() }).optional(),
  }),
  ...executionIds,
});
export type RecordGrantsInput = z.infer<typeof recordGrantsInputSchema>;

export interface RecordGrantsDeps {
  grants: GrantStore;
  audit: Pick<AuditStore, 'append'>;
  clock: Clock;
}

export interface RecordGrantsResult {
  recorded: number;
  alreadyRecorded: number;
  grantKeys: string[];
}

export async function recordGrants(deps: RecordGrantsDeps, input: RecordGrantsInput): Promise<RecordGrantsResult> {
  const source: GrantSource = input.source;
  const approvedBy = approversOf(input.results.approvals);
  const grantedAt = deps.clock.now().toISOString();
  const result: RecordGrantsResult = { recorded: 0, alreadyRecorded: 0, grantKeys: [] };

  for (const entitlement of input.entitlements) {
    const resources = resourcesOf(entitlement, input.results);
    const item: NewGrantItem = {
      employeeId: input.employeeId,
      grantKey: grantKey(entitlement.id, source),
      entitlementId: entitlement.id,
      source: encodeGrantSource(source),
      status: 'active',
      grantedAt,
      requestId: input.requestId,
      approvedBy,
      catalogueVersion: input.catalogueVersion,
      ...resources,
    };
    if (await deps.grants.putIfAbsent(item)) result.recorded += 1;
    else result.alreadyRecorded += 1;
    result.grantKeys.push(item.grantKey);
    await deps.audit.append(appliedDraft(input, item, resources.membershipId ?? resources.instanceId));
  }
  return result;
}

type Resources = Pick<NewGrantItem, 'userId' | 'membershipId' | 'instanceId' | 'volumeId'>;

function resourcesOf(entitlement: RecordGrantsInput['entitlements'][number], results: RecordGrantsInput['results']): Resources {
  if (entitlement.kind === 'group') {
    return membershipFor(results.identity, entitlement.id);
  }
  if (entitlement.kind === 'account-assignment') return assignedTo(entitlement.id, results);
  const kept = results.keptWorkstation;
  if (kept?.entitlementId === entitlement.id) return { instanceId: kept.instanceId, ...(kept.volumeId ? { volumeId: kept.volumeId } : {}) };
  if (results.workstation?.entitlementId !== entitlement.id) {
    throw new ValidationError(`results.workstation: no instance for ${entitlement.id}; the grant cannot be recorded`);
  }
  const volumeId = results.storage?.entitlementId === entitlement.id ? results.storage.volumeId : undefined;
  return { instanceId: results.workstation.instanceId, ...(volumeId ? { volumeId } : {}) };
}

function appliedDraft(input: RecordGrantsInput, item: NewGrantItem, resourceId: string | undefined): AuditDraft {
  return {
    kind: 'grant.applied',
    subject: input.employeeId,
    entitlementId: item.entitlementId,
    actor: { type: 'system', id: 'record-grants' },
    requestId: input.requestId,
    executionId: input.executionId,
    reason: clip(`${item.entitlementId} granted by role ${input.source.roleId}; approved by ${item.approvedBy.join(', ')}`),
    idempotencyKey: `${input.executionName}/grant.applied/${item.entitlementId}`,
    detail: { basis: 'role', role: input.source.roleId, catalogueVersion: input.catalogueVersion, ...(resourceId ? { resourceId } : {}) },
  };
}

/**
 * An account assignment is realised by the user holding the permission set on each account: every
 * operation Assign Accounts ran for it succeeded (made now, or held already). An entitlement with no
 * operation here was held before this execution (a mover keeping what both roles grant).
 */
function assignedTo(entitlementId: string, results: RecordGrantsInput['results']): Resources {
  const unfinished = (results.accounts?.operations ?? []).filter((op) => op.target.entitlementId === entitlementId && op.action === 'create' && op.status !== 'succeeded');
  if (!results.identity || unfinished.length > 0) {
    const where = unfinished.map((op) => `${op.target.accountId} ${op.status}`).join(', ');
    throw new ValidationError(`results.accounts: ${entitlementId} is not assigned${where ? ` (${where})` : ' (no Identity Center user)'}; the grant cannot be recorded`);
  }
  return { userId: results.identity.userId };
}
