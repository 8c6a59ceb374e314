/**
 * The DynamoDB tables, as plain data: the CDK stack builds them from this list and the
 * local cloud creates the same tables in DynamoDB Local. One place to change a key.
 *
 * Env var handed to each function that uses a table: `<NAME>_TABLE_NAME` (e.g. AUDIT_TABLE_NAME).
 */
export interface TableSpec {
  /** Logical name; the local table is `gatehouse-<name>`. */
  name: 'employees' | 'requests' | 'approvals' | 'grants' | 'audit' | 'waits' | 'reviews' | 'notifications' | 'adoptions';
  partitionKey: { name: string; type: 'S' | 'N' };
  sortKey?: { name: string; type: 'S' | 'N' };
  indexes: { name: string; partitionKey: { name: string; type: 'S' | 'N' }; sortKey?: { name: string; type: 'S' | 'N' } }[];
  /** TTL attribute, for garbage collection only (never for audit). */
  ttlAttribute?: string;
}

export const TABLES: readonly TableSpec[] = [
  {
    // Who Gatehouse knows: current role, status (active | left), manager, end date.
    name: 'employees',
    partitionKey: { name: 'employeeId', type: 'S' },
    indexes: [
      { name: 'byStatus', partitionKey: { name: 'status', type: 'S' }, sortKey: { name: 'employeeId', type: 'S' } },
      // The caller of an authenticated route is the employee whose work e-mail (lower case) the token names.
      { name: 'byEmail', partitionKey: { name: 'emailLower', type: 'S' } },
    ],
  },
  {
    // One item per workflow request (joiner, mover, leaver, time-bound grant).
    name: 'requests',
    partitionKey: { name: 'requestId', type: 'S' },
    indexes: [{ name: 'byEmployee', partitionKey: { name: 'employeeId', type: 'S' }, sortKey: { name: 'createdAt', type: 'S' } }],
  },
  {
    // Approval links: random id -> task token, approver, expiry. TTL removes long-dead ones.
    name: 'approvals',
    partitionKey: { name: 'approvalId', type: 'S' },
    indexes: [
      { name: 'byRequest', partitionKey: { name: 'requestId', type: 'S' } },
      { name: 'byEmployee', partitionKey: { name: 'employeeId', type: 'S' }, sortKey: { name: 'createdAt', type: 'S' } },
      // The console's inbox: an approver's approvals, newest first.
      { name: 'byApprover', partitionKey: { name: 'approverEmail', type: 'S' }, sortKey: { name: 'createdAt', type: 'S' } },
    ],
    ttlAttribute: 'expiresAtEpoch',
  },
  {
    // Who has what now: one item per (employee, entitlement, source), so sources are counted separately.
    name: 'grants',
    partitionKey: { name: 'employeeId', type: 'S' },
    sortKey: { name: 'grantKey', type: 'S' },
    indexes: [{ name: 'byEntitlement', partitionKey: { name: 'entitlementId', type: 'S' }, sortKey: { name: 'employeeId', type: 'S' } }],
  },
  {
    // Append-only, hash-chained per subject. Never updated or deleted.
    name: 'audit',
    partitionKey: { name: 'subject', type: 'S' },
    sortKey: { name: 'seq', type: 'N' },
    indexes: [
      { name: 'byEntitlement', partitionKey: { name: 'entitlementId', type: 'S' }, sortKey: { name: 'at', type: 'S' } },
      { name: 'byActor', partitionKey: { name: 'actor', type: 'S' }, sortKey: { name: 'at', type: 'S' } },
      { name: 'byDay', partitionKey: { name: 'day', type: 'S' }, sortKey: { name: 'at', type: 'S' } },
    ],
  },
  {
    // Task tokens parked under the EC2 resource id they wait for (adapters/dynamodb/waits.ts). TTL removes stale ones.
    name: 'waits',
    partitionKey: { name: 'resourceId', type: 'S' },
    sortKey: { name: 'parkingId', type: 'S' },
    indexes: [],
    ttlAttribute: 'expiresAtEpoch',
  },
  {
    // Access review campaigns (adapters/dynamodb/reviews.ts): the campaign, its frozen items, reviewer links.
    name: 'reviews',
    partitionKey: { name: 'campaignId', type: 'S' },
    sortKey: { name: 'itemKey', type: 'S' },
    // Sparse: only pending items carry queueReviewer, so this index is every reviewer's open queue.
    indexes: [{ name: 'byReviewer', partitionKey: { name: 'queueReviewer', type: 'S' }, sortKey: { name: 'campaignId', type: 'S' } }],
  },
  {
    // Which notifications went out (adapters/dynamodb/notifications.ts): one item per (kind, person, request), so a retry mails once.
    name: 'notifications',
    partitionKey: { name: 'notificationId', type: 'S' },
    indexes: [],
    ttlAttribute: 'expiresAtEpoch',
  },
  {
    // Reviewed adoption plans (adapters/dynamodb/adoptions.ts): part 0 the header, 1..n the batches the
    // adoption workflow applies; too big for an execution's input (Step Functions' 256 KiB quota).
    name: 'adoptions',
    partitionKey: { name: 'planId', type: 'S' },
    sortKey: { name: 'part', type: 'N' },
    indexes: [],
    ttlAttribute: 'expiresAtEpoch',
  },
];

export const tableEnvVar = (name: TableSpec['name']): string => `${name.toUpperCase()}_TABLE_NAME`;
export const localTableName = (name: TableSpec['name']): string => `gatehouse-${name}`;
