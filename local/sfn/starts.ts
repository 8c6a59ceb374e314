import { randomUUID } from 'node:crypto';
import { AwsError } from '../core/aws-error.ts';
import type { ChildExecutions, ChildRequest } from './children.ts';
import type { CallbackRegistry } from './callbacks.ts';
import type { ExecutionStore, StoredExecution } from './executions.ts';
import { executionEndEvent, executionStartedEvent } from './history.ts';
import type { MachineCatalog, MachineInfo } from './machines.ts';
import type { ExecutionRunner } from './runner.ts';
import * as wire from './wire.ts';

/** The service's moving parts, shared by the API operations and the child-execution port. */
export interface Parts {
  catalog: MachineCatalog;
  store: ExecutionStore;
  runner: ExecutionRunner;
  callbacks: CallbackRegistry;
}

export interface StartRequest {
  stateMachineArn: string;
  name?: string;
  input?: string;
}

export interface StartOptions {
  /** The parent attempt that starts it (the same attempt again gets the same execution). */
  parent?: { executionArn: string; key: string; stopWithParent: boolean };
  mapRunArn?: string;
  itemCount?: number;
}

export function machineOf(parts: Parts, arn: string, internal = false): MachineInfo {
  wire.checkStateMachineArn(arn);
  const machine = parts.catalog.get(arn);
  if (!machine || (machine.mapChild && !internal)) throw new AwsError('StateMachineDoesNotExist', `State Machine Does Not Exist: '${arn}'`);
  return machine;
}

/**
 * StartExecution (https://docs.aws.amazon.com/step-functions/latest/apireference/API_StartExecution.html):
 * idempotent for the same name and input while the execution runs; any other reuse of a name
 * is ExecutionAlreadyExists. Name 1-80 characters without whitespace, brackets, wildcards,
 * special or control characters; input a JSON object of at most 256 KiB.
 */
export function startExecution(parts: Parts, request: StartRequest, options: StartOptions = {}): StoredExecution {
  const machine = machineOf(parts, request.stateMachineArn, options.mapRunArn !== undefined);
  const name = request.name ?? randomUUID();
  wire.checkExecutionName(name);
  const input = request.input ?? '{}';
  // A Distributed Map's child gets its item as it is (a string, a number...); the API wants an object.
  wire.checkExecutionInput(input, options.mapRunArn === undefined);
  try {
    parts.catalog.compile(machine);
  } catch (error) {
    throw new AwsError('InvalidDefinition', error instanceof Error ? error.message : String(error));
  }
  const arn = `${machine.arn.replace(':stateMachine:', ':execution:')}:${name}`;
  const existing = parts.store.get(arn);
  if (existing) {
    const { record } = existing;
    const sameParent = options.parent !== undefined && record.parent?.executionArn === options.parent.executionArn && record.parent.key === options.parent.key;
    if (sameParent || (record.status === 'RUNNING' && record.input === input)) return existing;
    throw new AwsError('ExecutionAlreadyExists', `Execution Already Exists: '${arn}'`);
  }
  const stored = parts.store.create(
    {
      executionArn: arn,
      stateMachineArn: machine.arn,
      machineKey: machine.key,
      name,
      input,
      startDate: Date.now(),
      ...(options.mapRunArn !== undefined ? { mapRunArn: options.mapRunArn, itemCount: options.itemCount ?? 1 } : {}),
      ...(options.parent ? { parent: options.parent } : {}),
    },
    executionStartedEvent(input, machine.roleArn),
  );
  parts.runner.start(stored);
  return stored;
}

/** StopExecution: ABORTED with the given error and cause; its linked children are stopped too. */
export function stopExecution(parts: Parts, stored: StoredExecution, error?: string, cause?: string): void {
  if (stored.record.status !== 'RUNNING') return;
  stored.update({ status: 'ABORTED', stopDate: Date.now(), ...(error !== undefined ? { error } : {}), ...(cause !== undefined ? { cause } : {}) });
  stored.appendEvent(executionEndEvent('ExecutionAborted', { error, cause }));
  parts.runner.halt(stored.record.executionArn);
  parts.runner.ended(stored);
  stopChildrenOf(parts, stored.record.executionArn);
}

/** Children started with `.sync` / `.sync:2` or by a Distributed Map stop with their parent, as on AWS. */
function stopChildrenOf(parts: Parts, executionArn: string): void {
  for (const child of parts.store.all()) {
    const parent = child.record.parent;
    if (parent?.executionArn === executionArn && parent.stopWithParent) stopExecution(parts, child, 'States.Aborted', 'The parent execution was stopped');
  }
}

/** The port steps use to start and wait for child executions. */
export function childExecutions(parts: Parts): ChildExecutions {
  return {
    start: (request: ChildRequest, parent) => {
      const linked = request.mapRunArn !== undefined || parent.stopWithParent === true;
      return startExecution(parts, request, {
        parent: { executionArn: parent.executionArn, key: parent.key, stopWithParent: linked },
        ...(request.mapRunArn !== undefined ? { mapRunArn: request.mapRunArn, itemCount: request.itemCount ?? 1 } : {}),
      }).record;
    },
    whenDone: (executionArn, signal) => parts.runner.whenDone(executionArn, signal),
    stop: (executionArn, error, cause) => {
      const stored = parts.store.get(executionArn);
      if (stored) stopExecution(parts, stored, error, cause);
    },
  };
}
