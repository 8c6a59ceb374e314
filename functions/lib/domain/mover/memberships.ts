import type { IdentityStorePort } from '../provision/ports.ts';
import type { RevokeMembershipsInput } from '../../tasks/revoke-memberships.ts';

/**
 * Remove Old Memberships: exactly the group memberships the plan revokes, nothing else. Each
 * group goes by the membership ids its grant items recorded: one DeleteGroupMembership each, no
 * lookup, since a user is a member of a group at most once and the recorded id is that
 * membership. Only when none of them was there (removed outside Gatehouse, or re-made under a
 * new id) is the user looked up and the group's membership found by display name (the
 * catalogue's). A membership already gone counts as removed, so a retry changes nothing.
 * https://docs.aws.amazon.com/singlesignon/latest/IdentityStoreAPIReference/API_DeleteGroupMembership.html
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
  let user: Promise<string | undefined> | undefined;
  const userId = () => (user ??= identity.findUserId(input.userName, input.employeeId));
  const remove = async (membershipId: string): Promise<boolean> => {
    if ((await identity.removeMembership(membershipId)) === 'undone') {
      result.removed.push(membershipId);
      return true;
    }
    return false;
  };
  for (const group of input.groups) {
    const recorded = [...new Set(group.membershipIds)];
    let removedOne = false;
    for (const membershipId of recorded) {
      if (await remove(membershipId)) removedOne = true;
      else result.alreadyGone += 1;
    }
    if (removedOne || !group.displayName) continue;
    const id = await userId();
    if (id) result.userId = id;
    const found = id ? await identity.findMembership(id, { id: group.entitlementId, kind: 'group', displayName: group.displayName }) : undefined;
    if (found && !recorded.includes(found.membershipId) && !(await remove(found.membershipId))) result.alreadyGone += 1;
  }
  return result;
}
