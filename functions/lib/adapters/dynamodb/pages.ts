import { QueryCommand, ScanCommand, type DynamoDBDocumentClient, type QueryCommandInput, type ScanCommandInput } from '@aws-sdk/lib-dynamodb';
import { callAws } from '../aws/call-aws.ts';

/**
 * The one DynamoDB paging loop: a Query or Scan returns at most 1 MB (or `Limit` items) per call
 * and says where to go on in `LastEvaluatedKey`; these follow it to the end, or until the caller
 * stops. Each page goes through `callAws`, so a throttle on any page is a `TransientError` that
 * the Task's Retry finishes.
 * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Query.Pagination.html
 * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Scan.html#Scan.Pagination
 */

/** Both the document client and the low-level client answer Query and Scan with `Items` and `LastEvaluatedKey`. */
interface Page {
  Items?: Item[] | undefined;
  LastEvaluatedKey?: Item | undefined;
}
type Item = Record<string, unknown>;
type Send = Pick<DynamoDBDocumentClient, 'send'>;
/** The call for one page, given where to start (undefined for the first); made inside `callAws`. */
export type ReadPage = (start: Item | undefined) => Promise<Page>;

/**
 * Each page's items, in order; stopping the iteration (`break`, `return`) reads no further page.
 * `first` resumes a listing where an earlier page ended (its `LastEvaluatedKey`).
 */
export async function* itemPages(doing: string, readPage: ReadPage, first?: Item): AsyncGenerator<Item[]> {
  let start: Item | undefined = first;
  do {
    const page = await callAws(doing, () => readPage(start));
    yield page.Items ?? [];
    start = page.LastEvaluatedKey;
  } while (start);
}

/** Every item over all pages; with `limit`, stops reading once that many are read (and returns at most that many). */
async function collect(pages: AsyncGenerator<Item[]>, limit: number | undefined): Promise<Item[]> {
  const items: Item[] = [];
  for await (const page of pages) {
    items.push(...page);
    if (limit !== undefined && items.length >= limit) return items.slice(0, limit);
  }
  return items;
}

const from = (start: Item | undefined) => (start ? { ExclusiveStartKey: start } : {});

/** Each page of the Query (document client), in order, from `input.ExclusiveStartKey` if it has one. */
export const queryPages = (client: Send, input: QueryCommandInput, doing: string): AsyncGenerator<Item[]> =>
  itemPages(doing, (start) => client.send(new QueryCommand({ ...input, ...from(start) })), input.ExclusiveStartKey);

/** Each page of the Scan (document client), in order, from `input.ExclusiveStartKey` if it has one. */
export const scanPages = (client: Send, input: ScanCommandInput, doing: string): AsyncGenerator<Item[]> =>
  itemPages(doing, (start) => client.send(new ScanCommand({ ...input, ...from(start) })), input.ExclusiveStartKey);

/** Every item the Query matches, page by page, in the order DynamoDB returns them (at most `limit`). */
export const queryAll = (client: Send, input: QueryCommandInput, doing: string, options: { limit?: number } = {}): Promise<Item[]> =>
  collect(queryPages(client, input, doing), options.limit);

/** Every item of the Scan, page by page (at most `limit`). */
export const scanAll = (client: Send, input: ScanCommandInput, doing: string, options: { limit?: number } = {}): Promise<Item[]> =>
  collect(scanPages(client, input, doing), options.limit);
