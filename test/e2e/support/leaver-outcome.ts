import { DescribeSnapshotsCommand, EC2Client } from '@aws-sdk/client-ec2';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { createAuditStore } from '../../../functions/lib/adapters/dynamodb/audit.ts';
import { verifyChain } from '../../../functions/lib/domain/audit/chain.ts';
import { accessOf } from '../../../local/demo/inspect.ts';
import { expectedAccess, userNameOf } from './e2e-cloud.ts';

/**
 * What a finished leaver left behind, for the exactly-once tests (throttling, restart): read from
 * the services themselves (Identity Store, EC2, the grants and audit tables), never from what the
 * workflow said. Clients are created per call: the restart test boots a second cloud.
 */
export interface LeaverOutcome {
  users: number;
  memberships: number;
  liveInstances: number;
  volumes: number;
  /** Retained, completed snapshots per source volume id. */
  snapshotsPerVolume: Record<string, number>;
  /** Grants and who closed them: `revokedBy` per grant key ('' while still active). */
  closedBy: Record<string, string>;
  /** grant.revoked audit entries per entitlement id. */
  revokedEntries: Record<string, number>;
  auditChainOk: boolean;
}

const count = (keys: string[]): Record<string, number> => keys.reduce<Record<string, number>>((acc, key) => ({ ...acc, [key]: (acc[key] ?? 0) + 1 }), {});

export async function leaverOutcome(employeeId: string): Promise<LeaverOutcome> {
  const access = await accessOf(employeeId, userNameOf(employeeId));
  const ec2 = new EC2Client({});
  const dynamo = new DynamoDBClient({});
  const doc = DynamoDBDocumentClient.from(dynamo);
  try {
    const snapshots = (await ec2.send(new DescribeSnapshotsCommand({ OwnerIds: ['self'], Filters: [{ Name: 'tag:gatehouse:employee-id', Values: [employeeId] }] }))).Snapshots ?? [];
    const retained = snapshots.filter((s) => s.State === 'completed' && (s.Tags ?? []).some((t) => t.Key === 'gatehouse:retain' && t.Value === 'true'));
    const grants = await doc.send(
      new QueryCommand({ TableName: process.env.GRANTS_TABLE_NAME, KeyConditionExpression: 'employeeId = :e', ExpressionAttributeValues: { ':e': employeeId }, ConsistentRead: true }),
    );
    const audit = await createAuditStore({ client: dynamo, tableName: process.env.AUDIT_TABLE_NAME ?? '', clock: { now: () => new Date() } }).listBySubject(employeeId);
    return {
      users: access.users,
      memberships: access.memberships,
      liveInstances: access.instances.filter((i) => i.state !== 'terminated').length,
      volumes: access.volumes.length,
      snapshotsPerVolume: count(retained.map((s) => s.VolumeId ?? '?')),
      closedBy: Object.fromEntries((grants.Items ?? []).map((g) => [String(g.grantKey), g.status === 'revoked' ? String(g.revokedBy) : ''])),
      revokedEntries: count(audit.flatMap((e) => (e.kind === 'grant.revoked' ? [e.entitlementId] : []))),
      auditChainOk: verifyChain(audit).ok,
    };
  } finally {
    ec2.destroy();
    dynamo.destroy();
  }
}

export interface HeldGrant {
  grantKey: string;
  entitlementId: string;
}

/** The person's grants (any status), as the joiner recorded them. */
export async function grantsOf(employeeId: string): Promise<HeldGrant[]> {
  const dynamo = new DynamoDBClient({});
  try {
    const out = await DynamoDBDocumentClient.from(dynamo).send(
      new QueryCommand({ TableName: process.env.GRANTS_TABLE_NAME, KeyConditionExpression: 'employeeId = :e', ExpressionAttributeValues: { ':e': employeeId }, ConsistentRead: true }),
    );
    return (out.Items ?? []).map((g) => ({ grantKey: String(g.grantKey), entitlementId: String(g.entitlementId) }));
  } finally {
    dynamo.destroy();
  }
}

/** Exactly once: nothing left, one snapshot per volume, every grant closed by `executionName`, one grant.revoked entry per grant. */
export function expectedOutcome(executionName: string, grants: HeldGrant[], volumeIds: string[]): LeaverOutcome {
  if (grants.length !== expectedAccess('engineer').entitlements) throw new Error(`the hire holds ${grants.length} grants`);
  return {
    users: 0,
    memberships: 0,
    liveInstances: 0,
    volumes: 0,
    snapshotsPerVolume: Object.fromEntries(volumeIds.map((id) => [id, 1])),
    closedBy: Object.fromEntries(grants.map((g) => [g.grantKey, executionName])),
    revokedEntries: count(grants.map((g) => g.entitlementId)),
    auditChainOk: true,
  };
}
