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
