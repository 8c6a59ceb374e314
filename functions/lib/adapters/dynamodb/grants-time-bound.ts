import { PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { z } from 'zod';
import { asTransient, isConditionFailure } from '../aws/call-aws.ts';
import { closeGrantItem, grantItemsOf } from './grants.ts';
import type { Grant } from '../../domain/grants/grants.ts';

/**
 * The `grants` table as the time-bound workflow reads and writes it. A JIT grant item is
 * `<entitlementId>#jit#<requestId>` with source `jit:<requestId>` and its `expiresAt`; it is
 * written once (conditional put) and closed once (`active` -> `expired` | `revoked`), so a
 * retried or repeated run changes nothing.
 */

export interface JitGrantItem {
  employeeId: string;
  grantKey: string;
  entitlementId: string;
  source: `jit:${string}`;
  status: 'active';
  grantedAt: string;
  expiresAt: string;
  requestId: string;
  approvedBy: string[];
  userId: string;
  /** Group grants: the membership; account assignments have none (the assignment is found by user, permission set and account). */
  membershipId?: string;
}

export interface StoredGrant {
  grantKey: string;
  status: string;
  /** The execution that closed it, once closed. */
  revokedBy?: string;
  membershipId?: string;
  grant: Grant;
}

export type ClosedStatus = 'expired' | 'revoked';

export interface JitGrants {
  /** Every grant item of the employee that the domain can read (role or jit source). */
  list(employeeId: string): Promise<StoredGrant[]>;
  putIfAbsent(item: JitGrantItem): Promise<boolean>;
  /** true when this call closed an active item; `executionName` is kept as revokedBy so a retry finds its own. */
  close(employeeId: string, grantKey: string, status: ClosedStatus, at: string, executionName: string): Promise<boolean>;
}

const itemSchema = z.looseObject({
  employeeId: z.string(),
  grantKey: z.string(),
  entitlementId: z.string(),
  source: z.string(),
  status: z.string(),
  requestId: z.string().optional(),
  expiresAt: z.string().optional(),
  revokedBy: z.string().optional(),
  membershipId: z.string().optional(),
});

/** `role:<roleId>` or `jit:<requestId>` (+ expiresAt) as a domain Grant; undefined for anything else. */
export function toGrant(item: z.infer<typeof itemSchema>): Grant | undefined {
  const base = { employeeId: item.employeeId, entitlementId: item.entitlementId };
  if (item.source.startsWith('role:')) return { ...base, source: { kind: 'role', roleId: item.source.slice('role:'.length) } };
  if (item.source.startsWith('jit:') && item.expiresAt) {
    return { ...base, source: { kind: 'jit', requestId: item.source.slice('jit:'.length), expiresAt: item.expiresAt } };
  }
  return undefined;
}

export function createJitGrants(options: { client: DynamoDBDocumentClient; tableName: string }): JitGrants {
  const { client, tableName: TableName } = options;
  return {
    async list(employeeId) {
      const found: StoredGrant[] = [];
      for (const raw of await grantItemsOf(options, employeeId)) {
        const parsed = itemSchema.safeParse(raw);
        const grant = parsed.success ? toGrant(parsed.data) : undefined;
        if (!parsed.success || !grant) continue;
        const { grantKey, status, revokedBy, membershipId } = parsed.data;
        found.push({ grantKey, status, grant, ...(revokedBy ? { revokedBy } : {}), ...(membershipId ? { membershipId } : {}) });
      }
      return found;
    },

    async putIfAbsent(item) {
      try {
        await client.send(new PutCommand({ TableName, Item: item, ConditionExpression: 'attribute_not_exists(employeeId) AND attribute_not_exists(grantKey)' }));
        return true;
      } catch (error) {
        if (isConditionFailure(error)) return false;
        throw asTransient(error, 'writing a time-bound grant');
      }
    },

    close(employeeId, grantKey, status, at, by) {
      return closeGrantItem(options, { employeeId, grantKey, status, at, by }, 'closing a time-bound grant');
    },
  };
}
