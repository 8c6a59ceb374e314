import { QueryCommand, ScanCommand, type DynamoDBDocumentClient, type QueryCommandInput, type ScanCommandInput } from '@aws-sdk/lib-dynamodb';
import { callAws } from '../aws/call-aws.ts';

/**
 * The one DynamoDB paging loop: a Query or Scan returns at most 1 MB per call and says where to
 * go on in `LastEvaluatedKey`; these follow it to the end. Each page goes through `callAws`, so a
 * throttle on any page is a `TransientError` that the Task's Retry finishes.
 * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Query.Pagination.html
 */

type Send = Pick<DynamoDBDocumentClient, 'send'>;
type Item = Record<string, unknown>;

/** Every item the Query matches, page by page, in the order DynamoDB returns them. */
export async function queryAll(client: Send, input: QueryCommandInput, doing: string): Promise<Item[]> {
  const items: Item[] = [];
  let start: Item | undefined;
  do {
    const page = await callAws(doing, () => client.send(new QueryCommand({ ...input, ...(start ? { ExclusiveStartKey: start } : {}) })));
    items.push(...(page.Items ?? []));
    start = page.LastEvaluatedKey;
  } while (start);
  return items;
}

/** Every item of the Scan, page by page. */
export async function scanAll(client: Send, input: ScanCommandInput, doing: string): Promise<Item[]> {
  const items: Item[] = [];
  let start: Item | undefined;
  do {
    const page = await callAws(doing, () => client.send(new ScanCommand({ ...input, ...(start ? { ExclusiveStartKey: start } : {}) })));
    items.push(...(page.Items ?? []));
    start = page.LastEvaluatedKey;
  } while (start);
  return items;
}
