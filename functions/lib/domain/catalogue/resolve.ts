import { ValidationError } from '#lib/domain/shared/errors';
import type { Catalogue, Entitlement, Risk, Role } from '#lib/domain/catalogue/schema';
import { NO_ROLE } from '#lib/domain/catalogue/assignments';

/** An entitlement a role resolves to, and why: everyone's birthright or the role itself. */
export type ResolvedEntitlement = Entitlement & { readonly via: 'birthright' | 'role' };

/** The role people no rule assigns hold under `unassigned: birthright-only` (assignments.ts NO_ROLE). */
const birthrightOnly: Role = { id: NO_ROLE, displayName: 'No role (birthright only)', entitlements: [] };

/** A role a person may hold: one the catalogue defines, or the no-role of `unassigned: birthright-only`. */
export function hasRole(catalogue: Catalogue, roleId: string): boolean {
  return roleId === NO_ROLE || catalogue.roles.some((candidate) => candidate.id === roleId);
}

export function findRole(catalogue: Catalogue, roleId: string): Role {
  if (roleId === NO_ROLE) return birthrightOnly;
  const role = catalogue.roles.find((candidate) => candidate.id === roleId);
  if (!role) {
    const known = catalogue.roles.map((candidate) => candidate.id).join(', ');
    throw new ValidationError(`unknown role '${roleId}' (catalogue roles: ${known})`);
  }
  return role;
}

export function findEntitlement(catalogue: Catalogue, entitlementId: string): Entitlement {
  const entitlement = catalogue.entitlements.find((candidate) => candidate.id === entitlementId);
  if (!entitlement) throw new ValidationError(`unknown entitlement '${entitlementId}'`);
  return entitlement;
}

/** Birthright first, then the role's own, each once, in catalogue order. */
export function resolveEntitlements(catalogue: Catalogue, roleId: string): ResolvedEntitlement[] {
  const role = findRole(catalogue, roleId);
  const resolved = new Map<string, ResolvedEntitlement>();
  for (const id of catalogue.birthright) resolved.set(id, { ...findEntitlement(catalogue, id), via: 'birthright' });
  for (const id of role.entitlements) {
    if (!resolved.has(id)) resolved.set(id, { ...findEntitlement(catalogue, id), via: 'role' });
  }
  return [...resolved.values()];
}

export function maxRisk(entitlements: readonly Pick<Entitlement, 'risk'>[]): Risk {
  return entitlements.some((entitlement) => entitlement.risk === 'high') ? 'high' : 'low';
}

/** A role is as risky as the riskiest thing it grants (birthright included). */
export function roleRisk(catalogue: Catalogue, roleId: string): Risk {
  return maxRisk(resolveEntitlements(catalogue, roleId));
}
