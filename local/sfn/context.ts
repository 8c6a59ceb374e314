import { randomUUID } from 'node:crypto';
import { isJsonObject, type JsonObject } from './types.ts';
import { waitAsTask } from './waits.ts';

/**
 * The context object ($$) as far as aws-local-stepfunctions 3.0.0 allows.
 *
 * The library has no `$$.Task.Token`, `$$.State.*`, `$$.StateMachine.*`: it only fills in
 * `$$.Execution.Input` / `StartTime` and copies the rest from the `context` run option.
 * - `$$.Task.Token` is a per-process placeholder; the callback Task handler replaces it
 *   in its input with a freshly minted token.
 * - `$$.State.Name` / `EnteredTime` are getters reading a tracker. Each entry into a state
 *   reads `States[name]` from the definition; `prepareDefinition` turns that read into a
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
  stateMachineArn: string;
  stateMachineName: string;
  roleArn: string;
  redriveCount: number;
}

/** The `context` run option for one run. */
export function buildContext(ids: ContextIds): Record<string, unknown> {
  return {
    Execution: {
      Id: ids.executionArn,
      Name: ids.executionName,
      RoleArn: ids.roleArn,
      RedriveCount: ids.redriveCount,
    },
    StateMachine: { Id: ids.stateMachineArn, Name: ids.stateMachineName },
    State: stateContext,
    Task: { Token: TASK_TOKEN_PLACEHOLDER },
  };
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

/** Nested state machines (Parallel branches, Map processors) of one state. */
export function nestedMachines(state: JsonObject): JsonObject[] {
  const nested: unknown[] = [];
  if (Array.isArray(state.Branches)) nested.push(...state.Branches);
  if (state.Iterator !== undefined) nested.push(state.Iterator);
  if (state.ItemProcessor !== undefined) nested.push(state.ItemProcessor);
  return nested.filter(isJsonObject);
}

/**
 * Where a Task's TimeoutSecondsPath value travels through its Parameters. AWS resolves the
 * path against the state input; the library resolves it against the Parameters output, so
 * `instrument` adds `"<field>.$": <path>` to Parameters and points the path at the field, and
 * the Task handler strips the field before anything sees the input.
 */
export const TIMEOUT_FIELD = '__gatehouseTimeoutSeconds';

/**
 * A copy of a definition ready for the library: Wait states become Task states we run
 * (waits.ts: the library's Wait overflows setTimeout past ~24.8 days), Task states without
 * a timeout get AWS's "practically none" instead of the library's 60 s, a
 * TimeoutSecondsPath reads the state input (see TIMEOUT_FIELD), and state reads feed `$$.State`.
 */
export function prepareDefinition(definition: JsonObject): JsonObject {
  const copy = structuredClone(definition);
  instrument(copy);
  return copy;
}

function instrument(machine: JsonObject): void {
  const states = machine.States;
  if (!isJsonObject(states)) return;
  for (const [name, original] of Object.entries(states)) {
    if (!isJsonObject(original)) continue;
    const state = original.Type === 'Wait' ? waitAsTask(name, original) : original;
    if (state.Type === 'Task' && state.TimeoutSeconds === undefined && state.TimeoutSecondsPath === undefined) {
      state.TimeoutSeconds = MAX_TASK_TIMEOUT_SECONDS;
    }
    if (state.Type === 'Task' && typeof state.TimeoutSecondsPath === 'string' && isJsonObject(state.Parameters)) {
      state.Parameters = { ...state.Parameters, [`${TIMEOUT_FIELD}.$`]: state.TimeoutSecondsPath };
      state.TimeoutSecondsPath = `$.${TIMEOUT_FIELD}`;
    }
    for (const nested of nestedMachines(state)) instrument(nested);
    Object.defineProperty(states, name, {
      enumerable: true,
      configurable: true,
      get: () => trackedState(name, state),
    });
  }
}
