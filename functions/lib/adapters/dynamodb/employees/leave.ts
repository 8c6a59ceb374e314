import { PutCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { z } from 'zod';
import { callAws, conditionalWrite, isConditionFailure } from '../../aws/call-aws.ts';
import { EMPLOYED_SINCE, employeeItemOf } from './item.ts';
import { closeGrantItem, grantItemsOf, type GrantItemsTable } from '../grants.ts';
import { leaveGrantSchema, type LeaveGrant } from '../../../domain/leaver/schemas.ts';
import type { GrantItem } from '../../../domain/grants/item.ts';
import type { LeaveStore } from '../../../domain/leaver/ports.ts';

/**
 * The leaver's DynamoDB adapter: the employees and grants tables. Reads are consistent;
 * every write is conditional, so a retry or a second leaver changes nothing.
 */

export interface LeaveStoreOptions {
  client: DynamoDBDocumentClient;
  employeesTable?: string;
  grantsTable?: string;
}

/** The leaver execution that claimed the person's status (claimLeave); markLeft removes it. */
const LEAVING_BY = 'leavingBy';

const required = (name: string | undefined, what: string): string => {
  if (!name) throw new Error(`${what} table name not configured`);
  return name;
};

export function createLeaveStore(options: LeaveStoreOptions): LeaveStore {
  const { client } = options;

  /**
   * A leave of somebody the table does not know (delivered before their hire): the person is
   * recorded as left at the leave's event time, so a hire older than it is stale at the joiner's
   * gate (upsertHire) and only a newer rehire brings them back. Nothing else is known of them.
   */
  const putTombstone = (table: string, employeeId: string, executionName: string, occurred: string): Promise<boolean> =>
    conditionalWrite('recording the leave of an unknown person', () =>
      client.send(
        new PutCommand({
          TableName: table,
          Item: { employeeId, status: 'left', statusOccurredAt: occurred, leftBy: executionName, leftAt: occurred },
          ConditionExpression: 'attribute_not_exists(employeeId)',
        }),
      ),
    );

  const grants = (): GrantItemsTable => ({ client, tableName: required(options.grantsTable, 'grants') });
  const grantItems = (employeeId: string) => grantItemsOf(grants(), employeeId);

  const toGrant = (item: GrantItem): LeaveGrant => leaveGrantSchema.parse(item);

  return {
    async userNameOf(employeeId) {
      const item = await employeeItemOf({ client, tableName: required(options.employeesTable, 'employees') }, employeeId);
      const parsed = z.object({ email: z.string().min(1) }).safeParse(item);
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
        if (await closeGrantItem(grants(), { employeeId, grantKey: item.grantKey, status: 'revoked', at, by: executionName })) closed.push(toGrant(item));
      }
      return closed;
    },

    async claimLeave(employeeId, executionName, occurredAt) {
      const occurred = new Date(occurredAt).toISOString();
      const table = required(options.employeesTable, 'employees');
      // Twice at most: a hire creating the person between the claim and the tombstone makes the second claim apply.
      for (let attempt = 0; attempt < 2; attempt += 1) {
        const claimed = await conditionalWrite('claiming the leave', () =>
          client.send(
            new UpdateCommand({
              TableName: table,
              Key: { employeeId },
              UpdateExpression: 'SET #statusOccurredAt = :occurred, #leavingBy = :by',
              ConditionExpression:
                // A retry, or another leaver of the same instant (a re-run after a failure), takes the claim over.
                'attribute_exists(employeeId) AND #status <> :left AND (attribute_not_exists(#statusOccurredAt) OR #statusOccurredAt < :occurred OR (#statusOccurredAt = :occurred AND attribute_exists(#leavingBy)))',
              ExpressionAttributeNames: { '#status': 'status', '#statusOccurredAt': 'statusOccurredAt', '#leavingBy': LEAVING_BY },
              ExpressionAttributeValues: { ':occurred': occurred, ':by': executionName, ':left': 'left' },
            }),
          ),
        );
        if (claimed) return 'claimed';
        if (await putTombstone(table, employeeId, executionName, occurred)) return 'tombstone';
        if ((await employeeItemOf({ client, tableName: table }, employeeId)) !== undefined) return 'unchanged';
      }
      return 'unchanged';
    },

    async markLeft(employeeId, executionName, at, occurredAt) {
      const occurred = occurredAt === undefined ? undefined : new Date(occurredAt).toISOString();
      try {
        await callAws('marking the employee left', () =>
          client.send(
            new UpdateCommand({
              TableName: required(options.employeesTable, 'employees'),
              Key: { employeeId },
              // Without the leave's time (an execution started before the ASL passed it) the status time is
              // dropped: such a leave is final until an operator reinstates the person.
              // The employment ends: a rehire starts a new generation (item.ts EMPLOYED_SINCE).
              UpdateExpression: `SET #status = :left, leftAt = :at, leftBy = :by${occurred ? ', #statusOccurredAt = :occurred REMOVE #employedSince, #leavingBy' : ' REMOVE #statusOccurredAt, #employedSince, #leavingBy'}`,
              // Equal to the leave's time only when a leave of that instant claimed it (claimLeave).
              ConditionExpression: `attribute_exists(employeeId) AND #status <> :left${occurred ? ' AND (attribute_not_exists(#statusOccurredAt) OR #statusOccurredAt < :occurred OR (#statusOccurredAt = :occurred AND attribute_exists(#leavingBy)))' : ''}`,
              ExpressionAttributeNames: { '#status': 'status', '#statusOccurredAt': 'statusOccurredAt', '#employedSince': EMPLOYED_SINCE, '#leavingBy': LEAVING_BY },
              ExpressionAttributeValues: { ':left': 'left', ':at': at, ':by': executionName, ...(occurred ? { ':occurred': occurred } : {}) },
            }),
          ),
        );
        return 'marked';
      } catch (error) {
        if (isConditionFailure(error)) return 'unchanged';
        throw error;
      }
    },
  };
}
