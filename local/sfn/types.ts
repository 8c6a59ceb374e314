import type { RunOptions } from 'aws-local-stepfunctions';

type LocalHandlers = NonNullable<NonNullable<RunOptions['overrides']>['taskResourceLocalHandlers']>;
/** A local Task handler as aws-local-stepfunctions calls it. */
export type TaskHandler = LocalHandlers[string];
/** The JSON value type the library passes around. */
export type JsonValue = Parameters<TaskHandler>[0];
export type JsonObject = { [key: string]: JsonValue };

export const isJsonObject = (value: unknown): value is JsonObject =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** What the emulator needs from the outside world. */
export interface SfnOptions {
  /** name -> ASL JSON text with ${...} substitutions already applied. ARN = stateMachineArn(name). */
  machines: Record<string, string>;
  /** In-process Lambda invoke: returns the function's result or throws an Error whose .name is the error type. */
  invokeFunction(functionArn: string, payload: unknown): Promise<unknown>;
  /** Longest single sleep of a Wait state (default 20 days); tests shorten it to see long waits re-armed. */
  waitChunkMs?: number;
}

/**
 * An error a Task state fails with: `name` is the ASL error name Retry/Catch match on,
 * `message` becomes the Cause.
 */
export class TaskError extends Error {
  constructor(name: string, cause: string) {
    super(cause);
    this.name = name;
  }
}

/**
 * Raised inside a run that was stopped (StopExecution or emulator stop): neither retried
 * nor caught, so the interpreter unwinds at once.
 */
export class RunAbortedError extends Error {
  readonly isRetryable = false;
  readonly isCatchable = false;
  constructor() {
    super('Execution was stopped');
    this.name = 'States.Runtime';
  }
}
