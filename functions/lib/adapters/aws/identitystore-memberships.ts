import { ListGroupMembershipsForMemberCommand, type IdentitystoreClient } from '@aws-sdk/client-identitystore';
import { callAws } from './call-aws.ts';
import { allPages } from './pages.ts';
import type { MembershipLister } from '../../domain/leaver/revoke.ts';

export function createMembershipLister(client: Pick<IdentitystoreClient, 'send'>, identityStoreId: string): MembershipLister {
  return {
    async membershipsOf(userId) {
      const memberships = await allPages(async (token) => {
        const out = await callAws('ListGroupMembershipsForMember', () =>
          client.send(new ListGroupMembershipsForMemberCommand({ IdentityStoreId: identityStoreId, MemberId: { UserId: userId }, ...(token ? { NextToken: token } : {}) })),
        );
        return { items: out.GroupMemberships ?? [], next: out.NextToken };
      });
      return memberships.flatMap((membership) => (membership.MembershipId ? [membership.MembershipId] : []));
    },
  };
}
