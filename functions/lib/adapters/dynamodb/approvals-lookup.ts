import { GetCommand, QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { z } from 'zod';
import { asTransient } from '../aws/call-aws.ts';

/** The approval an execution asked last: its public ref (never the id), status and expiry. */
export interface ApprovalSummary {
  ref: string;
  status: string;
  expiresAt: string;
}

export interface ApprovalLookup {
  latest(requestId: string, executionId: string): Promise<ApprovalSummary | undefined>;
}

const itemSchema = z.looseObject({
  itemType: z.literal('approval'),
  approvalId: z.string(),
  ref: z.string().min(1),
  executionId: z.string(),
  step: z.number(),
  status: z.string(),
  createdAt: z.string(),
  expiresAt: z.string(),
});
type Item = z.infer<typeof itemSchema>;

/**
 * Finds the execution's approvals through the `byRequest` index, then re-reads the newest one
 * consistently from the table: the index may lag a decision made a moment ago.
 */
export function createApprovalLookup(options: { client: DynamoDBDocumentClient; tableName: string }): ApprovalLookup {
  const { client, tableName: TableName } = options;
  return {
    async latest(requestId, executionId) {
      const found: Item[] = [];
      let start: Record<string, unknown> | undefined;
      try {
        do {
          const page = await client.send(
            new QueryCommand({
              TableName,
              IndexName: 'byRequest',
              KeyConditionExpression: 'requestId = :requestId',
              ExpressionAttributeValues: { ':requestId': requestId },
              ExclusiveStartKey: start,
            }),
          );
          for (const raw of page.Items ?? []) {
            const parsed = itemSchema.safeParse(raw);
            if (parsed.success && parsed.data.executionId === executionId) found.push(parsed.data);
          }
          start = page.LastEvaluatedKey;
        } while (start);
      } catch (error) {
        throw asTransient(error, 'finding the approvals of the request');
      }
      const newest = found.sort((a, b) => b.step - a.step || b.createdAt.localeCompare(a.createdAt))[0];
      if (!newest) return undefined;
      let fresh: Record<string, unknown> | undefined;
      try {
        ({ Item: fresh } = await client.send(new GetCommand({ TableName, Key: { approvalId: newest.approvalId }, ConsistentRead: true })));
      } catch (error) {
        throw asTransient(error, 'reading the approval');
      }
      const current = itemSchema.safeParse(fresh);
      const item = current.success ? current.data : newest;
      return { ref: item.ref, status: item.status, expiresAt: item.expiresAt };
    },
  };
}
