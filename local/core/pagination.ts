import { z } from 'zod';
import type { AwsError } from './aws-error.ts';

/**
 * Paging for every emulated List/Describe operation. A NextToken is opaque to clients:
 * base64url JSON bound to one listing (`scope`) that holds where the next page starts,
 * either an offset or, for listings sorted by a key, the last key served (so items
 * added or removed between pages do not shift the next one).
 */

export interface PageRequest<T> {
  /** The listing a token belongs to (operation and whatever shapes it); another listing's token is refused. */
  scope: string;
  maxResults: number | undefined;
  nextToken: string | undefined;
  /** The service's own error for a token it did not mint. */
  invalidToken: (nextToken: string) => AwsError;
  /** Page size when maxResults is absent or 0; `Infinity` serves the rest of the listing. */
  defaultPageSize?: number;
  /** Resume after the last key served instead of at an offset; `items` must be sorted by `key` in `order`. */
  resumeAfter?: { key: (item: T) => string; order?: 'asc' | 'desc' };
}

export interface Page<T> {
  items: T[];
  nextToken?: string;
}

const DEFAULT_PAGE_SIZE = 100;

/** One page of `items`, starting where `nextToken` says. */
export function paginate<T>(items: T[], request: PageRequest<T>): Page<T> {
  const start = request.nextToken === undefined ? 0 : startOf(items, request.nextToken, request);
  const { maxResults, defaultPageSize = DEFAULT_PAGE_SIZE, resumeAfter, scope } = request;
  const size = maxResults !== undefined && maxResults > 0 ? maxResults : defaultPageSize;
  const page = items.slice(start, start + size);
  const last = page.at(-1);
  if (start + size >= items.length || last === undefined) return { items: page };
  const position = resumeAfter ? { scope, after: resumeAfter.key(last) } : { scope, offset: start + size };
  return { items: page, nextToken: Buffer.from(JSON.stringify(position)).toString('base64url') };
}

function startOf<T>(items: T[], nextToken: string, { scope, resumeAfter, invalidToken }: PageRequest<T>): number {
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(nextToken, 'base64url').toString('utf8'));
  } catch {
    throw invalidToken(nextToken);
  }
  const token = z
    .object({ scope: z.literal(scope), offset: z.number().int().min(0).optional(), after: z.string().optional() })
    .safeParse(decoded);
  if (!token.success) throw invalidToken(nextToken);
  const { offset, after } = token.data;
  if (!resumeAfter) {
    if (offset === undefined) throw invalidToken(nextToken);
    return offset;
  }
  if (after === undefined) throw invalidToken(nextToken);
  const { key, order = 'asc' } = resumeAfter;
  const index = items.findIndex((item) => (order === 'asc' ? key(item) > after : key(item) < after));
  return index < 0 ? items.length : index;
}
