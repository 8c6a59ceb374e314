import { GetCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { callAws, conditionalWrite } from '../aws/call-aws.ts';
import type { EndChange, ExtendOutcome } from '../../domain/time-bound/ports.ts';

/**
 * Moving the end of a time-bound grant (an approved extension), for the two items that keep it:
 * the grant item (`status` active) and the request item (`status` granted). One conditional
 * UpdateItem: still live, still ending at `from`, and `from` still after `now` (ISO-8601 in whole
 * seconds compares as text), so an ended or expired grant is never brought back and two extensions
 * asked against the same end move it once. When the condition fails, one consistent read tells a
 * retry of the same extension (`already`: it ends at `to`, moved by `by`) from a refusal.
 */
export async function moveEnd(
  options: { client: Pick<DynamoDBDocumentClient, 'send'>; tableName: string; key: Record<string, string>; liveStatus: 'active' | 'granted'; doing: string },
  change: EndChange,
): Promise<ExtendOutcome> {
  const { client, tableName: TableName, key: Key } = options;
  const moved = await conditionalWrite(options.doing, () =>
    client.send(
      new UpdateCommand({
        TableName,
        Key,
        UpdateExpression: 'SET expiresAt = :to, extendedBy = :by',
        ConditionExpression: '#status = :live AND expiresAt = :from AND expiresAt > :now',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':live': options.liveStatus, ':from': change.from, ':to': change.to, ':by': change.by, ':now': change.now },
      }),
    ),
  );
  if (moved) return { result: 'extended' };
  const { Item: item } = await callAws(`${options.doing} (reading it back)`, () => client.send(new GetCommand({ TableName, Key, ConsistentRead: true })));
  if (item?.status === options.liveStatus && item.expiresAt === change.to && item.extendedBy === change.by) return { result: 'already' };
  return { result: 'refused', ...(typeof item?.status === 'string' ? { status: item.status } : {}), ...(typeof item?.expiresAt === 'string' ? { expiresAt: item.expiresAt } : {}) };
}
