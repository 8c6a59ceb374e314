import type { RunOptions } from 'aws-local-stepfunctions';

type LocalHandlers = NonNullable<NonNullable<RunOptions['overrides']>['taskResourceLocalHandlers']>;
/** A local Task handler as aws-local-stepfunctions calls it. */
export type TaskHandler = LocalHandlers[string];
/** The JSON value type the library passes around. */
export type JsonValue = Parameters<TaskHandler>[0];
export type JsonObject = { [key: string]: JsonValue };

export const isJsonObject = (value: unknown): value is JsonObject =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** JSON round trip: what crosses a service boundary is serialised, so nothing else leaks. */
export const asJson = (value: unknown): JsonValue => (value === undefined ? null : (JSON.parse(JSON.stringify(value)) as JsonValue));

/** What the emulator needs from the outside world. */
export interface SfnOptions {
  /** name -> ASL JSON text with ${...} substitutions already applied. ARN = stateMachineArn(name). */
  machines: Record<string, string>;
  /** In-process Lambda invoke: returns the function's result or throws (see lambda-errors.ts for the names). */
  invokeFunction(functionArn: string, payload: unknown): Promise<unknown>;
  /** Longest single sleep of a long-running state (default 20 days); tests shorten it to see long waits re-armed. */
  waitChunkMs?: number;
  /** Multiplies every Retry backoff (default 1): tests compress time with e.g. 0.05. */
  retryDelayScale?: number;
  /** `<machine>/<state>[#n][@<execution name>]`: SIGKILL this process when that state is entered (crash tests). */
  crashAt?: string;
}
