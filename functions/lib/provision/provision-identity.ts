import type { IdentityStorePort, UserRef } from './identity.ts';
import { groupsOf, type IdentityResult, type ProvisionEntitlement } from './schemas.ts';

/**
 * Create Identity Center User: the groups first (a missing group fails before anything is
 * created, so there is nothing to undo), then get-or-create the user, then each membership.
 * Repeating it returns the same ids and creates nothing.
 *
 * `userCreated` is true only when this invocation created the user. A retry after a crash
 * between CreateUser and the end of this function reports false (the user then exists), so
 * compensation keeps that user (a known gap).
 */
export async function provisionIdentity(
  identity: IdentityStorePort,
  employee: UserRef,
  entitlements: readonly ProvisionEntitlement[],
): Promise<IdentityResult> {
  const groups = await identity.findGroups(groupsOf(entitlements));
  const user = await identity.ensureUser(employee);
  const memberships = await identity.ensureMemberships(user.userId, groups);
  return { userId: user.userId, userCreated: user.created, memberships };
}
