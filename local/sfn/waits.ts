import { setTimeout as sleep } from 'node:timers/promises';
import { LOCAL_ACCOUNT, LOCAL_REGION } from '../core/arn.ts';
import { RunAbortedError, TaskError, isJsonObject, type JsonObject, type JsonValue, type TaskHandler } from './types.ts';

/**
 * Wait states, run by us rather than by aws-local-stepfunctions.
 *
 * The library sleeps a Wait with one `setTimeout`, and Node fires any delay above 2^31-1 ms
 * (~24.8 days) after 1 ms: a future-dated hire's `Wait Until Lead Time` would pass at once.
 * `prepareDefinition` therefore turns every Wait into a Task state whose local handler
 * (`waitHandlers`) computes the instant from the same fields, sleeps in chunks below the
 * library's own Task timeout ceiling, and ends each chunk that is not the last with
 * WAIT_CONTINUES, which a private Retry (interval overridden to 0) re-enters at once.
 * The target instant is absolute (a Timestamp, or `$$.State.EnteredTime` + Seconds), so
 * chunks never drift. History still reads WaitStateEntered / WaitStateExited (the runner
 * maps the names back); InputPath / OutputPath keep their Wait meaning: the output is
 * the state's effective input.
 */
export const WAIT_CONTINUES = 'Gatehouse.WaitContinues';
/** Passes the library's Resource check; never invoked (the state is mapped to a local handler). */
const WAIT_RESOURCE = `arn:aws:lambda:${LOCAL_REGION}:${LOCAL_ACCOUNT}:function:gatehouse-local-wait-state`;
/** One sleep at most: below the Task timeout the converted state gets (MAX_TASK_TIMEOUT_SECONDS, ~24.8 days). */
export const DEFAULT_WAIT_CHUNK_MS = 20 * 24 * 60 * 60 * 1000;
/** AWS's own ceiling for Retry.MaxAttempts: chunks of 20 days outlast any real Wait. */
const MAX_ATTEMPTS = 99_999_999;
const MAX_SECONDS = 99_999_999;
const WAIT_FIELDS = ['Seconds', 'Timestamp', 'SecondsPath', 'TimestampPath'] as const;
/** RFC 3339 with a zone, as Step Functions requires of Wait timestamps. */
const RFC3339 = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])T([01]\d|2[0-3]):[0-5]\d:[0-5]\d(\.\d+)?(Z|[+-]([01]\d|2[0-3]):[0-5]\d)$/;

const isSeconds = (value: unknown): value is number => typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= MAX_SECONDS;
const isTimestamp = (value: unknown): value is string => typeof value === 'string' && RFC3339.test(value) && !Number.isNaN(Date.parse(value));

/**
 * The Task state standing in for Wait `name`; throws if the Wait is malformed (the
 * library's validator never sees the original, so its checks are repeated here).
 */
export function waitAsTask(name: string, wait: JsonObject): JsonObject {
  const given = WAIT_FIELDS.filter((field) => wait[field] !== undefined);
  if (given.length !== 1) throw new Error(`Wait state "${name}" needs exactly one of ${WAIT_FIELDS.join(', ')}`);
  const field = given[0];
  const value = wait[field as string];
  const parameters: JsonObject = { 'input.$': '$', 'enteredTime.$': '$$.State.EnteredTime' };
  if (field === 'Seconds') {
    if (!isSeconds(value)) throw new Error(`Wait state "${name}": Seconds must be an integer from 0 to ${MAX_SECONDS}`);
    parameters.seconds = value;
  } else if (field === 'Timestamp') {
    if (!isTimestamp(value)) throw new Error(`Wait state "${name}": Timestamp must be an RFC 3339 timestamp with a zone`);
    parameters.timestamp = value;
  } else {
    if (typeof value !== 'string' || !value.startsWith('$')) throw new Error(`Wait state "${name}": ${field} must be a JSONPath`);
    parameters[field === 'SecondsPath' ? 'seconds.$' : 'timestamp.$'] = value;
  }
  const kept = Object.fromEntries(
    ['Comment', 'InputPath', 'OutputPath', 'Next', 'End'].filter((key) => wait[key] !== undefined).map((key) => [key, wait[key] as JsonValue]),
  );
  return {
    ...kept,
    Type: 'Task',
    Resource: WAIT_RESOURCE,
    Parameters: parameters,
    // No TimeoutSeconds: prepareDefinition gives it MAX_TASK_TIMEOUT_SECONDS, which one chunk never reaches.
    Retry: [{ ErrorEquals: [WAIT_CONTINUES], IntervalSeconds: 1, BackoffRate: 1, MaxAttempts: MAX_ATTEMPTS }],
  };
}

/** Names of the Wait states of a definition, nested ones included. */
export function collectWaits(machine: JsonObject, nested: (state: JsonObject) => JsonObject[], into = new Set<string>()): Set<string> {
  const states = machine.States;
  if (!isJsonObject(states)) return into;
  for (const [name, state] of Object.entries(states)) {
    if (!isJsonObject(state)) continue;
    if (state.Type === 'Wait') into.add(name);
    for (const child of nested(state)) collectWaits(child, nested, into);
  }
  return into;
}

const runtimeError = (message: string): TaskError => new TaskError('States.Runtime', message);

/** The instant (epoch ms) a Wait's handler input asks for. */
function targetOf(name: string, params: JsonObject): number {
  if (params.timestamp !== undefined) {
    if (!isTimestamp(params.timestamp)) {
      throw runtimeError(`The TimestampPath of Wait state "${name}" did not resolve to an RFC 3339 timestamp: ${JSON.stringify(params.timestamp)}`);
    }
    return Date.parse(params.timestamp);
  }
  if (!isSeconds(params.seconds)) {
    throw runtimeError(`The SecondsPath of Wait state "${name}" did not resolve to a non-negative integer: ${JSON.stringify(params.seconds)}`);
  }
  const entered = typeof params.enteredTime === 'string' ? Date.parse(params.enteredTime) : Number.NaN;
  return (Number.isNaN(entered) ? Date.now() : entered) + params.seconds * 1000;
}

export interface WaitRun {
  /** Aborted when the run is halted (StopExecution, emulator stop) or ends. */
  signal: AbortSignal;
}

/** Local handlers for the converted Wait states, as the interpreter's `taskResourceLocalHandlers`. */
export function waitHandlers(waits: Iterable<string>, run: WaitRun, chunkMs = DEFAULT_WAIT_CHUNK_MS): Record<string, TaskHandler> {
  const handlers: Record<string, TaskHandler> = {};
  for (const name of waits) {
    handlers[name] = async (given: JsonValue): Promise<JsonValue> => {
      const params = isJsonObject(given) ? given : {};
      const remaining = targetOf(name, params) - Date.now();
      const input = params.input ?? null;
      if (remaining <= 0) return input;
      const chunk = Math.min(remaining, chunkMs);
      try {
        await sleep(chunk, undefined, { signal: run.signal });
      } catch {
        throw new RunAbortedError();
      }
      if (chunk < remaining) throw new TaskError(WAIT_CONTINUES, `Wait state "${name}" continues`);
      return input;
    };
  }
  return handlers;
}

/** retryIntervalOverrides for the converted Wait states: the next chunk starts at once. */
export const waitRetryOverrides = (waits: Iterable<string>): Record<string, number> =>
  Object.fromEntries([...waits].map((name) => [name, 0]));
