import { PutCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { callAws, isConditionFailure } from '../aws/call-aws.ts';
import { queryAll, scanAll } from './pages.ts';
import { grantItemSchema, type GrantItem, type NewGrantItem } from '../../domain/grants/item.ts';
import type { Grant } from '../../domain/grants/grants.ts';
import type { ClosedStatus } from '../../domain/grants/item.ts';
import type { GrantStore } from '../../domain/joiner/ports.ts';
import type { StoredGrant, TimeBoundGrants } from '../../domain/time-bound/ports.ts';
import { decodeGrantSource } from '../../domain/grants/source.ts';
import { moveEnd } from './end-change.ts';

/**
 * The `grants` table: who has what now. Every workflow's access to it is here: the one item
 * schema (domain/grants/item.ts), the query of a person's items (consistent, every page), the
 * one conditional put and the one close. A grant is written once and closed once
 * (`active` -> `revoked` | `expired`, the closing execution kept as `revokedBy` so a retry finds
 * what it closed itself), so a retried or repeated run changes nothing.
 */

export interface GrantItemsTable {
  client: Pick<DynamoDBDocumentClient, 'send'>;
  tableName: string;
}

/** Every item of the employee (any source, any status), parsed with the one item schema. */
export async function grantItemsOf({ client, tableName }: GrantItemsTable, employeeId: string): Promise<GrantItem[]> {
  const items = await queryAll(client, { TableName: tableName, KeyConditionExpression: 'employeeId = :e', ExpressionAttributeValues: { ':e': employeeId }, ConsistentRead: true }, 'reading grants');
  return items.map((item) => grantItemSchema.parse(item));
}

/**
 * Writes the grant unless one with its key exists; true when this call wrote it. A grant an
 * earlier request held and that was revoked since (the role held again after a move back, a
 * rehire) is replaced by the new one; the audit keeps the old one's history. A retry of the
 * same request never replaces anything (a time-bound grant's key names its request, so it is
 * never replaced at all).
 */
export async function putGrantItem({ client, tableName }: GrantItemsTable, item: NewGrantItem, doing = 'writing a grant'): Promise<boolean> {
  try {
    await callAws(doing, () =>
      client.send(
        new PutCommand({
          TableName: tableName,
          Item: grantItemSchema.parse(item),
          ConditionExpression: 'attribute_not_exists(grantKey) OR (#status = :revoked AND requestId <> :requestId)',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':revoked': 'revoked', ':requestId': item.requestId },
        }),
      ),
    );
    return true;
  } catch (error) {
    if (isConditionFailure(error)) return false;
    throw error;
  }
}

/** Every active item of the table (any employee, any source), parsed: a whole-company read (catalogue convergence's plan). */
export async function activeGrantItems({ client, tableName }: GrantItemsTable): Promise<GrantItem[]> {
  const items = await scanAll(
    client,
    { TableName: tableName, ConsistentRead: true, FilterExpression: '#status = :active', ExpressionAttributeNames: { '#status': 'status' }, ExpressionAttributeValues: { ':active': 'active' } },
    'scanning grants',
  );
  return items.map((item) => grantItemSchema.parse(item));
}

export interface GrantClosing {
  employeeId: string;
  grantKey: string;
  status: ClosedStatus;
  at: string;
  /** The closing execution's name, kept as `revokedBy`. */
  by: string;
}

/** true when this call closed an active item; false when it was not active (closed before, or gone). */
export async function closeGrantItem({ client, tableName }: GrantItemsTable, closing: GrantClosing, doing = 'closing a grant'): Promise<boolean> {
  const { employeeId, grantKey, status, at, by } = closing;
  try {
    await callAws(doing, () =>
      client.send(
        new UpdateCommand({
          TableName: tableName,
          Key: { employeeId, grantKey },
          UpdateExpression: 'SET #status = :status, revokedAt = :at, revokedBy = :by',
          ConditionExpression: '#status = :active',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':status': status, ':active': 'active', ':at': at, ':by': by },
        }),
      ),
    );
    return true;
  } catch (error) {
    if (isConditionFailure(error)) return false;
    throw error;
  }
}

export function createGrantStore(options: GrantItemsTable): GrantStore {
  return { putIfAbsent: (item) => putGrantItem(options, item) };
}

/** `role:<roleId>` or `time-bound:<requestId>` (+ expiresAt) as a domain Grant; undefined for anything else. */
export function toGrant(item: GrantItem): Grant | undefined {
  const base = { employeeId: item.employeeId, entitlementId: item.entitlementId };
  const source = decodeGrantSource(item.source);
  if (source?.kind === 'role') return { ...base, source };
  if (source?.kind === 'time-bound' && item.expiresAt) return { ...base, source: { ...source, expiresAt: item.expiresAt } };
  return undefined;
}

export function createTimeBoundGrants(options: GrantItemsTable): TimeBoundGrants {
  return {
    async list(employeeId) {
      const found: StoredGrant[] = [];
      for (const item of await grantItemsOf(options, employeeId)) {
        const grant = toGrant(item);
        if (!grant) continue;
        const { grantKey, status, revokedBy, membershipId } = item;
        found.push({ grantKey, status, grant, ...(revokedBy ? { revokedBy } : {}), ...(membershipId ? { membershipId } : {}) });
      }
      return found;
    },
    putIfAbsent: (item) => putGrantItem(options, item, 'writing a time-bound grant'),
    extend: (employeeId, grantKey, change) => moveEnd({ ...options, key: { employeeId, grantKey }, liveStatus: 'active', doing: 'extending a time-bound grant' }, change),
    close: (employeeId, grantKey, status, at, by) => closeGrantItem(options, { employeeId, grantKey, status, at, by }, 'closing a time-bound grant'),
  };
}
