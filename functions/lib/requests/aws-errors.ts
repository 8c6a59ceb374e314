import { TransientError } from '../errors.ts';

/**
 * How adapters tell AWS errors apart without importing each service's exception classes:
 * by `name` and the SDK's `$fault`. Throttling and server faults the SDK gave up on become
 * TransientError (which the state machines retry); anything else is rethrown unchanged.
 */
const THROTTLING = new Set([
  'ProvisionedThroughputExceededException',
  'ThrottlingException',
  'Throttling',
  'TooManyRequestsException',
  'RequestLimitExceeded',
  'LimitExceededException',
  'InternalServerError',
  'InternalFailure',
  'ServiceUnavailable',
  'ServiceUnavailableException',
]);

export const awsErrorName = (error: unknown): string | undefined => (error instanceof Error ? error.name : undefined);

export function asTransient(error: unknown, doing: string): unknown {
  const fault = error instanceof Error && '$fault' in error ? error.$fault : undefined;
  const name = awsErrorName(error);
  if (fault === 'server' || (name !== undefined && THROTTLING.has(name))) {
    return new TransientError(`${doing} failed (${name ?? 'unknown'})`, { cause: error });
  }
  return error;
}

/** A conditional write (or a transaction with one) whose condition did not hold. */
export const isConditionFailure = (error: unknown): boolean => {
  const name = awsErrorName(error);
  return name === 'ConditionalCheckFailedException' || name === 'TransactionCanceledException';
};
