/**
 * The one AWS paging loop for NextToken-style list and describe calls: `fetchPage` gets the
 * previous page's token (undefined for the first) and returns that page's items and the next
 * token; an absent or empty token ends the listing. `fetchPage` makes its call through
 * `callAws`. https://docs.aws.amazon.com/sdk-for-javascript/v3/developer-guide/pagination.html
 */
export type FetchPage<T> = (token: string | undefined) => Promise<{ items: T[]; next?: string | undefined }>;

/** Each page's items, in order; stopping the iteration (`break`, `return`) fetches no further page. */
export async function* pagesOf<T>(fetchPage: FetchPage<T>): AsyncGenerator<T[]> {
  let token: string | undefined;
  do {
    const page = await fetchPage(token);
    yield page.items;
    token = page.next;
  } while (token);
}

/** Every item of every page, in order; with `limit`, stops fetching once that many are read (and returns at most that many). */
export async function allPages<T>(fetchPage: FetchPage<T>, options: { limit?: number } = {}): Promise<T[]> {
  const items: T[] = [];
  for await (const page of pagesOf(fetchPage)) {
    items.push(...page);
    if (options.limit !== undefined && items.length >= options.limit) return items.slice(0, options.limit);
  }
  return items;
}
