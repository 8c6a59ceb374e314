import { ValidationError } from '../../domain/shared/errors.ts';

/** `nextToken` of the console's lists: DynamoDB's LastEvaluatedKey as base64url JSON; opaque to callers. */
export const encodeToken = (key: Record<string, unknown> | undefined): string | null => (key ? Buffer.from(JSON.stringify(key), 'utf8').toString('base64url') : null);

export function decodeToken(token: string | undefined): Record<string, unknown> | undefined {
  if (token === undefined || token === '') return undefined;
  try {
    const value = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as unknown;
    if (value && typeof value === 'object' && !Array.isArray(value)) return value as Record<string, unknown>;
  } catch {
    // fall through
  }
  throw new ValidationError('nextToken: not a token this API returned');
}
