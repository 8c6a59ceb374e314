import type { EC2Client } from '@aws-sdk/client-ec2';
import { ListGroupMembershipsCommand, ListGroupsCommand, ListUsersCommand, type IdentitystoreClient } from '@aws-sdk/client-identitystore';
import { z } from 'zod';
import type { IdentityMembership, IdentityUser, TaggedInstance } from '../../domain/adoption/inventory.ts';
import { callAws } from './call-aws.ts';
import { ENTERPRISE_EXTENSION } from './identity-link.ts';
import { allPages } from './pages.ts';
import { managedInstances } from './reconcile-inventory.ts';

/**
 * Adoption's read of Identity Center as it is (issue #14): every user with its e-mails and its
 * link (ListUsers with `Extensions: ["aws:identitystore:enterprise"]`, "the only supported
 * extension name"), every group, and each group's memberships: one ListGroupMemberships listing
 * per group rather than one per user, so a company of thousands costs pages, not a call per
 * person. Every listing is read page by page at the documented maximum of 100 per page
 * (ListUsers, ListGroups and ListGroupMemberships: `MaxResults` 1-100).
 * https://docs.aws.amazon.com/singlesignon/latest/IdentityStoreAPIReference/API_ListUsers.html
 * https://docs.aws.amazon.com/singlesignon/latest/IdentityStoreAPIReference/API_ListGroupMemberships.html
 */

export const IDENTITY_STORE_PAGE = 100;

const enterpriseSchema = z.looseObject({ employeeNumber: z.string().min(1).optional() });

export interface AdoptionIdentityDeps {
  client: Pick<IdentitystoreClient, 'send'>;
  identityStoreId: string;
}

export async function readIdentityUsers({ client, identityStoreId: IdentityStoreId }: AdoptionIdentityDeps): Promise<IdentityUser[]> {
  const groups = await allPages(async (NextToken) => {
    const out = await callAws('ListGroups', () => client.send(new ListGroupsCommand({ IdentityStoreId, MaxResults: IDENTITY_STORE_PAGE, NextToken })));
    return { items: out.Groups ?? [], next: out.NextToken };
  });
  const membershipsOf = new Map<string, IdentityMembership[]>();
  for (const group of groups) {
    const groupId = group.GroupId;
    if (!groupId) continue;
    const members = await allPages(async (NextToken) => {
      const out = await callAws('ListGroupMemberships', () => client.send(new ListGroupMembershipsCommand({ IdentityStoreId, GroupId: groupId, MaxResults: IDENTITY_STORE_PAGE, NextToken })));
      return { items: out.GroupMemberships ?? [], next: out.NextToken };
    });
    for (const member of members) {
      const userId = member.MemberId && 'UserId' in member.MemberId ? member.MemberId.UserId : undefined;
      if (!userId || !member.MembershipId) continue;
      const list = membershipsOf.get(userId) ?? [];
      list.push({ membershipId: member.MembershipId, groupId, groupName: group.DisplayName });
      membershipsOf.set(userId, list);
    }
  }
  const users = await allPages(async (NextToken) => {
    const out = await callAws('ListUsers', () => client.send(new ListUsersCommand({ IdentityStoreId, MaxResults: IDENTITY_STORE_PAGE, Extensions: [ENTERPRISE_EXTENSION], NextToken })));
    return { items: out.Users ?? [], next: out.NextToken };
  });
  return users.flatMap((user): IdentityUser[] => {
    if (!user.UserId || !user.UserName) return [];
    const link = enterpriseSchema.safeParse((user as { Extensions?: Record<string, unknown> }).Extensions?.[ENTERPRISE_EXTENSION]);
    return [
      {
        userId: user.UserId,
        userName: user.UserName,
        emails: (user.Emails ?? []).flatMap((email) => (email.Value ? [email.Value] : [])),
        employeeNumber: link.success ? link.data.employeeNumber : undefined,
        memberships: membershipsOf.get(user.UserId) ?? [],
      },
    ];
  });
}

/** Gatehouse-tagged instances, as adoption matches them to workstation entitlements. */
export async function readTaggedInstances(ec2: Pick<EC2Client, 'send'>): Promise<TaggedInstance[]> {
  return (await managedInstances(ec2)).map((resource) => ({ instanceId: resource.id, employeeId: resource.employeeId, entitlementId: resource.entitlementId, state: resource.state }));
}
