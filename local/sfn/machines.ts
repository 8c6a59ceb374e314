import './polyfill.ts';
import { StateMachine, type StateMachineDefinition } from 'aws-local-stepfunctions';
import { LOCAL_ACCOUNT, stateMachineArn } from '../core/arn.ts';
import { nestedMachines, prepareDefinition } from './context.ts';
import { isJsonObject, type JsonObject } from './types.ts';
import { collectWaits } from './waits.ts';

/** What the emulator knows about one Task state, by state name. */
export interface TaskStateInfo {
  name: string;
  resource: string;
  /** Declared TimeoutSeconds (a TimeoutSecondsPath is left to the interpreter). */
  timeoutSeconds?: number;
  heartbeatSeconds?: number;
  /** The innermost Map state this Task runs in, if any. */
  map?: string;
}

export interface MachineInfo {
  /** Key in SfnOptions.machines, e.g. `joiner`. */
  key: string;
  arn: string;
  /** The AWS name: `gatehouse-<key>`, the last part of the ARN. */
  name: string;
  definitionText: string;
  definition: JsonObject;
  tasks: Map<string, TaskStateInfo>;
  /** Names of the Wait states, which run as Task states of ours (waits.ts). */
  waits: Set<string>;
  roleArn: string;
  creationDate: number;
}

export class MachineDefinitionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MachineDefinitionError';
  }
}

function collectTasks(machineKey: string, machine: JsonObject, into: Map<string, TaskStateInfo>, map?: string): void {
  const states = machine.States;
  if (!isJsonObject(states)) return;
  for (const [name, state] of Object.entries(states)) {
    if (!isJsonObject(state)) continue;
    for (const nested of nestedMachines(state)) collectTasks(machineKey, nested, into, state.Type === 'Map' ? name : map);
    if (state.Type !== 'Task') continue;
    if (typeof state.Resource !== 'string') {
      throw new MachineDefinitionError(`state machine ${machineKey}: Task "${name}" has no Resource string`);
    }
    const info: TaskStateInfo = {
      name,
      resource: state.Resource,
      ...(typeof state.TimeoutSeconds === 'number' ? { timeoutSeconds: state.TimeoutSeconds } : {}),
      ...(typeof state.HeartbeatSeconds === 'number' ? { heartbeatSeconds: state.HeartbeatSeconds } : {}),
      ...(map !== undefined ? { map } : {}),
    };
    const seen = into.get(name);
    // The library maps local handlers by state name, so names must be unique machine-wide (as AWS requires).
    if (seen && JSON.stringify(seen) !== JSON.stringify(info)) {
      throw new MachineDefinitionError(`state machine ${machineKey}: two different Task states are named "${name}"`);
    }
    into.set(name, info);
  }
}

function parseDefinition(key: string, text: string): JsonObject {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new MachineDefinitionError(`state machine ${key}: definition is not valid JSON (${String(error)})`);
  }
  if (!isJsonObject(parsed) || !isJsonObject(parsed.States) || typeof parsed.StartAt !== 'string') {
    throw new MachineDefinitionError(`state machine ${key}: definition needs StartAt and States`);
  }
  return parsed;
}

/** The state machines the emulator serves, each compiled once (schema validation costs ~160 ms). */
export class MachineCatalog {
  private readonly byArn = new Map<string, MachineInfo>();
  private readonly compiled = new Map<string, StateMachine>();

  constructor(machines: Record<string, string>) {
    const creationDate = Date.now();
    for (const [key, text] of Object.entries(machines)) {
      const definition = parseDefinition(key, text);
      const tasks = new Map<string, TaskStateInfo>();
      collectTasks(key, definition, tasks);
      const waits = collectWaits(definition, nestedMachines);
      const clash = [...waits].find((name) => tasks.has(name));
      if (clash) throw new MachineDefinitionError(`state machine ${key}: a Wait and a Task state are both named "${clash}"`);
      const arn = stateMachineArn(key);
      this.byArn.set(arn, {
        key,
        arn,
        name: arn.split(':').at(-1) ?? key,
        definitionText: text,
        definition,
        tasks,
        waits,
        roleArn: `arn:aws:iam::${LOCAL_ACCOUNT}:role/gatehouse-${key}-state-machine`,
        creationDate,
      });
    }
  }

  get(arn: string): MachineInfo | undefined {
    return this.byArn.get(arn);
  }

  list(): MachineInfo[] {
    return [...this.byArn.values()].sort((a, b) => a.name.localeCompare(b.name));
  }

  /** The compiled interpreter for a machine; throws MachineDefinitionError if the ASL is invalid. */
  compile(machine: MachineInfo): StateMachine {
    const cached = this.compiled.get(machine.arn);
    if (cached) return cached;
    let compiled: StateMachine;
    try {
      compiled = new StateMachine(prepareDefinition(machine.definition) as unknown as StateMachineDefinition, {
        validationOptions: { checkArn: true, checkPaths: true },
      });
    } catch (error) {
      throw new MachineDefinitionError(`state machine ${machine.key}: ${error instanceof Error ? error.message : String(error)}`);
    }
    this.compiled.set(machine.arn, compiled);
    return compiled;
  }
}
