import type { z } from 'zod';
import { AwsError } from '../core/aws-error.ts';

/**
 * Parses an operation's input with a zod schema; a failure becomes `code` (by default
 * ValidationException) with a message naming the offending member, AWS style.
 */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown, code = 'ValidationException'): z.output<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const field = issue && issue.path.length > 0 ? issue.path.map(String).join('.') : 'input';
  throw new AwsError(code, `1 validation error detected: Value at '${field}' failed to satisfy constraint: ${issue?.message ?? 'invalid'}`);
}

export interface Page<T> {
  items: T[];
  nextToken?: string;
}

/**
 * One page of `items` (already sorted by `key`, ascending unless `order` is desc),
 * resuming after the key encoded in `nextToken`, so items added or removed between
 * pages do not shift it. A token that was not minted here raises `invalidToken()`.
 */
export function paginate<T>(
  items: T[],
  key: (item: T) => string,
  maxResults: number | undefined,
  nextToken: string | undefined,
  invalidToken: () => AwsError,
  order: 'asc' | 'desc' = 'asc',
): Page<T> {
  let start = 0;
  if (nextToken !== undefined) {
    let after: unknown;
    try {
      after = (JSON.parse(Buffer.from(nextToken, 'base64url').toString('utf8')) as { after?: unknown }).after;
    } catch {
      throw invalidToken();
    }
    if (typeof after !== 'string') throw invalidToken();
    start = items.findIndex((item) => (order === 'asc' ? key(item) > after : key(item) < after));
    if (start < 0) start = items.length;
  }
  const size = maxResults ?? 100;
  const page = items.slice(start, start + size);
  const last = page.at(-1);
  const more = start + size < items.length && last !== undefined;
  return more
    ? { items: page, nextToken: Buffer.from(JSON.stringify({ after: key(last) })).toString('base64url') }
    : { items: page };
}
