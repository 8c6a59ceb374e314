import { GetCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { z } from 'zod';
import { callAws, isConditionFailure } from '../../aws/call-aws.ts';
import { EMPLOYED_SINCE, employeeItemOf, employeeUpdate } from './item.ts';

import { closeGrantItem, grantItemsOf, type GrantItemsTable } from '../grants.ts';

import type { MoveStore } from '../../../domain/mover/ports.ts';

export function createMoveStore(options: { client: DynamoDBDocumentClient; employeesTable?: string; grantsTable?: string }): MoveStore {
  const { client } = options;
  const table = (name: string | undefined, what: string): string => {
    if (!name) throw new Error(`${what} table name not configured`);
    return name;
  };
  const grants = (): GrantItemsTable => ({ client, tableName: table(options.grantsTable, 'grants') });

  return {
    async employee(employeeId) {
      const item = await employeeItemOf({ client, tableName: table(options.employeesTable, 'employees') }, employeeId);
      if (!item) return undefined;
      const text = z.string().optional();
      const parsed = z.looseObject({ status: text, role: text, hrisOccurredAt: text, email: text, identityUserId: text, [EMPLOYED_SINCE]: text }).parse(item);
      return {
        ...(parsed.status ? { status: parsed.status } : {}),
        ...(parsed.role ? { role: parsed.role } : {}),
        ...(parsed.hrisOccurredAt ? { hrisOccurredAt: parsed.hrisOccurredAt } : {}),
        ...(parsed.email ? { email: parsed.email } : {}),
        ...(parsed.identityUserId ? { identityUserId: parsed.identityUserId } : {}),
        ...(parsed[EMPLOYED_SINCE] ? { employedSince: parsed[EMPLOYED_SINCE] } : {}),
      };
    },

    async activeGrants(employeeId) {
      const items = await grantItemsOf(grants(), employeeId);
      return items.filter((item) => item.status === 'active');
    },

    async recordChange(change) {
      const update = employeeUpdate(change);
      try {
        await callAws('writing the employee', () =>
          client.send(
            new UpdateCommand({
              TableName: table(options.employeesTable, 'employees'),
              Key: { employeeId: change.employee.employeeId },
              ...update,
              ConditionExpression: 'attribute_exists(employeeId) AND #status <> :left AND (attribute_not_exists(#hrisOccurredAt) OR #hrisOccurredAt <= :hrisOccurredAt)',
              ExpressionAttributeNames: { ...update.ExpressionAttributeNames, '#status': 'status' },
              ExpressionAttributeValues: { ...update.ExpressionAttributeValues, ':left': 'left' },
            }),
          ),
        );
        return 'written';
      } catch (error) {
        if (isConditionFailure(error)) return 'stale';
        throw error;
      }
    },

    async closeGrant(employeeId, grantKey, executionName, at) {
      if (await closeGrantItem(grants(), { employeeId, grantKey, status: 'revoked', at, by: executionName })) return 'closed';
      const TableName = grants().tableName;
      const out = await callAws('reading a grant', () => client.send(new GetCommand({ TableName, Key: { employeeId, grantKey }, ConsistentRead: true })));
      return out.Item?.revokedBy === executionName ? 'already' : 'other';
    },
  };
}
