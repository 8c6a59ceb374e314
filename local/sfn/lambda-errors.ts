import { TaskError } from './errors.ts';

/**
 * The error names Step Functions gives a failed Lambda invoke
 * (https://docs.aws.amazon.com/step-functions/latest/dg/bp-lambda-serviceexception.html):
 * - the function threw: its `errorType` (the error's name), the cause the function's error JSON;
 * - the function failed without an error type — "Unhandled errors in Lambda are reported as
 *   `Lambda.Unknown` in the error output. These include out-of-memory errors and function
 *   timeouts." — with the cause Step Functions writes around Lambda's payload;
 * - the Lambda service refused the call: `Lambda.<Exception>` (ResourceNotFoundException,
 *   TooManyRequestsException, ServiceException, ...).
 * An in-process invoke tells these apart by the shape of what it throws (see lambda-runtime.ts).
 */
export const LAMBDA_UNKNOWN = 'Lambda.Unknown';

/** Lambda answered FunctionError "Unhandled" with a payload that names no error type. */
export interface UntypedFunctionError extends Error {
  readonly functionError: 'Unhandled';
  readonly payload: { errorMessage: string };
}

/** The Lambda service itself refused the invoke (`name` is its exception, e.g. ResourceNotFoundException). */
export interface LambdaServiceError extends Error {
  readonly lambdaServiceError: true;
}

const isUntyped = (error: Error): error is UntypedFunctionError =>
  (error as Partial<UntypedFunctionError>).functionError === 'Unhandled' && typeof (error as Partial<UntypedFunctionError>).payload === 'object';
const isServiceError = (error: Error): error is LambdaServiceError => (error as Partial<LambdaServiceError>).lambdaServiceError === true;

/** The Task error a failed Lambda invoke becomes. */
export function lambdaFailure(thrown: unknown): TaskError {
  const error = thrown instanceof Error ? thrown : new Error(String(thrown));
  if (isUntyped(error)) {
    return new TaskError(LAMBDA_UNKNOWN, `The cause could not be determined because Lambda did not return an error type. Returned payload: ${JSON.stringify(error.payload)}`);
  }
  if (isServiceError(error)) return new TaskError(`Lambda.${error.name}`, error.message);
  const cause = { errorMessage: error.message, errorType: error.name, ...(error.stack ? { trace: error.stack.split('\n') } : {}) };
  return new TaskError(error.name, JSON.stringify(cause));
}
