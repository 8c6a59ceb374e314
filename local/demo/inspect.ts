import { DescribeInstancesCommand, DescribeSnapshotsCommand, DescribeVolumesCommand, EC2Client } from '@aws-sdk/client-ec2';
import {
  DescribeGroupCommand,
  GetUserIdCommand,
  IdentitystoreClient,
  ListGroupMembershipsForMemberCommand,
  ListUsersCommand,
  ResourceNotFoundException,
} from '@aws-sdk/client-identitystore';
import { DynamoDBClient, QueryCommand } from '@aws-sdk/client-dynamodb';
import { createAuditStore } from '../../functions/lib/adapters/dynamodb/audit.ts';
import { verifyChain } from '../../functions/lib/domain/audit/chain.ts';
import { LOCAL_IDENTITY_STORE_ID } from '../function-env.ts';

/**
 * Reads what an employee has, straight from the (local) AWS services: the demo and the
 * integration tests judge outcomes by what exists, not by what a workflow said it did.
 */
export interface AccessSnapshot {
  userId: string | undefined;
  /** Identity Store users with this user name (more than one would be a duplicate). */
  users: number;
  memberships: number;
  /** Display names of the groups the user is a member of, sorted. */
  groups: string[];
  instances: { id: string; state: string }[];
  /** Every volume tagged with the employee id (not deleted), and what it is attached to. */
  volumes: { id: string; state: string; attachedTo: string[] }[];
  attachedVolumes: number;
  /** Snapshots tagged with the employee id, and whether they carry gatehouse:retain=true. */
  snapshots: { id: string; state: string; retained: boolean }[];
  activeGrants: number;
  /** Grants the leaver closed (status revoked, with revokedAt). */
  revokedGrants: number;
  auditEntries: number;
  /** Audit entry kinds, oldest first (`request.received`, `grant.applied`, ...). */
  auditKinds: string[];
  auditChainOk: boolean;
}

const EMPLOYEE_TAG = 'tag:gatehouse:employee-id';

const identity = new IdentitystoreClient({});
const ec2 = new EC2Client({});
const dynamo = new DynamoDBClient({});

async function userIdOf(userName: string): Promise<string | undefined> {
  try {
    const out = await identity.send(
      new GetUserIdCommand({
        IdentityStoreId: LOCAL_IDENTITY_STORE_ID,
        AlternateIdentifier: { UniqueAttribute: { AttributePath: 'userName', AttributeValue: userName } },
      }),
    );
    return out.UserId;
  } catch (error) {
    if (error instanceof ResourceNotFoundException) return undefined;
    throw error;
  }
}

async function groupsOf(userId: string | undefined): Promise<string[]> {
  if (!userId) return [];
  const out = await identity.send(new ListGroupMembershipsForMemberCommand({ IdentityStoreId: LOCAL_IDENTITY_STORE_ID, MemberId: { UserId: userId } }));
  const names = await Promise.all(
    (out.GroupMemberships ?? []).map(async (m) => (await identity.send(new DescribeGroupCommand({ IdentityStoreId: LOCAL_IDENTITY_STORE_ID, GroupId: m.GroupId }))).DisplayName ?? ''),
  );
  return names.sort();
}

export async function accessOf(employeeId: string, userName: string): Promise<AccessSnapshot> {
  const userId = await userIdOf(userName);
  const users = (await identity.send(new ListUsersCommand({ IdentityStoreId: LOCAL_IDENTITY_STORE_ID, Filters: [{ AttributePath: 'UserName', AttributeValue: userName }] }))).Users ?? [];
  const groups = await groupsOf(userId);
  const reservations = await ec2.send(new DescribeInstancesCommand({ Filters: [{ Name: EMPLOYEE_TAG, Values: [employeeId] }] }));
  const instances = (reservations.Reservations ?? []).flatMap((r) => r.Instances ?? []).map((i) => ({ id: i.InstanceId ?? '', state: i.State?.Name ?? '' }));
  const live = new Set(instances.filter((i) => i.state !== 'terminated').map((i) => i.id));
  const tagged = (await ec2.send(new DescribeVolumesCommand({ Filters: [{ Name: EMPLOYEE_TAG, Values: [employeeId] }] }))).Volumes ?? [];
  const volumes = tagged
    .filter((v) => v.State !== 'deleted')
    .map((v) => ({ id: v.VolumeId ?? '', state: v.State ?? '', attachedTo: (v.Attachments ?? []).map((a) => a.InstanceId ?? '') }));
  const snapshots = ((await ec2.send(new DescribeSnapshotsCommand({ OwnerIds: ['self'], Filters: [{ Name: EMPLOYEE_TAG, Values: [employeeId] }] }))).Snapshots ?? []).map(
    (snapshot) => ({
      id: snapshot.SnapshotId ?? '',
      state: snapshot.State ?? '',
      retained: (snapshot.Tags ?? []).some((tag) => tag.Key === 'gatehouse:retain' && tag.Value === 'true'),
    }),
  );
  const grants = await dynamo.send(
    new QueryCommand({
      TableName: process.env.GRANTS_TABLE_NAME,
      KeyConditionExpression: 'employeeId = :e',
      ExpressionAttributeValues: { ':e': { S: employeeId } },
    }),
  );
  const grantItems = grants.Items ?? [];
  const audit = await createAuditStore({ client: dynamo, tableName: process.env.AUDIT_TABLE_NAME ?? '', clock: { now: () => new Date() } }).listBySubject(employeeId);
  return {
    userId,
    users: users.length,
    memberships: groups.length,
    groups,
    instances,
    volumes,
    attachedVolumes: volumes.filter((v) => v.attachedTo.some((id) => live.has(id))).length,
    snapshots,
    activeGrants: grantItems.filter((g) => g.status?.S === 'active').length,
    revokedGrants: grantItems.filter((g) => g.status?.S === 'revoked' && g.revokedAt !== undefined).length,
    auditEntries: audit.length,
    auditKinds: audit.map((entry) => entry.kind),
    auditChainOk: verifyChain(audit).ok,
  };
}
