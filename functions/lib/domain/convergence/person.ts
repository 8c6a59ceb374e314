import type { GrantItem } from '../grants/item.ts';
import type { Catalogue, Entitlement } from '../catalogue/schema.ts';
import { hasRole, resolveEntitlements } from '../catalogue/resolve.ts';
import { targetsOf, targetsToRemove, type AssignmentTarget } from '../account-assignments/targets.ts';
import { asGrants } from '../grants/grant-items.ts';
import { grantKey } from '../grants/grants.ts';
import { planCatalogueChange } from '../grants/plan.ts';

/**
 * Catalogue convergence for one person, pure: the person keeps their role, the catalogue's idea of
 * what the role grants changed. What the role now grants and no role grant of theirs records is
 * added; every role grant the role no longer gives closes, and its access goes only where no other
 * active grant still justifies it (planCatalogueChange). A role the new catalogue does not know
 * is a finding for operators, never a mass revocation. Groups and account assignments converge;
 * workstation changes are findings (a launch or a retirement is the joiner's and leaver's work,
 * not a bulk job's), and so is an account assignment the new catalogue no longer defines (its
 * permission set and accounts are unknown, so nothing can be removed exactly).
 */

/** What convergence grants: a group membership or an account assignment. */
export type ConvergedEntitlement = Extract<Entitlement, { kind: 'group' | 'account-assignment' }>;

export type ConvergenceFinding =
  | { kind: 'role-missing'; employeeId: string; role: string }
  | { kind: 'no-role'; employeeId: string }
  | { kind: 'workstation-change' | 'account-assignment-change'; employeeId: string; entitlementId: string; change: 'add' | 'remove' };

export interface RevokedGroupPlan {
  entitlementId: string;
  displayName?: string;
  membershipIds: string[];
}

export interface PersonChange {
  employeeId: string;
  role: string;
  /** Groups and account assignments the role now grants that no role grant of the person records: granted, then recorded. */
  add: ConvergedEntitlement[];
  /** The account assignments of `add` (permission set on each account), made before the grants are recorded. */
  addTargets: AssignmentTarget[];
  /** Group entitlements no remaining active grant justifies: memberships removed. */
  revoke: RevokedGroupPlan[];
  /** Account-assignment entitlements no remaining active grant justifies. */
  revokeAccounts: string[];
  /** Their assignments that no grant that stays makes too (same permission set on the same account): removed. */
  removeTargets: AssignmentTarget[];
  /** Grant keys of role grants the role no longer gives (closed, audited grant.revoked or kept). */
  stale: string[];
  findings: ConvergenceFinding[];
}

export const changes = (change: PersonChange): boolean => change.add.length > 0 || change.stale.length > 0;

/** Revocations of a change: memberships and account assignments (what the guard weighs). */
export const revocationsOf = (change: PersonChange): number => change.revoke.length + change.revokeAccounts.length;

/** `group:Design` -> `Design`: an entitlement the new catalogue dropped is still revocable by the name its grant id carries. */
const groupNameOf = (entitlementId: string): string | undefined => (entitlementId.startsWith('group:') ? entitlementId.slice('group:'.length) : undefined);

const changeKind = (kind: string | undefined): 'workstation-change' | 'account-assignment-change' => (kind === 'account-assignment' ? 'account-assignment-change' : 'workstation-change');

export function personChange(catalogue: Catalogue, person: { employeeId: string; role?: string }, items: readonly GrantItem[], at: Date): PersonChange {
  const { employeeId } = person;
  const none = (role: string, findings: ConvergenceFinding[]): PersonChange => ({ employeeId, role, add: [], addTargets: [], revoke: [], revokeAccounts: [], removeTargets: [], stale: [], findings });
  if (person.role === undefined) return none('', [{ kind: 'no-role', employeeId }]);
  const role = person.role;
  if (!hasRole(catalogue, role)) return none(role, [{ kind: 'role-missing', employeeId, role }]);

  const plan = planCatalogueChange(catalogue, asGrants(employeeId, items), employeeId, role, at);
  const byId = new Map(catalogue.entitlements.map((entitlement) => [entitlement.id, entitlement]));
  const kindOf = (id: string): string => byId.get(id)?.kind ?? id.split(':')[0] ?? '';
  const findings: ConvergenceFinding[] = [];

  const add: ConvergedEntitlement[] = [];
  for (const grant of plan.put) {
    const entitlement = byId.get(grant.entitlementId);
    if (entitlement?.kind === 'group' || entitlement?.kind === 'account-assignment') add.push(entitlement);
    else findings.push({ kind: changeKind(entitlement?.kind), employeeId, entitlementId: grant.entitlementId, change: 'add' });
  }

  // Converged kinds: groups, and account assignments the catalogue still defines (their targets are known).
  const converged = (id: string): boolean => kindOf(id) === 'group' || byId.get(id)?.kind === 'account-assignment';
  const staleKeys = new Set(plan.delete.map((grant) => grantKey(grant.entitlementId, grant.source)));
  const staleItems = items.filter((item) => staleKeys.has(item.grantKey) && converged(item.entitlementId));
  for (const id of plan.revoke) if (!converged(id)) findings.push({ kind: changeKind(kindOf(id)), employeeId, entitlementId: id, change: 'remove' });
  const revoke = plan.revoke
    .filter((id) => kindOf(id) === 'group')
    .map((id): RevokedGroupPlan => {
      const entitlement = byId.get(id);
      const displayName = entitlement?.kind === 'group' ? entitlement.displayName : groupNameOf(id);
      const membershipIds = [...new Set(staleItems.flatMap((item) => (item.entitlementId === id && item.membershipId ? [item.membershipId] : [])))];
      return { entitlementId: id, ...(displayName ? { displayName } : {}), membershipIds };
    });
  const revokeAccounts = plan.revoke.filter((id) => byId.get(id)?.kind === 'account-assignment');
  // An assignment goes only where no grant that stays (the role's, a time-bound one) makes the same permission set on the same account.
  const closing = new Set(staleItems.map((item) => item.grantKey));
  const kept = [...items.filter((item) => !closing.has(item.grantKey)).map((item) => item.entitlementId), ...resolveEntitlements(catalogue, role).map((entitlement) => entitlement.id)];
  const entitlementsOf = (ids: readonly string[]): Entitlement[] => ids.flatMap((id) => byId.get(id) ?? []);
  return {
    employeeId,
    role,
    add,
    addTargets: targetsOf(add),
    revoke,
    revokeAccounts,
    removeTargets: targetsToRemove(entitlementsOf(revokeAccounts), entitlementsOf([...new Set(kept)])),
    stale: staleItems.map((item) => item.grantKey),
    findings,
  };
}
