import { STATES_TIMEOUT, TASK_FAILED, isTerminal } from './errors.ts';
import { isJsonObject, type JsonValue } from './types.ts';

/**
 * Retry, run by the emulator rather than by aws-local-stepfunctions, so that every attempt
 * and every backoff deadline can be journaled and resumed after a crash
 * (https://docs.aws.amazon.com/step-functions/latest/dg/concepts-error-handling.html#error-handling-retrying-after-an-error):
 * - the first retrier whose ErrorEquals matches decides; once its MaxAttempts are used up
 *   the error is not retried, even if a later retrier would match;
 * - `States.ALL` matches any error but the terminal ones (States.Runtime, States.DataLimitExceeded);
 *   in a Task state `States.TaskFailed` matches any error except States.Timeout;
 * - the wait is IntervalSeconds x BackoffRate^(retries so far), capped by MaxDelaySeconds;
 *   JitterStrategy FULL draws it uniformly from [0, wait).
 * A retrier's counter spans all its visits within one entry of the state.
 */
export interface Retrier {
  errorEquals: string[];
  intervalSeconds: number;
  maxAttempts: number;
  backoffRate: number;
  maxDelaySeconds?: number;
  jitter: 'FULL' | 'NONE';
}

export function parseRetriers(value: JsonValue | undefined): Retrier[] {
  if (!Array.isArray(value)) return [];
  return value.filter(isJsonObject).map((r) => ({
    errorEquals: Array.isArray(r.ErrorEquals) ? r.ErrorEquals.filter((e): e is string => typeof e === 'string') : [],
    intervalSeconds: typeof r.IntervalSeconds === 'number' ? r.IntervalSeconds : 1,
    maxAttempts: typeof r.MaxAttempts === 'number' ? r.MaxAttempts : 3,
    backoffRate: typeof r.BackoffRate === 'number' ? r.BackoffRate : 2,
    ...(typeof r.MaxDelaySeconds === 'number' ? { maxDelaySeconds: r.MaxDelaySeconds } : {}),
    jitter: r.JitterStrategy === 'FULL' ? 'FULL' : 'NONE',
  }));
}

/** Whether an ErrorEquals entry matches an error, in a state of the given type. */
export function errorMatches(entry: string, error: string, inTask: boolean): boolean {
  if (isTerminal(error)) return false;
  if (entry === error || entry === 'States.ALL') return true;
  return inTask && entry === TASK_FAILED && error !== STATES_TIMEOUT;
}

export type RetryDecision = { retry: false } | { retry: true; retrier: number; delayMs: number };

/** What to do after a failed attempt; `counts` are the retries each retrier has made so far. */
export function decideRetry(retriers: Retrier[], counts: readonly number[], error: string, inTask: boolean, random = Math.random): RetryDecision {
  const index = retriers.findIndex((r) => r.errorEquals.some((entry) => errorMatches(entry, error, inTask)));
  if (index < 0) return { retry: false };
  const retrier = retriers[index]!;
  const done = counts[index] ?? 0;
  if (done >= retrier.maxAttempts) return { retry: false };
  let seconds = retrier.intervalSeconds * Math.pow(retrier.backoffRate, done);
  if (retrier.maxDelaySeconds !== undefined) seconds = Math.min(seconds, retrier.maxDelaySeconds);
  const delayMs = retrier.jitter === 'FULL' ? Math.floor(random() * seconds * 1000) : Math.round(seconds * 1000);
  return { retry: true, retrier: index, delayMs };
}
