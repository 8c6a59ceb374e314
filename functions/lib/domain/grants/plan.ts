import type { Catalogue } from '#lib/domain/catalogue/schema';
import {
  effectiveEntitlements,
  entitlementsToRevoke,
  grantKey,
  isActive,
  roleGrants,
  sameSource,
  unjustifiedAfter,
  type Grant,
  type GrantSource,
} from '#lib/domain/grants/grants';

/**
 * What a workflow must do to move the grants table and the real access from one state to
 * the next. Run the steps in this order so a crash anywhere leaves a state from which the
 * same plan, recomputed from the table, finishes the job (every step is idempotent):
 *
 * 1. `provision` each entitlement, 2. `put` each grant item (conditional),
 * 3. `revoke` each entitlement, 4. `delete` each grant item.
 *
 * A grant item is written only once its access exists and deleted only once it is gone.
 */
export type GrantPlan = {
  provision: string[];
  put: Grant[];
  revoke: string[];
  delete: Grant[];
};

const keyOf = (grant: Grant): string => `${grant.employeeId}/${grantKey(grant.entitlementId, grant.source)}`;

function plan(grants: readonly Grant[], put: readonly Grant[], toDelete: readonly Grant[], at?: Date): GrantPlan {
  const present = new Set(grants.map(keyOf));
  const newPut = put.filter((grant, i) => !present.has(keyOf(grant)) && put.findIndex((other) => keyOf(other) === keyOf(grant)) === i);
  const effective = new Set(effectiveEntitlements(grants, at));
  const deleting = new Set(toDelete.map(keyOf));
  return {
    provision: [...new Set(newPut.map((grant) => grant.entitlementId))].filter((id) => !effective.has(id)),
    put: newPut,
    revoke: unjustifiedAfter([...grants, ...newPut], (grant) => deleting.has(keyOf(grant)), at),
    delete: [...toDelete],
  };
}

/** Joiner or mover: the employee's role becomes `roleId`; grants from any other role go. */
export function planRoleChange(catalogue: Catalogue, grants: readonly Grant[], employeeId: string, roleId: string, at?: Date): GrantPlan {
  const stale = grants.filter((grant) => grant.source.kind === 'role' && grant.source.roleId !== roleId);
  return plan(grants, roleGrants(catalogue, employeeId, roleId), stale, at);
}

/** An approved just-in-time request: one grant per entitlement, all from the same request. */
export function planTimeBoundGrant(
  grants: readonly Grant[],
  employeeId: string,
  entitlementIds: readonly string[],
  source: Extract<GrantSource, { kind: 'time-bound' }>,
  at?: Date,
): GrantPlan {
  return plan(grants, entitlementIds.map((entitlementId) => ({ employeeId, entitlementId, source })), [], at);
}

/** One source ends (a time-bound request expires or is revoked): remove only what nothing else justifies. */
export function planRevocation(grants: readonly Grant[], source: GrantSource, at?: Date): GrantPlan {
  const ending = grants.filter((grant) => sameSource(grant.source, source));
  return { provision: [], put: [], revoke: entitlementsToRevoke(grants, source, at), delete: ending };
}

/** Catch-up for lost schedules: every time-bound grant already expired at `at` ends now. */
export function planExpirySweep(grants: readonly Grant[], at: Date): GrantPlan {
  return plan(grants, [], grants.filter((grant) => !isActive(grant, at)), at);
}

/** Leaver: everything goes, whatever justified it. */
export function planLeave(grants: readonly Grant[]): GrantPlan {
  return plan(grants, [], grants);
}

/**
 * Catalogue convergence: the employee keeps `roleId`, but what the role grants may have changed.
 * Every role grant the role no longer gives (another role's, or an entitlement this role dropped)
 * goes; the role's current entitlements are put. Revocation still follows the key rule: only what
 * no remaining active grant justifies.
 */
export function planCatalogueChange(catalogue: Catalogue, grants: readonly Grant[], employeeId: string, roleId: string, at?: Date): GrantPlan {
  const wanted = roleGrants(catalogue, employeeId, roleId);
  const keys = new Set(wanted.map(keyOf));
  const stale = grants.filter((grant) => grant.source.kind === 'role' && !keys.has(keyOf(grant)));
  return plan(grants, wanted, stale, at);
}
