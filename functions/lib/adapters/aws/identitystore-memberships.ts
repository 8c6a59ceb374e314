import { ListGroupMembershipsForMemberCommand, type IdentitystoreClient } from '@aws-sdk/client-identitystore';
import { callAws } from './call-aws.ts';
import type { MembershipLister } from '../../domain/leaver/revoke.ts';

export function createMembershipLister(client: Pick<IdentitystoreClient, 'send'>, identityStoreId: string): MembershipLister {
  return {
    async membershipsOf(userId) {
      const ids: string[] = [];
      let next: string | undefined;
      do {
        const token = next;
        const out = await callAws('ListGroupMembershipsForMember', () =>
          client.send(new ListGroupMembershipsForMemberCommand({ IdentityStoreId: identityStoreId, MemberId: { UserId: userId }, ...(token ? { NextToken: token } : {}) })),
        );
        for (const membership of out.GroupMemberships ?? []) if (membership.MembershipId) ids.push(membership.MembershipId);
        next = out.NextToken;
      } while (next);
      return ids;
    },
  };
}
