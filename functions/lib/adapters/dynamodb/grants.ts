import { QueryCommand, ScanCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { asTransient, isConditionFailure } from '../aws/call-aws.ts';

/**
 * The `grants` table reads and the one close that every workflow shares (joiner items,
 * mover, leaver, time-bound access). Reads are consistent and follow every page; a grant is
 * closed once (`active` -> `revoked` | `expired`), with the closing execution as `revokedBy`
 * so a retry can find what it closed itself.
 */

export interface GrantItemsTable {
  client: Pick<DynamoDBDocumentClient, 'send'>;
  tableName: string;
}

/** Every item of the employee (any source, any status), raw; the caller parses what it reads. */
export async function grantItemsOf({ client, tableName }: GrantItemsTable, employeeId: string): Promise<Record<string, unknown>[]> {
  const items: Record<string, unknown>[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const page = await client
      .send(
        new QueryCommand({
          TableName: tableName,
          KeyConditionExpression: 'employeeId = :e',
          ExpressionAttributeValues: { ':e': employeeId },
          ConsistentRead: true,
          ExclusiveStartKey: start,
        }),
      )
      .catch((error: unknown) => {
        throw asTransient(error, 'reading grants');
      });
    items.push(...(page.Items ?? []));
    start = page.LastEvaluatedKey;
  } while (start);
  return items;
}

/** Every active item of the table (any employee, any source), raw, page by page: a whole-company read. */
export async function* scanActiveGrantItems({ client, tableName }: GrantItemsTable): AsyncGenerator<Record<string, unknown>> {
  let start: Record<string, unknown> | undefined;
  do {
    const page = await client
      .send(
        new ScanCommand({
          TableName: tableName,
          ConsistentRead: true,
          FilterExpression: '#status = :active',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':active': 'active' },
          ExclusiveStartKey: start,
        }),
      )
      .catch((error: unknown) => {
        throw asTransient(error, 'scanning grants');
      });
    yield* page.Items ?? [];
    start = page.LastEvaluatedKey;
  } while (start);
}

export interface GrantClosing {
  employeeId: string;
  grantKey: string;
  status: 'revoked' | 'expired';
  at: string;
  /** The closing execution's name, kept as `revokedBy`. */
  by: string;
}

/** true when this call closed an active item; false when it was not active (closed before, or gone). */
export async function closeGrantItem({ client, tableName }: GrantItemsTable, closing: GrantClosing, doing = 'closing a grant'): Promise<boolean> {
  const { employeeId, grantKey, status, at, by } = closing;
  try {
    await client.send(
      new UpdateCommand({
        TableName: tableName,
        Key: { employeeId, grantKey },
        UpdateExpression: 'SET #status = :status, revokedAt = :at, revokedBy = :by',
        ConditionExpression: '#status = :active',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':status': status, ':active': 'active', ':at': at, ':by': by },
      }),
    );
    return true;
  } catch (error) {
    if (isConditionFailure(error)) return false;
    throw asTransient(error, doing);
  }
}
