import { GetCommand, QueryCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { z } from 'zod';
import { asTransient, isConditionFailure } from '../aws-errors.ts';
import { leaveGrantSchema, type LeaveGrant } from './schemas.ts';

/**
 * The leaver's DynamoDB adapter: the employees and grants tables. Reads are consistent;
 * every write is conditional, so a retry or a second leaver changes nothing.
 */

export interface LeaveStoreOptions {
  client: DynamoDBDocumentClient;
  employeesTable?: string;
  grantsTable?: string;
}

const grantItemSchema = leaveGrantSchema.extend({ status: z.string(), revokedBy: z.string().optional() });

export interface LeaveStore {
  userNameOf(employeeId: string): Promise<string | undefined>;
  activeGrants(employeeId: string): Promise<LeaveGrant[]>;
  /** Active grants become `revoked`; returns those this execution closed (also on a retry). */
  closeGrants(employeeId: string, executionName: string, at: string): Promise<LeaveGrant[]>;
  /** `marked`, or `unchanged` when already left or unknown. */
  markLeft(employeeId: string, executionName: string, at: string): Promise<'marked' | 'unchanged'>;
}

const required = (name: string | undefined, what: string): string => {
  if (!name) throw new Error(`${what} table name not configured`);
  return name;
};

export function createLeaveStore(options: LeaveStoreOptions): LeaveStore {
  const { client } = options;

  async function grantItems(employeeId: string): Promise<z.infer<typeof grantItemSchema>[]> {
    const items: z.infer<typeof grantItemSchema>[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const page = await client
        .send(
          new QueryCommand({
            TableName: required(options.grantsTable, 'grants'),
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
    return items;
  }

  const toGrant = (item: z.infer<typeof grantItemSchema>): LeaveGrant => leaveGrantSchema.parse(item);

  return {
    async userNameOf(employeeId) {
      const out = await client
        .send(new GetCommand({ TableName: required(options.employeesTable, 'employees'), Key: { employeeId }, ConsistentRead: true }))
        .catch((error: unknown) => {
          throw asTransient(error, 'reading the employee');
        });
      const parsed = z.object({ email: z.string().min(1) }).safeParse(out.Item);
      return parsed.success ? parsed.data.email : undefined;
    },

    async activeGrants(employeeId) {
      return (await grantItems(employeeId)).filter((item) => item.status === 'active').map(toGrant);
    },

    async closeGrants(employeeId, executionName, at) {
      const closed: LeaveGrant[] = [];
      for (const item of await grantItems(employeeId)) {
        if (item.status === 'revoked' && item.revokedBy === executionName) closed.push(toGrant(item));
        if (item.status !== 'active') continue;
        try {
          await client.send(
            new UpdateCommand({
              TableName: required(options.grantsTable, 'grants'),
              Key: { employeeId, grantKey: item.grantKey },
              UpdateExpression: 'SET #status = :revoked, revokedAt = :at, revokedBy = :by',
              ConditionExpression: '#status = :active',
              ExpressionAttributeNames: { '#status': 'status' },
              ExpressionAttributeValues: { ':revoked': 'revoked', ':active': 'active', ':at': at, ':by': executionName },
            }),
          );
          closed.push(toGrant(item));
        } catch (error) {
          if (!isConditionFailure(error)) throw asTransient(error, 'closing a grant');
        }
      }
      return closed;
    },

    async markLeft(employeeId, executionName, at) {
      try {
        await client.send(
          new UpdateCommand({
            TableName: required(options.employeesTable, 'employees'),
            Key: { employeeId },
            UpdateExpression: 'SET #status = :left, leftAt = :at, leftBy = :by',
            ConditionExpression: 'attribute_exists(employeeId) AND #status <> :left',
            ExpressionAttributeNames: { '#status': 'status' },
            ExpressionAttributeValues: { ':left': 'left', ':at': at, ':by': executionName },
          }),
        );
        return 'marked';
      } catch (error) {
        if (isConditionFailure(error)) return 'unchanged';
        throw asTransient(error, 'marking the employee left');
      }
    },
  };
}
