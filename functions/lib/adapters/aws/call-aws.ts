import { TransientError } from '../../domain/shared/errors.ts';

/**
 * The one place that decides which AWS SDK failures a retry can fix. Throttling, 5xx and
 * dropped connections (after the SDK's own retries gave up) become `TransientError`, which
 * every Task's ASL `Retry` matches; anything else is rethrown unchanged, keeping its name.
 */

const TRANSIENT_NAMES = new Set([
  // throttling
  'ThrottlingException',
  'Throttling',
  'ThrottledException',
  'RequestLimitExceeded',
  'TooManyRequestsException',
  'RequestThrottled',
  'RequestThrottledException',
  'ProvisionedThroughputExceededException',
  'SlowDown',
  'EC2ThrottledException',
  // server side
  'InternalServerException',
  'InternalServerError',
  'InternalError',
  'InternalFailure',
  'ServiceUnavailable',
  'ServiceUnavailableException',
  'Unavailable',
  'RequestTimeout',
  'RequestTimeoutException',
  // client side timeouts
  'TimeoutError',
]);

const NETWORK_CODES = new Set(['ECONNRESET', 'ECONNREFUSED', 'ETIMEDOUT', 'EPIPE', 'EAI_AGAIN', 'ECONNABORTED']);

interface SdkErrorShape {
  $fault?: unknown;
  $retryable?: unknown;
  $metadata?: { httpStatusCode?: unknown };
  code?: unknown;
}

/** The error's name (AWS's error code for SDK errors), if it is an Error. */
export const awsErrorName = (error: unknown): string | undefined => (error instanceof Error ? error.name : undefined);

/** True when `error` is an SDK error with one of `names` (e.g. `ConflictException`, `InvalidVolume.NotFound`). */
export const isAwsError = (error: unknown, ...names: string[]): boolean => {
  const name = awsErrorName(error);
  return name !== undefined && names.includes(name);
};

export function isTransientAwsError(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  if (TRANSIENT_NAMES.has(error.name)) return true;
  const shape = error as Error & SdkErrorShape;
  const status = shape.$metadata?.httpStatusCode;
  if (shape.$fault === 'server' || shape.$retryable !== undefined) return true;
  if (typeof status === 'number' && (status >= 500 || status === 429)) return true;
  return typeof shape.code === 'string' && NETWORK_CODES.has(shape.code);
}

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
