import type { AuditStore } from '../audit/ports.ts';
import type { Clock } from '../shared/clock.ts';
import type { AuditDraft } from '../audit/entry.ts';
import { resolveEntitlements } from '../catalogue/resolve.ts';
import type { Catalogue } from '../catalogue/schema.ts';
import { planRoleChange } from '../grants/plan.ts';
import { asGrants } from '../grants/grant-items.ts';
import { clip } from '../shared/ids.ts';
import { targetsToRemove } from '../account-assignments/targets.ts';
import type { MoveStore } from './ports.ts';
import type { GrantItem } from '../grants/item.ts';
import type { RevocationPlan, RevokedGroup } from './schemas.ts';
import type { ClosedRoleGrants, CloseRoleGrantsInput, PlanRevocationInput } from '../../tasks/revoke-old-role.ts';
import { isRoleSource, roleOfSource, roleSource } from '../grants/source.ts';

/**
 * Revoke Old Role: recompute from the grants table what no remaining active source justifies
 * once the role is `toRole` (planRoleChange), hand the groups and workstations to the steps
 * that remove them, then audit grant.revoked per entitlement actually revoked and close every
 * stale role grant. Grants count per source: a `time-bound:` (or any other non-role) grant keeps its
 * entitlement until it ends itself.
 */

/** The plan, pure: which entitlements go, which groups and workstations that means, which items close. */
export function revocationPlan(catalogue: Catalogue, items: readonly GrantItem[], input: Pick<PlanRevocationInput, 'employeeId' | 'fromRole' | 'toRole'>, at: Date): RevocationPlan {
  const plan = planRoleChange(catalogue, asGrants(input.employeeId, items), input.employeeId, input.toRole, at);
  const stale = items.filter((item) => isRoleSource(item.source) && item.source !== roleSource(input.toRole));
  const kindOf = (id: string): string => catalogue.entitlements.find((entitlement) => entitlement.id === id)?.kind ?? id.split(':')[0] ?? '';
  const groups: RevokedGroup[] = plan.revoke
    .filter((id) => kindOf(id) === 'group')
    .map((id) => {
      const entitlement = catalogue.entitlements.find((candidate) => candidate.id === id);
      const membershipIds = [...new Set(stale.flatMap((item) => (item.entitlementId === id && item.membershipId ? [item.membershipId] : [])))];
      return { entitlementId: id, ...(entitlement?.kind === 'group' ? { displayName: entitlement.displayName } : {}), membershipIds };
    });
  const workstations = plan.revoke.filter((id) => kindOf(id) === 'workstation');
  // Assignments go only where no grant that stays (the new role's, a time-bound one) makes the same permission set on the same account.
  const staleKeys = new Set(stale.map((item) => item.grantKey));
  const known = (ids: Iterable<string>) => catalogue.entitlements.filter((entitlement) => new Set(ids).has(entitlement.id));
  const kept = [...items.filter((item) => !staleKeys.has(item.grantKey)).map((item) => item.entitlementId), ...resolveEntitlements(catalogue, input.toRole).map((e) => e.id)];
  const accountTargets = targetsToRemove(known(plan.revoke), known(kept));
  return {
    fromRole: input.fromRole,
    toRole: input.toRole,
    revoke: plan.revoke,
    groups,
    workstations,
    dropsWorkstation: workstations.length > 0,
    accountTargets,
    stale: stale.map((item) => item.grantKey),
  };
}

export interface RevocationDeps {
  catalogue: Catalogue;
  store: Pick<MoveStore, 'activeGrants' | 'closeGrant'>;
  audit: Pick<AuditStore, 'append'>;
  clock: Clock;
}

export async function planRevocation(deps: Pick<RevocationDeps, 'catalogue' | 'store' | 'clock'>, input: PlanRevocationInput): Promise<RevocationPlan> {
  return revocationPlan(deps.catalogue, await deps.store.activeGrants(input.employeeId), input, deps.clock.now());
}

/**
 * Audits first, then closes: a crash in between leaves the items active, so a retry finds the
 * same stale keys and writes no second entry (idempotency key per execution and entitlement).
 */
export async function closeRoleGrants(deps: RevocationDeps, input: CloseRoleGrantsInput): Promise<ClosedRoleGrants> {
  const { plan } = input;
  const items = await deps.store.activeGrants(input.employeeId);
  const staleOf = (entitlementId: string) => items.find((candidate) => candidate.entitlementId === entitlementId && plan.stale.includes(candidate.grantKey));
  for (const entitlementId of plan.revoke) await deps.audit.append(revokedDraft(input, entitlementId, staleOf(entitlementId), 'revoked'));
  // A role grant whose access another source (a time-bound grant) still justifies ends too: the
  // audit trail must say so, or the role grant would look open forever. Entitlements the new role
  // also grants are not ended: the new role's grant.applied carries them on.
  const newRole = new Set(resolveEntitlements(deps.catalogue, plan.toRole).map((entitlement) => entitlement.id));
  const keptByOther = [...new Set(items.filter((item) => plan.stale.includes(item.grantKey)).map((item) => item.entitlementId))].filter(
    (id) => !plan.revoke.includes(id) && !newRole.has(id),
  );
  for (const entitlementId of keptByOther) await deps.audit.append(revokedDraft(input, entitlementId, staleOf(entitlementId), 'kept'));
  const at = deps.clock.now().toISOString();
  let closed = 0;
  for (const grantKey of plan.stale) {
    const outcome = await deps.store.closeGrant(input.employeeId, grantKey, input.executionName, at);
    if (outcome !== 'other') closed += 1;
  }
  return { revoked: plan.revoke, closed, auditEntries: plan.revoke.length + keptByOther.length };
}

function revokedDraft(input: CloseRoleGrantsInput, entitlementId: string, item: GrantItem | undefined, access: 'revoked' | 'kept'): AuditDraft {
  const resourceId = item?.membershipId ?? item?.instanceId;
  const from = (item && roleOfSource(item.source)) ?? input.plan.fromRole;
  const change = input.trigger ? `catalogue ${input.trigger.catalogueVersion} no longer grants it to role ${from}` : `role ${from} -> ${input.plan.toRole}`;
  const why =
    access === 'revoked'
      ? `${entitlementId} revoked: ${change}; no remaining active grant justifies it`
      : `role grant of ${entitlementId} ended: ${change}; access kept, another active grant still justifies it`;
  return {
    kind: 'grant.revoked',
    subject: input.employeeId,
    entitlementId,
    actor: { type: 'system', id: input.trigger ? 'catalogue-convergence' : 'mover' },
    requestId: input.executionName,
    executionId: input.executionId,
    reason: clip(why),
    idempotencyKey: `${input.executionName}/grant.revoked/${entitlementId}`,
    detail: {
      basis: 'role',
      trigger: input.trigger ? 'catalogue' : 'mover',
      ...(input.trigger ? { catalogueVersion: input.trigger.catalogueVersion } : {}),
      ...(resourceId ? { resourceId } : {}),
    },
  };
}
