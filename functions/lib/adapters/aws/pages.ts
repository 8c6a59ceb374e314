/**
 * Every page of an AWS list or describe call, in order: `fetchPage` gets the previous page's
 * token (undefined for the first) and returns that page's items and the next token.
 */
export async function allPages<T>(fetchPage: (token: string | undefined) => Promise<{ items: T[]; next?: string | undefined }>): Promise<T[]> {
  const items: T[] = [];
  let token: string | undefined;
  do {
    const page = await fetchPage(token);
    items.push(...page.items);
    token = page.next;
  } while (token);
  return items;
}
