import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { executionArn } from '../core/arn.ts';
import { AwsError } from '../core/aws-error.ts';
import type { Emulator, EmulatorContext } from '../core/emulator.ts';
import { awsJsonService, type Operations } from '../core/protocols.ts';
import { CallbackRegistry } from './callbacks.ts';
import { ExecutionStore, type ExecutionRecord } from './executions.ts';
import { executionEndEvent, executionStartedEvent, toWireEvent } from './history.ts';
import { MachineCatalog, type MachineInfo } from './machines.ts';
import { ExecutionRunner } from './runner.ts';
import { SdkIntegrations } from './sdk-integrations.ts';
import type { SfnOptions } from './types.ts';
import * as wire from './wire.ts';

export type { SfnOptions } from './types.ts';

const STATUSES = ['RUNNING', 'SUCCEEDED', 'FAILED', 'ABORTED', 'TIMED_OUT', 'PENDING_REDRIVE'] as const;
const arnField = z.string().min(1).max(2048);
const tokenField = z.string().min(1).max(2048);
const errorField = z.string().max(256).optional();
const causeField = z.string().max(32768).optional();

const requests = {
  start: z.object({ stateMachineArn: arnField, name: z.string().optional(), input: z.string().optional(), traceHeader: z.string().optional() }),
  execution: z.object({ executionArn: arnField }),
  list: z.object({
    stateMachineArn: arnField,
    statusFilter: z.enum(STATUSES).optional(),
    maxResults: wire.maxResultsSchema,
    nextToken: wire.nextTokenSchema,
  }),
  stop: z.object({ executionArn: arnField, error: errorField, cause: causeField }),
  history: z.object({
    executionArn: arnField,
    maxResults: wire.maxResultsSchema,
    reverseOrder: z.boolean().optional(),
    nextToken: wire.nextTokenSchema,
    includeExecutionData: z.boolean().optional(),
  }),
  success: z.object({ taskToken: tokenField, output: z.string() }),
  failure: z.object({ taskToken: tokenField, error: errorField, cause: causeField }),
  heartbeat: z.object({ taskToken: tokenField }),
  machine: z.object({ stateMachineArn: arnField }),
  machines: z.object({ maxResults: wire.maxResultsSchema, nextToken: wire.nextTokenSchema }),
};

interface Parts {
  catalog: MachineCatalog;
  store: ExecutionStore;
  runner: ExecutionRunner;
  callbacks: CallbackRegistry;
}

function operations({ catalog, store, runner, callbacks }: Parts): Operations {
  const machineOf = (arn: string): MachineInfo => {
    wire.checkStateMachineArn(arn);
    const machine = catalog.get(arn);
    if (!machine) throw new AwsError('StateMachineDoesNotExist', `State Machine Does Not Exist: '${arn}'`);
    return machine;
  };
  const executionOf = (arn: string): ExecutionRecord => {
    wire.checkExecutionArn(arn);
    const record = store.get(arn);
    if (!record) throw new AwsError('ExecutionDoesNotExist', `Execution Does Not Exist: '${arn}'`);
    return record;
  };

  return {
    StartExecution: (input) => {
      const request = wire.parseRequest(requests.start, input);
      const machine = machineOf(request.stateMachineArn);
      const name = request.name ?? randomUUID();
      wire.checkExecutionName(name);
      const inputText = request.input ?? '{}';
      wire.checkExecutionInput(inputText);
      try {
        catalog.compile(machine);
      } catch (error) {
        throw new AwsError('InvalidDefinition', error instanceof Error ? error.message : String(error));
      }
      const arn = executionArn(machine.key, name);
      const existing = store.get(arn);
      if (existing) {
        // Standard workflows: the same name and input while RUNNING is the same request again.
        if (existing.status === 'RUNNING' && existing.input === inputText) {
          return { executionArn: arn, startDate: existing.startDate / 1000 };
        }
        throw new AwsError('ExecutionAlreadyExists', `Execution Already Exists: '${arn}'`);
      }
      const record = store.create(
        { executionArn: arn, stateMachineArn: machine.arn, machineKey: machine.key, name, input: inputText, startDate: Date.now() },
        executionStartedEvent(inputText, machine.roleArn),
      );
      runner.start(record);
      return { executionArn: arn, startDate: record.startDate / 1000 };
    },

    DescribeExecution: (input) => wire.describeExecution(executionOf(wire.parseRequest(requests.execution, input).executionArn)),

    ListExecutions: (input) => {
      const request = wire.parseRequest(requests.list, input);
      const machine = machineOf(request.stateMachineArn);
      const matching = store
        .all()
        .filter((record) => record.stateMachineArn === machine.arn)
        .filter((record) => request.statusFilter === undefined || record.status === request.statusFilter)
        .sort((a, b) => b.startDate - a.startDate || b.seq - a.seq);
      const { items: page, nextToken } = wire.paginate(matching, `executions:${machine.arn}:${request.statusFilter ?? ''}`, request.maxResults, request.nextToken);
      return { executions: page.map(wire.executionListItem), nextToken };
    },

    StopExecution: (input) => {
      const request = wire.parseRequest(requests.stop, input);
      const record = executionOf(request.executionArn);
      if (record.status === 'RUNNING') {
        record.status = 'ABORTED';
        record.stopDate = Date.now();
        if (request.error !== undefined) record.error = request.error;
        if (request.cause !== undefined) record.cause = request.cause;
        store.append(record, executionEndEvent('ExecutionAborted', { error: request.error, cause: request.cause }));
        runner.halt(record.executionArn);
      }
      return { stopDate: (record.stopDate ?? Date.now()) / 1000 };
    },

    GetExecutionHistory: (input) => {
      const request = wire.parseRequest(requests.history, input);
      const record = executionOf(request.executionArn);
      const events = request.reverseOrder ? [...record.events].reverse() : record.events;
      const scope = `history:${record.executionArn}:${request.reverseOrder ? 'desc' : 'asc'}`;
      const { items: page, nextToken } = wire.paginate(events, scope, request.maxResults, request.nextToken);
      return { events: page.map((event) => toWireEvent(event, request.includeExecutionData ?? true)), nextToken };
    },

    SendTaskSuccess: (input) => {
      const request = wire.parseRequest(requests.success, input);
      let output: unknown;
      try {
        if (Buffer.byteLength(request.output, 'utf8') > wire.MAX_PAYLOAD_BYTES) throw new Error('too large');
        output = JSON.parse(request.output);
      } catch {
        throw new AwsError('InvalidOutput', 'Invalid Output: the output must be JSON of at most 262144 bytes');
      }
      callbacks.succeed(request.taskToken, output);
      return {};
    },

    SendTaskFailure: (input) => {
      const request = wire.parseRequest(requests.failure, input);
      callbacks.fail(request.taskToken, request.error ?? '', request.cause ?? '');
      return {};
    },

    SendTaskHeartbeat: (input) => {
      callbacks.heartbeat(wire.parseRequest(requests.heartbeat, input).taskToken);
      return {};
    },

    ListStateMachines: (input) => {
      const request = wire.parseRequest(requests.machines, input);
      const { items: page, nextToken } = wire.paginate(catalog.list(), 'state-machines', request.maxResults, request.nextToken);
      const stateMachines = page.map((m) => ({ stateMachineArn: m.arn, name: m.name, type: 'STANDARD', creationDate: m.creationDate / 1000 }));
      return { stateMachines, nextToken };
    },

    DescribeStateMachine: (input) => {
      const machine = machineOf(wire.parseRequest(requests.machine, input).stateMachineArn);
      return {
        stateMachineArn: machine.arn,
        name: machine.name,
        status: 'ACTIVE',
        definition: machine.definitionText,
        roleArn: machine.roleArn,
        type: 'STANDARD',
        creationDate: machine.creationDate / 1000,
        loggingConfiguration: { level: 'OFF', includeExecutionData: false },
        tracingConfiguration: { enabled: false },
      };
    },

    DescribeStateMachineForExecution: (input) => {
      const record = executionOf(wire.parseRequest(requests.execution, input).executionArn);
      const machine = machineOf(record.stateMachineArn);
      return {
        stateMachineArn: machine.arn,
        name: machine.name,
        definition: machine.definitionText,
        roleArn: machine.roleArn,
        updateDate: machine.creationDate / 1000,
      };
    },
  };
}

/**
 * The local Step Functions service (`sfn`): the real SFN wire protocol over
 * aws-local-stepfunctions. Executions persist under `ctx.stateDir`; those still RUNNING
 * when the emulator was stopped are re-driven from their first state on creation.
 */
export function createSfnEmulator(ctx: EmulatorContext, options: SfnOptions): Emulator & { ready(): Promise<void> } {
  const catalog = new MachineCatalog(options.machines);
  const store = new ExecutionStore(ctx);
  const callbacks = new CallbackRegistry();
  const runner = new ExecutionRunner(catalog, store, {
    invokeFunction: (functionArn, payload) => options.invokeFunction(functionArn, payload),
    sdk: new SdkIntegrations(),
    callbacks,
    ...(options.waitChunkMs !== undefined ? { waitChunkMs: options.waitChunkMs } : {}),
  });
  const handler = awsJsonService({
    service: 'sfn',
    targetPrefix: 'AWSStepFunctions',
    jsonVersion: '1.0',
    faults: ctx.faults,
    operations: operations({ catalog, store, runner, callbacks }),
  });

  const redriven = (async () => {
    await Promise.resolve();
    for (const record of store.all().filter((r) => r.status === 'RUNNING')) {
      record.redriveCount += 1;
      record.redriveDate = Date.now();
      store.append(record, {
        type: 'ExecutionRedriven',
        detailsKey: 'executionRedrivenEventDetails',
        details: { redriveCount: record.redriveCount },
      });
      runner.start(record);
    }
  })();

  return {
    service: 'sfn',
    handler,
    ready: () => redriven,
    stop: async () => {
      await redriven.catch(() => undefined);
      await runner.haltAll();
    },
  };
}
