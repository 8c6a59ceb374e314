import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import type { z } from 'zod';
import { ValidationError } from '../domain/shared/errors.ts';
import { logger } from './logger.ts';

/** Fields every Step Functions task payload may carry, appended to log lines. */
const LOG_KEYS = ['employeeId', 'requestId', 'executionName'] as const;

/** Formats a zod error as `field.path: message; ...` so the failing field is named. */
export function describeIssues(error: z.ZodError): string {
  return error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`).join('; ');
}

/** Parses `input` with `schema`, throwing ValidationError naming each bad field. */
export function parseOrThrow<T extends z.ZodType>(schema: T, input: unknown, what: string): z.infer<T> {
  const parsed = schema.safeParse(input);
  if (!parsed.success) throw new ValidationError(`invalid ${what}: ${describeIssues(parsed.error)}`);
  return parsed.data;
}

/**
 * A Step Functions task handler: parse the payload with its schema (ValidationError,
 * which the state machine does not retry), append ids to the logger, run the use case.
 * Errors propagate with their `name`, which the ASL Retry/Catch match on.
 */
export function taskHandler<T extends z.ZodType, R>(schema: T, run: (input: z.infer<T>, context: Context) => Promise<R>) {
  return middy<unknown, R>()
    .use(injectLambdaContext(logger, { resetKeys: true }))
    .handler(async (event, context) => {
      const input = parseOrThrow(schema, event, 'task input');
      const keys: Record<string, unknown> = {};
      if (input && typeof input === 'object') {
        for (const key of LOG_KEYS) if (key in input) keys[key] = (input as Record<string, unknown>)[key];
      }
      logger.appendKeys(keys);
      return run(input, context);
    });
}
