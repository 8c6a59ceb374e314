import type { IdentityStorePort } from '../provision/ports.ts';
import type { RevokeMembershipsInput } from '../../tasks/revoke-memberships.ts';

/**
 * Remove Old Memberships: exactly the group memberships the plan revokes, nothing else. Each
 * group is found by its display name (the catalogue's) and by the membership ids its grant
 * items recorded; a membership already gone counts as removed, so a retry changes nothing.
 */

export interface MembershipRemoval {
  userId?: string;
  removed: string[];
  alreadyGone: number;
}

export async function revokeMemberships(
  identity: Pick<IdentityStorePort, 'findUserId' | 'findMembership' | 'removeMembership'>,
  input: RevokeMembershipsInput,
): Promise<MembershipRemoval> {
  const result: MembershipRemoval = { removed: [], alreadyGone: 0 };
  if (input.groups.length === 0) return result;
  const userId = await identity.findUserId(input.userName, input.employeeId);
  if (userId) result.userId = userId;
  for (const group of input.groups) {
    const ids = new Set(group.membershipIds);
    if (userId && group.displayName) {
      const found = await identity.findMembership(userId, { id: group.entitlementId, kind: 'group', displayName: group.displayName });
      if (found) ids.add(found.membershipId);
    }
    for (const membershipId of ids) {
      if ((await identity.removeMembership(membershipId)) === 'undone') result.removed.push(membershipId);
      else result.alreadyGone += 1;
    }
  }
  return result;
}
