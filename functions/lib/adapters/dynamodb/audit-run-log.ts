import { QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { asTransient } from '../aws/call-aws.ts';
import { auditEntrySchema, type AuditEntry } from '../../domain/audit/entry.ts';

/**
 * Run-level reconciliation entries live in the audit table under one subject. Before a run
 * e-mails operators it looks for the entry that records the e-mail of the same run date: found
 * means a retried invocation already sent it. Newest first, stopping at the first entry of an
 * earlier day, so a lookup reads a day's worth of runs, not the partition.
 */
export const RUN_SUBJECT = 'reconciliation';

export interface RunLog {
  /** The run entry with this idempotency key written on or after `runDate`, if any. */
  find(idempotencyKey: string, runDate: string): Promise<AuditEntry | undefined>;
}

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
