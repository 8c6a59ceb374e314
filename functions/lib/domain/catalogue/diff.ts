import type { Catalogue, Entitlement } from '#lib/domain/catalogue/schema';

/**
 * What changed between two catalogue versions, in the terms convergence acts on: per role,
 * the entitlements it gains and loses (birthright changes apply to every role), roles that
 * appear or vanish (a vanished role is a finding, never a mass revocation), entitlements whose
 * definition changed, and rule changes that may move people between roles.
 */
export interface RoleChange {
  readonly roleId: string;
  readonly added: readonly string[];
  readonly removed: readonly string[];
}

export interface CatalogueDiff {
  readonly rolesAdded: readonly string[];
  readonly rolesRemoved: readonly string[];
  /** Roles present in both whose resolved entitlements (birthright + own) differ. */
  readonly rolesChanged: readonly RoleChange[];
  readonly entitlementsAdded: readonly string[];
  readonly entitlementsRemoved: readonly string[];
  /** Same id, different definition (risk, owner, limits, instance type, ...). */
  readonly entitlementsChanged: readonly string[];
  readonly birthright: { readonly added: readonly string[]; readonly removed: readonly string[] };
  /** Rule ids added, removed or edited, and whether the order of the remaining rules changed. */
  readonly rules: { readonly added: readonly string[]; readonly removed: readonly string[]; readonly changed: readonly string[]; readonly reordered: boolean };
  readonly unassigned?: { readonly from: Catalogue['unassigned']; readonly to: Catalogue['unassigned'] };
}

const minus = (a: readonly string[], b: readonly string[]): string[] => {
  const other = new Set(b);
  return a.filter((item) => !other.has(item));
};

const same = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);

/** Birthright + the role's own, each once: what holding the role gives a person. */
export function roleAccess(catalogue: Catalogue, roleId: string): string[] {
  const role = catalogue.roles.find((candidate) => candidate.id === roleId);
  return [...new Set([...catalogue.birthright, ...(role?.entitlements ?? [])])];
}

export function diffCatalogues(before: Catalogue, after: Catalogue): CatalogueDiff {
  const roleIds = (c: Catalogue): string[] => c.roles.map((role) => role.id);
  const entitlementIds = (c: Catalogue): string[] => c.entitlements.map((entitlement) => entitlement.id);
  const beforeEntitlements = new Map<string, Entitlement>(before.entitlements.map((e) => [e.id, e]));
  const kept = roleIds(after).filter((id) => roleIds(before).includes(id));
  const rolesChanged = kept
    .map((roleId) => {
      const was = roleAccess(before, roleId);
      const now = roleAccess(after, roleId);
      return { roleId, added: minus(now, was), removed: minus(was, now) };
    })
    .filter((change) => change.added.length > 0 || change.removed.length > 0);
  const beforeRules = new Map(before.assignments.map((rule) => [rule.id, rule]));
  const afterRuleIds = after.assignments.map((rule) => rule.id);
  const keptRules = afterRuleIds.filter((id) => beforeRules.has(id));
  return {
    rolesAdded: minus(roleIds(after), roleIds(before)),
    rolesRemoved: minus(roleIds(before), roleIds(after)),
    rolesChanged,
    entitlementsAdded: minus(entitlementIds(after), entitlementIds(before)),
    entitlementsRemoved: minus(entitlementIds(before), entitlementIds(after)),
    entitlementsChanged: after.entitlements
      .filter((e) => beforeEntitlements.has(e.id) && !same(beforeEntitlements.get(e.id), e))
      .map((e) => e.id),
    birthright: { added: minus(after.birthright, before.birthright), removed: minus(before.birthright, after.birthright) },
    rules: {
      added: minus(afterRuleIds, [...beforeRules.keys()]),
      removed: minus([...beforeRules.keys()], afterRuleIds),
      changed: after.assignments.filter((rule) => beforeRules.has(rule.id) && !same(beforeRules.get(rule.id), rule)).map((rule) => rule.id),
      reordered: !same(keptRules, before.assignments.map((rule) => rule.id).filter((id) => afterRuleIds.includes(id))),
    },
    ...(before.unassigned === after.unassigned ? {} : { unassigned: { from: before.unassigned, to: after.unassigned } }),
  };
}

/**
 * Whether anyone's role or access can change, i.e. whether convergence has work: roles that
 * changed or vanished, rule edits, a new `unassigned`. A new role nobody is assigned, new
 * entitlements no role grants and edited descriptions or risk change nobody's access.
 */
export function changesAccess(diff: CatalogueDiff): boolean {
  return (
    diff.rolesRemoved.length + diff.rolesChanged.length > 0 ||
    diff.rules.added.length + diff.rules.removed.length + diff.rules.changed.length > 0 ||
    diff.rules.reordered ||
    diff.unassigned !== undefined
  );
}
