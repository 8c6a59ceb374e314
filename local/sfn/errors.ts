import './polyfill.ts';
import { ExecutionError, StateMachine, type StateMachineDefinition } from 'aws-local-stepfunctions';

/**
 * The errors a state fails with, as aws-local-stepfunctions must see them for Catch to match
 * the way Step Functions does (https://docs.aws.amazon.com/step-functions/latest/dg/concepts-error-handling.html):
 * - `name` is the error name Retry/Catch match on, `message` the Cause.
 * - States.Runtime and States.DataLimitExceeded are terminal: no retrier or catcher takes them
 *   ("States.ALL ... can't catch the States.DataLimitExceeded terminal error or Runtime error types").
 * - States.Timeout must be the library's own StatesTimeoutError: its Catch lets
 *   `States.TaskFailed` match every error but that class, as AWS does.
 */
export class TaskError extends Error {
  constructor(name: string, cause: string) {
    super(cause);
    this.name = name;
  }
}

export const STATES_RUNTIME = 'States.Runtime';
export const DATA_LIMIT_EXCEEDED = 'States.DataLimitExceeded';
export const STATES_TIMEOUT = 'States.Timeout';
export const HEARTBEAT_TIMEOUT = 'States.HeartbeatTimeout';
export const TASK_FAILED = 'States.TaskFailed';
const TERMINAL = new Set([STATES_RUNTIME, DATA_LIMIT_EXCEEDED]);

/** An error no Retry or Catch handles: the execution fails. */
export class TerminalError extends TaskError {
  readonly isRetryable = false;
  readonly isCatchable = false;
}

export const isTerminal = (name: string): boolean => TERMINAL.has(name);

/**
 * Raised inside a run that was stopped (StopExecution, emulator stop, a failed sibling
 * iteration): neither retried nor caught, so the interpreter unwinds at once, and never journaled.
 */
export class RunAbortedError extends Error {
  readonly isRetryable = false;
  readonly isCatchable = false;
  constructor() {
    super('Execution was stopped');
    this.name = STATES_RUNTIME;
  }
}

type ErrorClass = new () => Error;
let timeoutClass: Promise<ErrorClass> | undefined;

/** The library's StatesTimeoutError class, taken from a 1 ms Task timeout once (it is not exported). */
function statesTimeoutClass(): Promise<ErrorClass> {
  timeoutClass ??= (async () => {
    const probe = new StateMachine(
      { StartAt: 'P', States: { P: { Type: 'Task', Resource: 'arn:aws:lambda:us-east-1:000000000000:function:p', TimeoutSeconds: 0.001, End: true } } } as unknown as StateMachineDefinition,
      { validationOptions: { noValidate: true } },
    );
    const run = probe.run({}, { overrides: { taskResourceLocalHandlers: { P: () => new Promise(() => undefined) } } });
    const error: unknown = await run.result.then(
      () => undefined,
      (e: unknown) => e,
    );
    const cause = error instanceof ExecutionError ? error.cause : undefined;
    if (!(cause instanceof Error) || cause.name !== STATES_TIMEOUT) throw new Error('aws-local-stepfunctions did not raise its States.Timeout error');
    return cause.constructor as ErrorClass;
  })();
  return timeoutClass;
}

/** Loads what errorOf needs; call once before any run. */
export const prepareErrors = async (): Promise<void> => {
  await statesTimeoutClass();
};
let loadedTimeout: ErrorClass | undefined;
void statesTimeoutClass().then((c) => (loadedTimeout = c));

/** The Error a failed outcome is thrown as. */
export function errorOf(name: string, cause: string): Error {
  if (name === STATES_TIMEOUT && loadedTimeout) {
    const error = new loadedTimeout();
    error.message = cause;
    return error;
  }
  return isTerminal(name) ? new TerminalError(name, cause) : new TaskError(name, cause);
}

/** Error name and cause of anything thrown. */
export const describeError = (error: unknown): { error: string; cause: string } =>
  error instanceof Error ? { error: error.name, cause: error.message } : { error: TASK_FAILED, cause: String(error) };
