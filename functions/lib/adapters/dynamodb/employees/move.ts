import { GetCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { z } from 'zod';
import { callAws } from '../../aws/call-aws.ts';
import { EMPLOYED_SINCE, employeeItemOf } from './item.ts';
import { mergeIntoEmployee } from './merge.ts';
import { changeFacts } from '../../../domain/ordering/merge.ts';

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

    // Per-fact merge (merge.ts): the change sets the facts it is newer for, employed or not, so a change
    // delivered before its hire is kept for it and an older change never overwrites a newer fact.
    async recordChange(change) {
      const tableName = table(options.employeesTable, 'employees');
      const result = await mergeIntoEmployee({ client, tableName }, change.employee.employeeId, changeFacts(change.employee, change.occurredAt), { requestId: change.requestId, at: change.at });
      return result.applied.length > 0 ? 'written' : 'stale';
    },

    async closeGrant(employeeId, grantKey, executionName, at) {
      if (await closeGrantItem(grants(), { employeeId, grantKey, status: 'revoked', at, by: executionName })) return 'closed';
      const TableName = grants().tableName;
      const out = await callAws('reading a grant', () => client.send(new GetCommand({ TableName, Key: { employeeId, grantKey }, ConsistentRead: true })));
      return out.Item?.revokedBy === executionName ? 'already' : 'other';
    },
  };
}
