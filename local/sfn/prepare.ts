import './polyfill.ts';
import { StateMachine, type StateMachineDefinition } from 'aws-local-stepfunctions';
import { MAX_TASK_TIMEOUT_SECONDS, rewriteExecutionPaths, trackStateReads } from './context.ts';
import { parseRetriers, type Retrier } from './retry.ts';
import { isJsonObject, type JsonObject, type JsonValue } from './types.ts';
import { waitParameters } from './wait-step.ts';

/**
 * How a definition is handed to aws-local-stepfunctions. The library keeps what it does
 * well (sequencing, Choice, Pass, Succeed, Fail, InputPath/Parameters/ResultSelector/
 * ResultPath/OutputPath, Catch, intrinsics); every state that does work or takes time —
 * Task, Wait, Map, Parallel — becomes a Task of ours (a "step", steps.ts) whose local handler
 * journals what it does, so a restart resumes instead of re-running. For each step:
 * - Retry and TimeoutSeconds/HeartbeatSeconds move out of the definition (we apply them per
 *   attempt, with absolute deadlines); their *Path variants travel in Parameters.meta;
 * - its Parameters become `{ args | input, items, meta }`, evaluated by the library as usual;
 * - one private retrier lets a step outlive setTimeout's ~24.8-day ceiling: a handler that
 *   waits longer than a chunk throws STEP_CONTINUES and is re-entered at once, same step.
 */
export const STEP_CONTINUES = 'Gatehouse.StepContinues';
const STEP_RESOURCE = 'arn:aws:lambda:us-east-1:000000000000:function:gatehouse-local-step';
const MAX_RETRY_ATTEMPTS = 99_999_999;

/** A Distributed Map's label in ARNs, from its Label (if any) and state name. */
export type LabelOf = (label: string | undefined, stateName: string) => string;

export type StepKind = 'task' | 'wait' | 'map' | 'parallel';

export interface MapSpec {
  distributed: boolean;
  processor: PreparedMachine;
  /** The processor as written (a Distributed Map runs it as its own state machine). */
  processorDefinition: JsonObject;
  itemSelector?: JsonValue;
  maxConcurrency?: number;
  /** Distributed: the Map Run label in ARNs (map-runs.ts). */
  label: string;
  toleratedFailurePercentage?: number;
  toleratedFailureCount?: number;
  maxItemsPerBatch?: number;
  maxInputBytesPerBatch?: number;
  batched: boolean;
}

export interface StepSpec {
  name: string;
  kind: StepKind;
  retriers: Retrier[];
  resource?: string;
  timeoutSeconds?: number;
  heartbeatSeconds?: number;
  map?: MapSpec;
  branches?: PreparedMachine[];
}

export interface PreparedMachine {
  compiled: StateMachine;
  steps: Map<string, StepSpec>;
  /** The machine's own TimeoutSeconds (root only): enforced by the runner from the start date. */
  timeoutSeconds?: number;
}

export class MachineDefinitionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MachineDefinitionError';
  }
}

const pick = (state: JsonObject, keys: string[]): JsonObject =>
  Object.fromEntries(keys.filter((key) => state[key] !== undefined).map((key) => [key, state[key] as JsonValue]));

const num = (value: JsonValue | undefined): number | undefined => (typeof value === 'number' ? value : undefined);

function asStep(state: JsonObject, parameters: JsonObject, keep: string[]): JsonObject {
  return {
    ...pick(state, ['Comment', 'InputPath', 'ResultSelector', 'ResultPath', 'OutputPath', 'Catch', 'Next', 'End', ...keep]),
    Type: 'Task',
    Resource: STEP_RESOURCE,
    Parameters: parameters,
    TimeoutSeconds: MAX_TASK_TIMEOUT_SECONDS,
    Retry: [{ ErrorEquals: [STEP_CONTINUES], IntervalSeconds: 1, BackoffRate: 1, MaxAttempts: MAX_RETRY_ATTEMPTS }],
  };
}

function meta(paths: Record<string, JsonValue | undefined>): JsonObject {
  return Object.fromEntries(Object.entries(paths).filter(([, path]) => typeof path === 'string').map(([key, path]) => [`${key}.$`, path as JsonValue]));
}

function prepareTask(name: string, state: JsonObject): [JsonObject, StepSpec] {
  if (typeof state.Resource !== 'string') throw new MachineDefinitionError(`Task "${name}" has no Resource string`);
  const args: JsonObject = state.Parameters !== undefined ? { args: state.Parameters } : { 'args.$': '$' };
  const parameters = { ...args, meta: meta({ timeoutSeconds: state.TimeoutSecondsPath, heartbeatSeconds: state.HeartbeatSecondsPath }) };
  const spec: StepSpec = { name, kind: 'task', retriers: parseRetriers(state.Retry), resource: state.Resource };
  if (num(state.TimeoutSeconds) !== undefined) spec.timeoutSeconds = num(state.TimeoutSeconds);
  if (num(state.HeartbeatSeconds) !== undefined) spec.heartbeatSeconds = num(state.HeartbeatSeconds);
  return [asStep(state, parameters, []), spec];
}

/** A Map's ItemProcessor as a machine of its own: without its ProcessorConfig. */
export function withoutConfig(processor: JsonObject): JsonObject {
  const machine = { ...processor };
  delete machine.ProcessorConfig;
  return machine;
}

function prepareMap(name: string, state: JsonObject, where: string, labelOf: LabelOf): [JsonObject, StepSpec] {
  for (const unsupported of ['ItemReader', 'ResultWriter']) {
    if (state[unsupported] !== undefined) throw new MachineDefinitionError(`Map "${name}": ${unsupported} is not supported by the local cloud`);
  }
  const processor = state.ItemProcessor ?? state.Iterator;
  if (!isJsonObject(processor)) throw new MachineDefinitionError(`Map "${name}" has no ItemProcessor`);
  const config = isJsonObject(processor.ProcessorConfig) ? processor.ProcessorConfig : {};
  const distributed = config.Mode === 'DISTRIBUTED';
  if (distributed && config.ExecutionType !== undefined && config.ExecutionType !== 'STANDARD') {
    throw new MachineDefinitionError(`Map "${name}": only ExecutionType STANDARD child workflows run locally`);
  }
  const processorDefinition = withoutConfig(processor);
  const batcher = isJsonObject(state.ItemBatcher) ? state.ItemBatcher : undefined;
  const parameters: JsonObject = {
    'input.$': '$',
    'items.$': typeof state.ItemsPath === 'string' ? state.ItemsPath : '$',
    meta: {
      ...meta({
        maxConcurrency: state.MaxConcurrencyPath,
        toleratedFailurePercentage: state.ToleratedFailurePercentagePath,
        toleratedFailureCount: state.ToleratedFailureCountPath,
        maxItemsPerBatch: batcher?.MaxItemsPerBatchPath,
        maxInputBytesPerBatch: batcher?.MaxInputBytesPerBatchPath,
      }),
      ...(batcher?.BatchInput !== undefined ? { batchInput: batcher.BatchInput } : {}),
    },
  };
  const map: MapSpec = {
    distributed,
    processor: prepareMachine(processorDefinition, `${where} > ${name}`, labelOf),
    processorDefinition,
    label: labelOf(typeof state.Label === 'string' ? state.Label : undefined, name),
    batched: batcher !== undefined,
  };
  const selector = state.ItemSelector ?? state.Parameters;
  if (selector !== undefined) map.itemSelector = selector;
  const numbers: [keyof MapSpec, JsonValue | undefined][] = [
    ['maxConcurrency', state.MaxConcurrency],
    ['toleratedFailurePercentage', state.ToleratedFailurePercentage],
    ['toleratedFailureCount', state.ToleratedFailureCount],
    ['maxItemsPerBatch', batcher?.MaxItemsPerBatch],
    ['maxInputBytesPerBatch', batcher?.MaxInputBytesPerBatch],
  ];
  for (const [key, value] of numbers) if (typeof value === 'number') (map as unknown as Record<string, number>)[key] = value;
  return [asStep(state, parameters, []), { name, kind: 'map', retriers: parseRetriers(state.Retry), map }];
}

function prepareParallel(name: string, state: JsonObject, where: string, labelOf: LabelOf): [JsonObject, StepSpec] {
  const branches = Array.isArray(state.Branches) ? state.Branches.filter(isJsonObject) : [];
  if (branches.length === 0) throw new MachineDefinitionError(`Parallel "${name}" has no Branches`);
  const parameters: JsonObject = state.Parameters !== undefined ? { input: state.Parameters } : { 'input.$': '$' };
  const spec: StepSpec = {
    name,
    kind: 'parallel',
    retriers: parseRetriers(state.Retry),
    branches: branches.map((branch, i) => prepareMachine(branch, `${where} > ${name}[${i}]`, labelOf)),
  };
  return [asStep(state, parameters, []), spec];
}

function prepareState(name: string, state: JsonObject, where: string, labelOf: LabelOf): [JsonObject, StepSpec | undefined] {
  switch (state.Type) {
    case 'Task':
      return prepareTask(name, state);
    case 'Wait':
      return [asStep(state, waitParameters(name, state), []), { name, kind: 'wait', retriers: [] }];
    case 'Map':
      return prepareMap(name, state, where, labelOf);
    case 'Parallel':
      return prepareParallel(name, state, where, labelOf);
    default:
      return [state, undefined];
  }
}

/** A (sub-)machine ready to run: its library instance (not re-validated) and its steps. */
export function prepareMachine(original: JsonObject, where: string, labelOf: LabelOf): PreparedMachine {
  const copy = rewriteExecutionPaths(structuredClone(original)) as JsonObject;
  const states = copy.States;
  if (!isJsonObject(states) || typeof copy.StartAt !== 'string') throw new MachineDefinitionError(`${where}: a machine needs StartAt and States`);
  const steps = new Map<string, StepSpec>();
  const prepared: JsonObject = {};
  for (const [name, state] of Object.entries(states)) {
    if (!isJsonObject(state)) throw new MachineDefinitionError(`${where}: state "${name}" is not an object`);
    let converted: JsonObject;
    let spec: StepSpec | undefined;
    try {
      [converted, spec] = prepareState(name, state, where, labelOf);
    } catch (error) {
      if (error instanceof MachineDefinitionError) throw error;
      throw new MachineDefinitionError(`${where}: ${error instanceof Error ? error.message : String(error)}`);
    }
    prepared[name] = converted;
    if (spec) steps.set(name, spec);
  }
  const { TimeoutSeconds: timeoutSeconds, ...rest } = copy;
  const definition = trackStateReads({ ...rest, States: prepared });
  const compiled = new StateMachine(definition as unknown as StateMachineDefinition, { validationOptions: { noValidate: true } });
  return { compiled, steps, ...(typeof timeoutSeconds === 'number' ? { timeoutSeconds } : {}) };
}
