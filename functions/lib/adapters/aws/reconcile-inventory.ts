import { DescribeInstancesCommand, DescribeVolumesCommand, type EC2Client, type Filter, type Tag } from '@aws-sdk/client-ec2';
import { ListGroupMembershipsForMemberCommand, ListGroupsCommand, ListUsersCommand, type IdentitystoreClient } from '@aws-sdk/client-identitystore';
import type { DynamoDBDocumentClient, QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import { z } from 'zod';
import { callAws } from './call-aws.ts';
import { allPages } from './pages.ts';
import { queryAll } from '../dynamodb/pages.ts';
import { TAGS } from './ec2.ts';
import type { DesiredState, EmployeeRecord, GrantRecord, HeldAssignment, IdentityUser, ManagedResource } from '../../domain/reconcile/reconcile.ts';
import type { InventoryPort } from '../../domain/reconcile/ports.ts';

export interface InventoryDeps {
  identityStore: Pick<IdentitystoreClient, 'send'>;
  identityStoreId: string;
  ec2: Pick<EC2Client, 'send'>;
  dynamo: Pick<DynamoDBDocumentClient, 'send'>;
  employeesTable: string;
  grantsTable: string;
  /** Reads each user's account assignments (sso-admin); without it they are not reconciled. */
  assignments?: { heldBy(userId: string): Promise<HeldAssignment[]> };
}

const employeeItemSchema = z.object({ employeeId: z.string(), email: z.string(), status: z.enum(['active', 'left']) });
const grantItemSchema = z.object({ employeeId: z.string(), entitlementId: z.string(), status: z.string(), expiresAt: z.string().optional() });

const tagValue = (tags: Tag[] | undefined, key: string): string | undefined => tags?.find((tag) => tag.Key === key)?.Value;
const MANAGED: Filter[] = [{ Name: `tag:${TAGS.managed}`, Values: ['true'] }];

const managed = (id: string | undefined, tags: Tag[] | undefined, state: string | undefined): ManagedResource[] =>
  id ? [{ id, employeeId: tagValue(tags, TAGS.employeeId), entitlementId: tagValue(tags, TAGS.entitlementId), state: state ?? 'unknown' }] : [];

/** Every instance tagged gatehouse:managed=true (every page), with its employee and entitlement tags: reconciliation and adoption read them. */
export async function managedInstances(ec2: Pick<EC2Client, 'send'>): Promise<ManagedResource[]> {
  const reservations = await allPages(async (NextToken) => {
    const out = await callAws('DescribeInstances', () => ec2.send(new DescribeInstancesCommand({ Filters: MANAGED, NextToken })));
    return { items: out.Reservations ?? [], next: out.NextToken };
  });
  return reservations.flatMap((reservation) =>
    (reservation.Instances ?? []).flatMap((instance) => managed(instance.InstanceId, instance.Tags, instance.State?.Name)),
  );
}

export function createInventory(deps: InventoryDeps): InventoryPort {
  const { identityStore, identityStoreId: IdentityStoreId, ec2, dynamo } = deps;

  const query = (input: QueryCommandInput) => queryAll(dynamo, input, 'reading the desired state');

  async function employeesWith(status: EmployeeRecord['status']): Promise<EmployeeRecord[]> {
    const items = await query({
      TableName: deps.employeesTable,
      IndexName: 'byStatus',
      KeyConditionExpression: '#status = :status',
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: { ':status': status },
    });
    return items.map((item) => employeeItemSchema.parse(item));
  }

  async function activeGrantsOf(employeeId: string): Promise<GrantRecord[]> {
    const items = await query({ TableName: deps.grantsTable, KeyConditionExpression: 'employeeId = :id', ExpressionAttributeValues: { ':id': employeeId } });
    return items
      .map((item) => grantItemSchema.parse(item))
      .filter((grant) => grant.status === 'active')
      .map(({ employeeId: id, entitlementId, expiresAt }) => ({ employeeId: id, entitlementId, expiresAt }));
  }

  async function readDesired(): Promise<DesiredState> {
    const employees = [...(await employeesWith('active')), ...(await employeesWith('left'))];
    const grants: GrantRecord[] = [];
    for (const employee of employees) if (employee.status === 'active') grants.push(...(await activeGrantsOf(employee.employeeId)));
    return { employees, grants };
  }

  async function readUsers(): Promise<IdentityUser[]> {
    const groups = await allPages(async (NextToken) => {
      const out = await callAws('ListGroups', () => identityStore.send(new ListGroupsCommand({ IdentityStoreId, NextToken })));
      return { items: out.Groups ?? [], next: out.NextToken };
    });
    const groupNames = new Map(groups.map((group) => [group.GroupId, group.DisplayName]));
    const users = await allPages(async (NextToken) => {
      const out = await callAws('ListUsers', () => identityStore.send(new ListUsersCommand({ IdentityStoreId, NextToken })));
      return { items: out.Users ?? [], next: out.NextToken };
    });
    const result: IdentityUser[] = [];
    for (const user of users) {
      if (!user.UserId || !user.UserName) continue;
      const userId = user.UserId;
      const memberships = await allPages(async (NextToken) => {
        const out = await callAws('ListGroupMembershipsForMember', () =>
          identityStore.send(new ListGroupMembershipsForMemberCommand({ IdentityStoreId, MemberId: { UserId: userId }, NextToken })),
        );
        return { items: out.GroupMemberships ?? [], next: out.NextToken };
      });
      result.push({
        userId,
        userName: user.UserName,
        memberships: memberships.flatMap((membership) =>
          membership.MembershipId && membership.GroupId
            ? [{ membershipId: membership.MembershipId, groupId: membership.GroupId, displayName: groupNames.get(membership.GroupId) }]
            : [],
        ),
        ...(deps.assignments ? { assignments: await deps.assignments.heldBy(userId) } : {}),
      });
    }
    return result;
  }

  async function readVolumes(): Promise<ManagedResource[]> {
    const volumes = await allPages(async (NextToken) => {
      const out = await callAws('DescribeVolumes', () => ec2.send(new DescribeVolumesCommand({ Filters: MANAGED, NextToken })));
      return { items: out.Volumes ?? [], next: out.NextToken };
    });
    return volumes.flatMap((volume) => managed(volume.VolumeId, volume.Tags, volume.State));
  }

  return {
    readDesired,
    async readActual() {
      const [users, instances, volumes] = await Promise.all([readUsers(), managedInstances(ec2), readVolumes()]);
      return { users, instances, volumes };
    },
  };
}
