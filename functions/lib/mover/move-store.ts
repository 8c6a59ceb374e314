import { GetCommand, QueryCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { z } from 'zod';
import { asTransient, isConditionFailure } from '../aws-errors.ts';
import type { Employee } from '../events/employee-events.ts';

/**
 * The mover's DynamoDB adapter: the employees and grants tables. Reads are consistent; every
 * write is conditional (an older HRIS event never overwrites a newer one, a grant is closed
 * once), so a retry or a second run changes nothing.
 */

export interface KnownEmployee {
  status?: string;
  role?: string;
}

/** One item of the grants table as the mover reads it (joiner items, and any other source's). */
export const grantItemSchema = z.looseObject({
  grantKey: z.string().min(1),
  entitlementId: z.string().min(1),
  /** `role:<roleId>`, `jit:<requestId>`, ... */
  source: z.string().min(1),
  status: z.string(),
  membershipId: z.string().optional(),
  instanceId: z.string().optional(),
  volumeId: z.string().optional(),
  expiresAt: z.string().optional(),
  revokedBy: z.string().optional(),
});
export type GrantItemView = z.infer<typeof grantItemSchema>;

export interface EmployeeChange {
  employee: Employee;
  occurredAt: string;
  requestId: string;
  at: string;
}

export interface MoveStore {
  employee(employeeId: string): Promise<KnownEmployee | undefined>;
  /** Active grant items of the person, any source. */
  activeGrants(employeeId: string): Promise<GrantItemView[]>;
  /** Sets role and the other HRIS fields; `stale` when a newer event already wrote, or the person left. */
  recordChange(change: EmployeeChange): Promise<'written' | 'stale'>;
  /** `closed` by this call, `already` closed by this execution before, `other` closed by someone else or gone. */
  closeGrant(employeeId: string, grantKey: string, executionName: string, at: string): Promise<'closed' | 'already' | 'other'>;
}

const OPTIONAL = ['managerEmail', 'managerId', 'department', 'endDate'] as const;

export function createMoveStore(options: { client: DynamoDBDocumentClient; employeesTable?: string; grantsTable?: string }): MoveStore {
  const { client } = options;
  const table = (name: string | undefined, what: string): string => {
    if (!name) throw new Error(`${what} table name not configured`);
    return name;
  };

  return {
    async employee(employeeId) {
      const out = await client
        .send(new GetCommand({ TableName: table(options.employeesTable, 'employees'), Key: { employeeId }, ConsistentRead: true }))
        .catch((error: unknown) => {
          throw asTransient(error, 'reading the employee');
        });
      if (!out.Item) return undefined;
      const parsed = z.looseObject({ status: z.string().optional(), role: z.string().optional() }).parse(out.Item);
      return { ...(parsed.status ? { status: parsed.status } : {}), ...(parsed.role ? { role: parsed.role } : {}) };
    },

    async activeGrants(employeeId) {
      const items: GrantItemView[] = [];
      let start: Record<string, unknown> | undefined;
      do {
        const page = await client
          .send(
            new QueryCommand({
              TableName: table(options.grantsTable, 'grants'),
              KeyConditionExpression: 'employeeId = :e',
              ExpressionAttributeValues: { ':e': employeeId },
              ConsistentRead: true,
              ExclusiveStartKey: start,
            }),
          )
          .catch((error: unknown) => {
            throw asTransient(error, 'reading grants');
          });
        for (const item of page.Items ?? []) items.push(grantItemSchema.parse(item));
        start = page.LastEvaluatedKey;
      } while (start);
      return items.filter((item) => item.status === 'active');
    },

    async recordChange({ employee, occurredAt, requestId, at }) {
      const set: Record<string, string> = {
        role: employee.role,
        email: employee.email,
        emailLower: employee.email.toLowerCase(),
        employmentType: employee.employmentType,
        hrisOccurredAt: new Date(occurredAt).toISOString(),
        lastRequestId: requestId,
        updatedAt: at,
      };
      for (const key of OPTIONAL) if (employee[key] !== undefined) set[key] = employee[key];
      const removed = OPTIONAL.filter((key) => employee[key] === undefined);
      const names = Object.fromEntries([...Object.keys(set), ...removed, 'status'].map((key) => [`#${key}`, key]));
      const values = { ...Object.fromEntries(Object.entries(set).map(([key, value]) => [`:${key}`, value])), ':left': 'left' };
      const update =
        `SET ${Object.keys(set).map((key) => `#${key} = :${key}`).join(', ')}` +
        (removed.length > 0 ? ` REMOVE ${removed.map((key) => `#${key}`).join(', ')}` : '');
      try {
        await client.send(
          new UpdateCommand({
            TableName: table(options.employeesTable, 'employees'),
            Key: { employeeId: employee.employeeId },
            UpdateExpression: update,
            ConditionExpression: 'attribute_exists(employeeId) AND #status <> :left AND (attribute_not_exists(#hrisOccurredAt) OR #hrisOccurredAt <= :hrisOccurredAt)',
            ExpressionAttributeNames: names,
            ExpressionAttributeValues: values,
          }),
        );
        return 'written';
      } catch (error) {
        if (isConditionFailure(error)) return 'stale';
        throw asTransient(error, 'writing the employee');
      }
    },

    async closeGrant(employeeId, grantKey, executionName, at) {
      const TableName = table(options.grantsTable, 'grants');
      try {
        await client.send(
          new UpdateCommand({
            TableName,
            Key: { employeeId, grantKey },
            UpdateExpression: 'SET #status = :revoked, revokedAt = :at, revokedBy = :by',
            ConditionExpression: '#status = :active',
            ExpressionAttributeNames: { '#status': 'status' },
            ExpressionAttributeValues: { ':revoked': 'revoked', ':active': 'active', ':at': at, ':by': executionName },
          }),
        );
        return 'closed';
      } catch (error) {
        if (!isConditionFailure(error)) throw asTransient(error, 'closing a grant');
      }
      const out = await client.send(new GetCommand({ TableName, Key: { employeeId, grantKey }, ConsistentRead: true })).catch((error: unknown) => {
        throw asTransient(error, 'reading a grant');
      });
      return out.Item?.revokedBy === executionName ? 'already' : 'other';
    },
  };
}
