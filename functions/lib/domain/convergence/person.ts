import type { GrantItem } from '../grants/item.ts';
import type { Catalogue, Entitlement } from '../catalogue/schema.ts';
import { hasRole } from '../catalogue/resolve.ts';
import { asGrants } from '../grants/grant-items.ts';
import { grantKey } from '../grants/grants.ts';
import { planCatalogueChange } from '../grants/plan.ts';

/**
 * Catalogue convergence for one person, pure: the person keeps their role, the catalogue's idea of
 * what the role grants changed. What the role now grants and no role grant of theirs records is
 * added; every role grant the role no longer gives closes, and its access goes only where no other
 * active grant still justifies it (planCatalogueChange). A role the new catalogue does not know
 * is a finding for operators, never a mass revocation; workstation changes are findings too (a
 * launch or a retirement is the joiner's and leaver's work, not a bulk job's).
 */

type GroupEntitlement = Extract<Entitlement, { kind: 'group' }>;

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
  /** Groups the role now grants that no role grant of the person records: granted, then recorded. */
  add: GroupEntitlement[];
  /** Group entitlements no remaining active grant justifies: memberships removed. */
  revoke: RevokedGroupPlan[];
  /** Grant keys of role grants the role no longer gives (closed, audited grant.revoked or kept). */
  stale: string[];
  findings: ConvergenceFinding[];
}

export const changes = (change: PersonChange): boolean => change.add.length > 0 || change.stale.length > 0;

/** `group:Design` -> `Design`: an entitlement the new catalogue dropped is still revocable by the name its grant id carries. */
const groupNameOf = (entitlementId: string): string | undefined => (entitlementId.startsWith('group:') ? entitlementId.slice('group:'.length) : undefined);

/** Convergence applies group changes; a workstation or an account assignment a role gains or drops is a finding (the joiner, mover and leaver make them). */
const changeKind = (kind: string | undefined): 'workstation-change' | 'account-assignment-change' => (kind === 'account-assignment' ? 'account-assignment-change' : 'workstation-change');

export function personChange(catalogue: Catalogue, person: { employeeId: string; role?: string }, items: readonly GrantItem[], at: Date): PersonChange {
  const { employeeId } = person;
  const none = (role: string, findings: ConvergenceFinding[]): PersonChange => ({ employeeId, role, add: [], revoke: [], stale: [], findings });
  if (person.role === undefined) return none('', [{ kind: 'no-role', employeeId }]);
  const role = person.role;
  if (!hasRole(catalogue, role)) return none(role, [{ kind: 'role-missing', employeeId, role }]);

  const plan = planCatalogueChange(catalogue, asGrants(employeeId, items), employeeId, role, at);
  const byId = new Map(catalogue.entitlements.map((entitlement) => [entitlement.id, entitlement]));
  const kindOf = (id: string): string => byId.get(id)?.kind ?? id.split(':')[0] ?? '';
  const findings: ConvergenceFinding[] = [];

  const add: GroupEntitlement[] = [];
  for (const grant of plan.put) {
    const entitlement = byId.get(grant.entitlementId);
    if (entitlement?.kind === 'group') add.push(entitlement);
    else findings.push({ kind: changeKind(entitlement?.kind), employeeId, entitlementId: grant.entitlementId, change: 'add' });
  }

  const staleKeys = new Set(plan.delete.map((grant) => grantKey(grant.entitlementId, grant.source)));
  const staleItems = items.filter((item) => staleKeys.has(item.grantKey) && kindOf(item.entitlementId) === 'group');
  for (const id of plan.revoke) if (kindOf(id) !== 'group') findings.push({ kind: changeKind(kindOf(id)), employeeId, entitlementId: id, change: 'remove' });
  const revoke = plan.revoke
    .filter((id) => kindOf(id) === 'group')
    .map((id): RevokedGroupPlan => {
      const entitlement = byId.get(id);
      const displayName = entitlement?.kind === 'group' ? entitlement.displayName : groupNameOf(id);
      const membershipIds = [...new Set(staleItems.flatMap((item) => (item.entitlementId === id && item.membershipId ? [item.membershipId] : [])))];
      return { entitlementId: id, ...(displayName ? { displayName } : {}), membershipIds };
    });
  return { employeeId, role, add, revoke, stale: staleItems.map((item) => item.grantKey), findings };
}
