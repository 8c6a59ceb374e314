import { randomUUID } from 'node:crypto';
import { isJsonObject, type JsonObject, type JsonValue } from './types.ts';

/**
 * The context object ($$) as far as aws-local-stepfunctions 3.0.0 allows.
 *
 * The library has no `$$.Task.Token`, `$$.State.*`, `$$.StateMachine.*`: it only fills in
 * `$$.Execution.Input` / `StartTime` (with the input and start of each nested run, and anew
 * on every resume) and copies the rest from the `context` run option.
 * - `$$.Task.Token` is a per-process placeholder; a callback step replaces it in its input
 *   with the token of its attempt.
 * - `$$.Execution.Input` / `StartTime` are rewritten in every path to fields we fill in with
 *   the execution's own input and start date (`rewriteExecutionPaths`).
 * - `$$.State.Name` / `EnteredTime` are getters reading a tracker. Each entry into a state
 *   reads `States[name]` from the definition; `trackStateReads` turns that read into a
 *   fresh proxy, and every property read on that proxy (InputPath, Parameters,
 *   ResultSelector, ...) points the tracker at its own state. The library evaluates paths
 *   synchronously right after reading those properties, so the getters answer for the
 *   state being evaluated, even with Parallel branches, Map iterations, retries and
 *   several executions interleaving.
 */
export const TASK_TOKEN_PLACEHOLDER = `gatehouse-local-task-token-${randomUUID()}`;

/** setTimeout's ceiling (~24.8 days): AWS's default Task timeout (99999999 s) overflows it. */
export const MAX_TASK_TIMEOUT_SECONDS = 2_147_483;

interface StateEntry {
  name: string;
  enteredTime: string;
}

let current: StateEntry | undefined;

const stateContext = Object.freeze({
  get Name(): string | undefined {
    return current?.name;
  },
  get EnteredTime(): string | undefined {
    return current?.enteredTime;
  },
});

export interface ContextIds {
  executionArn: string;
  executionName: string;
  executionInput: JsonValue;
  startDate: number;
  stateMachineArn: string;
  stateMachineName: string;
  roleArn: string;
}

/** The `context` run option for the runs of one execution. */
export function buildContext(ids: ContextIds): Record<string, unknown> {
  return {
    Execution: {
      Id: ids.executionArn,
      Name: ids.executionName,
      RoleArn: ids.roleArn,
      RedriveCount: 0,
      GatehouseInput: ids.executionInput,
      GatehouseStartTime: new Date(ids.startDate).toISOString(),
    },
    StateMachine: { Id: ids.stateMachineArn, Name: ids.stateMachineName },
    State: stateContext,
    Task: { Token: TASK_TOKEN_PLACEHOLDER },
  };
}

const EXECUTION_FIELDS = /\$\$\.Execution\.(Input|StartTime)\b/g;

/** A copy of `value` whose paths read the execution's own input and start time (see above). */
export function rewriteExecutionPaths(value: JsonValue): JsonValue {
  if (typeof value === 'string') return value.replace(EXECUTION_FIELDS, '$$$$.Execution.Gatehouse$1');
  if (Array.isArray(value)) return value.map(rewriteExecutionPaths);
  if (isJsonObject(value)) return Object.fromEntries(Object.entries(value).map(([key, member]) => [key, rewriteExecutionPaths(member)]));
  return value;
}

function trackedState(name: string, state: JsonObject): JsonObject {
  const entry: StateEntry = { name, enteredTime: new Date().toISOString() };
  return new Proxy(state, {
    get(target, property, receiver) {
      current = entry;
      return Reflect.get(target, property, receiver) as unknown;
    },
  });
}

/** The definition, with each read of `States[name]` feeding `$$.State` (see above). */
export function trackStateReads(machine: JsonObject): JsonObject {
  const states = machine.States;
  if (!isJsonObject(states)) return machine;
  const tracked: JsonObject = {};
  for (const [name, state] of Object.entries(states)) {
    if (!isJsonObject(state)) continue;
    Object.defineProperty(tracked, name, { enumerable: true, configurable: true, get: () => trackedState(name, state) });
  }
  return { ...machine, States: tracked };
}
