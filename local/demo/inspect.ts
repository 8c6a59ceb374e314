import { DescribeInstancesCommand, DescribeVolumesCommand, EC2Client } from '@aws-sdk/client-ec2';
import { GetUserIdCommand, IdentitystoreClient, ListGroupMembershipsForMemberCommand, ResourceNotFoundException } from '@aws-sdk/client-identitystore';
import { DynamoDBClient, QueryCommand } from '@aws-sdk/client-dynamodb';
import { createAuditStore } from '../../functions/lib/audit/audit-store.ts';
import { verifyChain } from '../../functions/lib/audit/chain.ts';
import { LOCAL_IDENTITY_STORE_ID } from '../function-env.ts';

/**
 * Reads what an employee has, straight from the (local) AWS services: the demo and the
 * integration tests judge outcomes by what exists, not by what a workflow said it did.
 */
export interface AccessSnapshot {
  userId: string | undefined;
  memberships: number;
  instances: { id: string; state: string }[];
  attachedVolumes: number;
  activeGrants: number;
  auditEntries: number;
  auditChainOk: boolean;
}

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

export async function accessOf(employeeId: string, userName: string): Promise<AccessSnapshot> {
  const userId = await userIdOf(userName);
  const memberships = userId
    ? ((await identity.send(new ListGroupMembershipsForMemberCommand({ IdentityStoreId: LOCAL_IDENTITY_STORE_ID, MemberId: { UserId: userId } })))
        .GroupMemberships?.length ?? 0)
    : 0;
  const reservations = await ec2.send(new DescribeInstancesCommand({ Filters: [{ Name: 'tag:gatehouse:employee-id', Values: [employeeId] }] }));
  const instances = (reservations.Reservations ?? []).flatMap((r) => r.Instances ?? []).map((i) => ({ id: i.InstanceId ?? '', state: i.State?.Name ?? '' }));
  const live = instances.filter((i) => i.state !== 'terminated').map((i) => i.id);
  const volumes = live.length
    ? ((await ec2.send(new DescribeVolumesCommand({ Filters: [{ Name: 'attachment.instance-id', Values: live }] }))).Volumes?.length ?? 0)
    : 0;
  const grants = await dynamo.send(
    new QueryCommand({
      TableName: process.env.GRANTS_TABLE_NAME,
      KeyConditionExpression: 'employeeId = :e',
      FilterExpression: '#s = :active',
      ExpressionAttributeNames: { '#s': 'status' },
      ExpressionAttributeValues: { ':e': { S: employeeId }, ':active': { S: 'active' } },
    }),
  );
  const audit = await createAuditStore({ client: dynamo, tableName: process.env.AUDIT_TABLE_NAME ?? '', clock: { now: () => new Date() } }).listBySubject(employeeId);
  return {
    userId,
    memberships,
    instances,
    attachedVolumes: volumes,
    activeGrants: grants.Items?.length ?? 0,
    auditEntries: audit.length,
    auditChainOk: verifyChain(audit).ok,
  };
}
