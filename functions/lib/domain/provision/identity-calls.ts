import { hasRole, resolveEntitlements } from '../catalogue/resolve.ts';
import type { Catalogue } from '../catalogue/schema.ts';

/**
 * Identity Store calls the joiner's Create Identity Center User makes for a new person of `role`
 * (adapters/aws/identitystore.ts): GetUserId, CreateUser, then one CreateGroupMembership per group
 * the role grants (birthright included; group ids are remembered per warm container, so GetGroupId
 * is not counted). A role the catalogue does not know is refused by the joiner before any call.
 */
export function joinerIdentityCalls(catalogue: Catalogue, role: string): number {
  if (!hasRole(catalogue, role)) return 0;
  return 2 + resolveEntitlements(catalogue, role).filter((entitlement) => entitlement.kind === 'group').length;
}
