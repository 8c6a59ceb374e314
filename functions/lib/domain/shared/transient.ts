/**
 * Which failures a retry can fix, by the shape AWS SDK v3 errors have (name, `$fault`,
 * `$retryable`, HTTP status) and Node's network error codes. Pure: aws/call-aws.ts
 * turns these into `TransientError`; compensation uses it to tell "try again" from "give up".
 * SDK error shape: https://docs.aws.amazon.com/sdk-for-javascript/v3/developer-guide/handling-exceptions.html
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

export function isTransientAwsError(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  if (TRANSIENT_NAMES.has(error.name)) return true;
  const shape = error as Error & SdkErrorShape;
  const status = shape.$metadata?.httpStatusCode;
  if (shape.$fault === 'server' || shape.$retryable !== undefined) return true;
  if (typeof status === 'number' && (status >= 500 || status === 429)) return true;
  return typeof shape.code === 'string' && NETWORK_CODES.has(shape.code);
}
