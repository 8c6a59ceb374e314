import { TransientError } from '../../domain/shared/errors.ts';
import { isTransientAwsError } from '../../domain/shared/transient.ts';


/**
 * The one place that decides which AWS SDK failures a retry can fix. Throttling, 5xx and
 * dropped connections (after the SDK's own retries gave up) become `TransientError`, which
 * every Task's ASL `Retry` matches; anything else is rethrown unchanged, keeping its name.
 */

/** The error's name (AWS's error code for SDK errors), if it is an Error. */
export const awsErrorName = (error: unknown): string | undefined => (error instanceof Error ? error.name : undefined);

/** True when `error` is an SDK error with one of `names` (e.g. `ConflictException`, `InvalidVolume.NotFound`). */
export const isAwsError = (error: unknown, ...names: string[]): boolean => {
  const name = awsErrorName(error);
  return name !== undefined && names.includes(name);
};

/** `TransientError` (with the SDK error as cause) for a transient failure; the error itself otherwise. */
export function asTransient(error: unknown, doing: string): unknown {
  if (error instanceof TransientError || !isTransientAwsError(error)) return error;
  return new TransientError(`${doing} failed: ${awsErrorName(error) ?? 'unknown error'}`, { cause: error });
}

/** Runs one SDK call, mapping transient failures to `TransientError`. */
export async function callAws<T>(doing: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw asTransient(error, doing);
  }
}

/** A conditional write (or a transaction with one) whose condition did not hold. */
export const isConditionFailure = (error: unknown): boolean => isAwsError(error, 'ConditionalCheckFailedException', 'TransactionCanceledException');

/** A conditional write through `callAws`: true when written, false when its condition did not hold; any other failure is thrown (transient ones as `TransientError`). */
export async function conditionalWrite(doing: string, call: () => Promise<unknown>): Promise<boolean> {
  try {
    await callAws(doing, call);
    return true;
  } catch (error) {
    if (isConditionFailure(error)) return false;
    throw error;
  }
}
