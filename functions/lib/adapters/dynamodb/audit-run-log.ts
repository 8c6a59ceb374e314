import { QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { asTransient } from '../aws/call-aws.ts';
import { RUN_SUBJECT } from '../../domain/reconcile/reconcile.ts';
import { auditEntrySchema } from '../../domain/audit/entry.ts';
import type { RunLog } from '../../domain/reconcile/ports.ts';

export function createRunLog(deps: { client: Pick<DynamoDBDocumentClient, 'send'>; tableName: string }): RunLog {
  return {
    async find(idempotencyKey, runDate) {
      let start: Record<string, unknown> | undefined;
      do {
        let page;
        try {
          page = await deps.client.send(
            new QueryCommand({
              TableName: deps.tableName,
              KeyConditionExpression: '#subject = :subject',
              ExpressionAttributeNames: { '#subject': 'subject' },
              ExpressionAttributeValues: { ':subject': RUN_SUBJECT },
              ScanIndexForward: false,
              ConsistentRead: true,
              Limit: 25,
              ExclusiveStartKey: start,
            }),
          );
        } catch (error) {
          throw asTransient(error, 'reading the reconciliation run log');
        }
        for (const item of page.Items ?? []) {
          const entry = auditEntrySchema.parse(item);
          if (entry.idempotencyKey === idempotencyKey) return entry;
          if (entry.day < runDate) return undefined;
        }
        start = page.LastEvaluatedKey;
      } while (start);
      return undefined;
    },
  };
}
