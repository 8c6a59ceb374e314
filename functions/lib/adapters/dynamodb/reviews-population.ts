import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { queryAll, scanAll } from './pages.ts';
import type { ActiveGrant, PersonFacts } from '../../domain/reviews/items.ts';
import type { Population } from '../../domain/reviews/ports.ts';

/**
 * A campaign's population: every active grant item of the `grants` table (a consistent Scan,
 * every page: the snapshot must be complete, not a sample) and every active person of
 * `employees` (the byStatus index) for reviewer routing.
 */
export function createPopulation(options: { client: Pick<DynamoDBDocumentClient, 'send'>; grantsTable: string; employeesTable: string }): Population {
  const { client } = options;
  return {
    async activeGrants() {
      const grants: ActiveGrant[] = [];
      const items = await scanAll(
        client,
        {
          TableName: options.grantsTable,
          ConsistentRead: true,
          FilterExpression: '#status = :active',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':active': 'active' },
        },
        'reading the grants for a review snapshot',
      );
      for (const item of items) {
        const { employeeId, grantKey, entitlementId, source, grantedAt } = item;
        if (typeof employeeId === 'string' && typeof grantKey === 'string' && typeof entitlementId === 'string' && typeof source === 'string') {
          grants.push({ employeeId, grantKey, entitlementId, source, ...(typeof grantedAt === 'string' ? { since: grantedAt } : {}) });
        }
      }
      return grants;
    },

    async people() {
      const people = new Map<string, PersonFacts>();
      const items = await queryAll(
        client,
        {
          TableName: options.employeesTable,
          IndexName: 'byStatus',
          KeyConditionExpression: '#status = :active',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':active': 'active' },
        },
        'reading the people for a review snapshot',
      );
      for (const item of items) {
        const { employeeId, email, managerEmail, department, displayName } = item;
        if (typeof employeeId !== 'string' || typeof email !== 'string') continue;
        people.set(employeeId, {
          employeeId,
          email,
          ...(typeof displayName === 'string' ? { name: displayName } : {}),
          ...(typeof managerEmail === 'string' ? { managerEmail } : {}),
          ...(typeof department === 'string' ? { department } : {}),
        });
      }
      return people;
    },
  };
}
