import './polyfill.ts';
import { StateMachine, type StateMachineDefinition } from 'aws-local-stepfunctions';
import { LOCAL_ACCOUNT, stateMachineArn } from '../core/arn.ts';
import { mapLabel } from './map-runs.ts';
import { MachineDefinitionError, prepareMachine, withoutConfig, type LabelOf, type PreparedMachine } from './prepare.ts';
import { isJsonObject, type JsonObject } from './types.ts';

export { MachineDefinitionError };

export interface MachineInfo {
  /** Key in SfnOptions.machines, e.g. `joiner`; `joiner/<label>` for a Distributed Map's children. */
  key: string;
  arn: string;
  /** The AWS name: `gatehouse-<key>`, the last part of the ARN. */
  name: string;
  definitionText: string;
  definition: JsonObject;
  roleArn: string;
  creationDate: number;
  /** The child workflow of a Distributed Map: not listed, not startable through the API. */
  mapChild: boolean;
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

const labelsFor = (key: string): LabelOf => (label, stateName) => mapLabel(label, key, stateName);

/** The ItemProcessors of the DISTRIBUTED Map states of a machine, nested ones included, by label. */
function distributedProcessors(machine: JsonObject, key: string, into: [string, JsonObject][] = []): [string, JsonObject][] {
  const states = isJsonObject(machine.States) ? machine.States : {};
  for (const [name, state] of Object.entries(states)) {
    if (!isJsonObject(state)) continue;
    const processor = state.ItemProcessor ?? state.Iterator;
    const nested = [...(Array.isArray(state.Branches) ? state.Branches.filter(isJsonObject) : []), ...(isJsonObject(processor) ? [processor] : [])];
    if (state.Type === 'Map' && isJsonObject(processor) && isJsonObject(processor.ProcessorConfig) && processor.ProcessorConfig.Mode === 'DISTRIBUTED') {
      into.push([labelsFor(key)(typeof state.Label === 'string' ? state.Label : undefined, name), withoutConfig(processor)]);
      continue; // its own nested maps belong to the child machine
    }
    for (const child of nested) distributedProcessors(child, key, into);
  }
  return into;
}

/** The state machines the emulator serves, each validated and prepared once (schema validation costs ~160 ms). */
export class MachineCatalog {
  private readonly byArn = new Map<string, MachineInfo>();
  private readonly prepared = new Map<string, PreparedMachine>();

  constructor(machines: Record<string, string>) {
    const creationDate = Date.now();
    for (const [key, text] of Object.entries(machines)) {
      const arn = stateMachineArn(key);
      const roleArn = `arn:aws:iam::${LOCAL_ACCOUNT}:role/gatehouse-${key}-state-machine`;
      const definition = parseDefinition(key, text);
      this.add({ key, arn, name: arn.split(':').at(-1) ?? key, definitionText: text, definition, roleArn, creationDate, mapChild: false });
    }
  }

  private add(machine: MachineInfo): void {
    this.byArn.set(machine.arn, machine);
    for (const [label, definition] of distributedProcessors(machine.definition, machine.key)) {
      this.add({ ...machine, key: `${machine.key}/${label}`, arn: `${machine.arn}/${label}`, name: `${machine.name}/${label}`, definitionText: JSON.stringify(definition), definition, mapChild: true });
    }
  }

  get(arn: string): MachineInfo | undefined {
    return this.byArn.get(arn);
  }

  /** The machines StartExecution and ListStateMachines know (not the Map Runs' child workflows). */
  list(): MachineInfo[] {
    return [...this.byArn.values()].filter((m) => !m.mapChild).sort((a, b) => a.name.localeCompare(b.name));
  }

  /** The prepared machine; throws MachineDefinitionError if the ASL is invalid. */
  compile(machine: MachineInfo): PreparedMachine {
    const cached = this.prepared.get(machine.arn);
    if (cached) return cached;
    let prepared: PreparedMachine;
    try {
      if (!machine.mapChild) {
        // Validates the definition as written (asl-validator), before our conversion.
        new StateMachine(machine.definition as unknown as StateMachineDefinition, { validationOptions: { checkArn: true, checkPaths: true } });
      }
      prepared = prepareMachine(machine.definition, `state machine ${machine.key}`, labelsFor(machine.key));
    } catch (error) {
      if (error instanceof MachineDefinitionError) throw error;
      throw new MachineDefinitionError(`state machine ${machine.key}: ${error instanceof Error ? error.message : String(error)}`);
    }
    this.prepared.set(machine.arn, prepared);
    return prepared;
  }
}
