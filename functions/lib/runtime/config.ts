import type { z } from 'zod';
import { ConfigError } from '../domain/shared/errors.ts';

/**
 * Parses a function's environment with its schema, once, at cold start. A missing or
 * malformed variable fails the container with a message naming it.
 */
export function loadConfig<T extends z.ZodType>(schema: T, env: NodeJS.ProcessEnv = process.env): z.infer<T> {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ');
    throw new ConfigError(`invalid function configuration: ${problems}`);
  }
  return parsed.data;
}
