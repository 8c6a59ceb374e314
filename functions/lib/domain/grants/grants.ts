import { z } from 'zod';
import { ValidationError } from '#lib/domain/shared/errors';
import { employeeIdSchema } from '#lib/domain/events/employee-events';
import { roleIdSchema, type Catalogue } from '#lib/domain/catalogue/schema';
import { resolveEntitlements, type ResolvedEntitlement } from '#lib/domain/catalogue/resolve';

/**
 * Who has what, and why. One grant per (employee, entitlement, source): a group the role
 * grants and a just-in-time request also grants is two grants, so losing one source never
 * takes away what the other still justifies.
 */

export const requestIdSchema = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'requestId must be 1-64 of A-Z a-z 0-9 _ -');

export const grantSourceSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('role'), roleId: roleIdSchema }),
  z.object({ kind: z.literal('time-bound'), requestId: requestIdSchema, expiresAt: z.iso.datetime({ offset: true }) }),
]);
export type GrantSource = z.infer<typeof grantSourceSchema>;

export const grantSchema = z.object({
  employeeId: employeeIdSchema,
  entitlementId: z.string().regex(/^[a-z]+(-[a-z]+)*:[^#]+$/, 'entitlementId must be <kind>:<name> without #'),
  source: grantSourceSchema,
});
export type Grant = z.infer<typeof grantSchema>;

/** The grants table sort key: `<entitlementId>#role#<roleId>` or `<entitlementId>#time-bound#<requestId>`. */
export function grantKey(entitlementId: string, source: GrantSource): string {
  if (entitlementId.includes('#')) throw new ValidationError(`entitlementId '${entitlementId}' must not contain #`);
  return `${entitlementId}#${source.kind}#${source.kind === 'role' ? source.roleId : source.requestId}`;
}

/** Two sources are the same when they name the same role or the same request. */
export function sameSource(a: GrantSource, b: GrantSource): boolean {
  if (a.kind === 'role') return b.kind === 'role' && a.roleId === b.roleId;
  return b.kind === 'time-bound' && a.requestId === b.requestId;
}

/** Role grants last until the role changes; a time-bound grant stops justifying access at `expiresAt`. */
export function isActive(grant: Grant, at?: Date): boolean {
  return grant.source.kind === 'role' || at === undefined || Date.parse(grant.source.expiresAt) > at.getTime();
}

/** Entitlement ids the grants justify at `at` (every grant when `at` is omitted), sorted. */
export function effectiveEntitlements(grants: readonly Grant[], at?: Date): string[] {
  return [...new Set(grants.filter((grant) => isActive(grant, at)).map((grant) => grant.entitlementId))].sort();
}

/** The grants a role gives an employee: birthright and the role's own, in catalogue order. */
export function roleGrants(catalogue: Catalogue, employeeId: string, roleId: string): Grant[] {
  const source: GrantSource = { kind: 'role', roleId };
  return resolveEntitlements(catalogue, roleId).map((entitlement) => ({ employeeId, entitlementId: entitlement.id, source }));
}

export interface MoveDiff {
  /** In the new role only: provision these. */
  add: ResolvedEntitlement[];
  /** In the old role only: candidates for revocation (a time-bound grant may still justify one). */
  remove: ResolvedEntitlement[];
  /** In both roles (birthright included): leave untouched. */
  keep: ResolvedEntitlement[];
}

/** What a role change adds, removes and keeps, at catalogue level, in catalogue order. */
export function diffForMove(catalogue: Catalogue, oldRoleId: string, newRoleId: string): MoveDiff {
  const before = resolveEntitlements(catalogue, oldRoleId);
  const after = resolveEntitlements(catalogue, newRoleId);
  const beforeIds = new Set(before.map((entitlement) => entitlement.id));
  const afterIds = new Set(after.map((entitlement) => entitlement.id));
  return {
    add: after.filter((entitlement) => !beforeIds.has(entitlement.id)),
    remove: before.filter((entitlement) => !afterIds.has(entitlement.id)),
    keep: after.filter((entitlement) => beforeIds.has(entitlement.id)),
  };
}

/**
 * Entitlement ids whose grants match `isRevoked` and that no remaining active grant still
 * justifies, in first-seen order. Grants must all belong to one employee.
 */
export function unjustifiedAfter(grants: readonly Grant[], isRevoked: (grant: Grant) => boolean, at?: Date): string[] {
  const employees = new Set(grants.map((grant) => grant.employeeId));
  if (employees.size > 1) throw new ValidationError(`grants span several employees (${[...employees].sort().join(', ')})`);
  const stillJustified = new Set(grants.filter((grant) => !isRevoked(grant) && isActive(grant, at)).map((grant) => grant.entitlementId));
  const revoked = grants.filter(isRevoked).map((grant) => grant.entitlementId);
  return [...new Set(revoked)].filter((id) => !stillJustified.has(id));
}

/**
 * The key rule: when `revokedSource` ends, take away only what no other active source
 * still justifies. An expiring time-bound grant never removes what the role grants; overlapping
 * time-bound grants don't revoke each other. Pass `at` so grants already expired (but not yet
 * cleaned up) justify nothing.
 */
export function entitlementsToRevoke(activeGrants: readonly Grant[], revokedSource: GrantSource, at?: Date): string[] {
  return unjustifiedAfter(activeGrants, (grant) => sameSource(grant.source, revokedSource), at);
}
