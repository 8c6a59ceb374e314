import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { queryPages } from './pages.ts';
import { RUN_SUBJECT } from '../../domain/reconcile/reconcile.ts';
import { auditEntrySchema } from '../../domain/audit/entry.ts';
import type { RunLog } from '../../domain/reconcile/ports.ts';

export function createRunLog(deps: { client: Pick<DynamoDBDocumentClient, 'send'>; tableName: string }): RunLog {
  return {
    async find(idempotencyKey, runDate) {
      const pages = queryPages(
        deps.client,
        {
          TableName: deps.tableName,
          KeyConditionExpression: '#subject = :subject',
          ExpressionAttributeNames: { '#subject': 'subject' },
          ExpressionAttributeValues: { ':subject': RUN_SUBJECT },
          ScanIndexForward: false,
          ConsistentRead: true,
          Limit: 25,
        },
        'reading the reconciliation run log',
      );
      // Newest first: stop at the key, or at the first entry older than the run date.
      for await (const page of pages) {
        for (const item of page) {
          const entry = auditEntrySchema.parse(item);
          if (entry.idempotencyKey === idempotencyKey) return entry;
          if (entry.day < runDate) return undefined;
        }
      }
      return undefined;
    },
  };
}
