import { z } from 'zod';
import { AwsError, validationError } from '../core/aws-error.ts';
import type { Operations } from '../core/protocols.ts';
import type { ExecutionRecord, StoredExecution } from './executions.ts';
import { toWireEvent } from './history.ts';
import { describeMapRun, mapRunListItem } from './map-runs.ts';
import { machineOf, startExecution, stopExecution, type Parts } from './starts.ts';
import * as wire from './wire.ts';

const STATUSES = ['RUNNING', 'SUCCEEDED', 'FAILED', 'ABORTED', 'TIMED_OUT', 'PENDING_REDRIVE'] as const;
const arnField = z.string().min(1).max(2048);
const tokenField = z.string().min(1).max(2048);
const errorField = z.string().max(256).optional();
const causeField = z.string().max(32768).optional();

const requests = {
  start: z.object({ stateMachineArn: arnField, name: z.string().optional(), input: z.string().optional(), traceHeader: z.string().optional() }),
  execution: z.object({ executionArn: arnField }),
  list: z.object({
    stateMachineArn: arnField.optional(),
    mapRunArn: arnField.optional(),
    statusFilter: z.enum(STATUSES).optional(),
    maxResults: wire.maxResultsSchema,
    nextToken: wire.nextTokenSchema,
    redriveFilter: z.enum(['REDRIVEN', 'NOT_REDRIVEN']).optional(),
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
  mapRuns: z.object({ executionArn: arnField, maxResults: wire.maxResultsSchema, nextToken: wire.nextTokenSchema }),
  mapRun: z.object({ mapRunArn: arnField }),
};

/** The Step Functions API operations (https://docs.aws.amazon.com/step-functions/latest/apireference/API_Operations.html). */
export function operations(parts: Parts): Operations {
  const { catalog, store, callbacks } = parts;
  const executionOf = (arn: string): StoredExecution => {
    wire.checkExecutionArn(arn);
    const stored = store.get(arn);
    if (!stored) throw new AwsError('ExecutionDoesNotExist', `Execution Does Not Exist: '${arn}'`);
    return stored;
  };
  const mapRunOf = (arn: string) => {
    wire.checkMapRunArn(arn);
    const run = store.all().flatMap((s) => [...s.mapRuns.values()]).find((r) => r.mapRunArn === arn);
    if (!run) throw new AwsError('ResourceNotFound', `Map Run Does Not Exist: '${arn}'`, 400, { resourceName: arn });
    return run;
  };
  const recordOf = (arn: string) => store.get(arn)?.record;

  return {
    StartExecution: (input) => {
      const request = wire.parseRequest(requests.start, input);
      const { record } = startExecution(parts, request);
      return { executionArn: record.executionArn, startDate: record.startDate / 1000 };
    },

    DescribeExecution: (input) => wire.describeExecution(executionOf(wire.parseRequest(requests.execution, input).executionArn).record),

    // "You can specify either a mapRunArn or a stateMachineArn, but not both."
    ListExecutions: (input) => {
      const request = wire.parseRequest(requests.list, input);
      if ((request.stateMachineArn === undefined) === (request.mapRunArn === undefined)) {
        throw validationError('1 validation error detected: give exactly one of stateMachineArn and mapRunArn');
      }
      let matches: (record: ExecutionRecord) => boolean;
      if (request.mapRunArn !== undefined) {
        const { mapRunArn } = mapRunOf(request.mapRunArn);
        matches = (record) => record.mapRunArn === mapRunArn;
      } else {
        const { arn } = machineOf(parts, request.stateMachineArn ?? '');
        matches = (record) => record.stateMachineArn === arn;
      }
      const matching = store
        .all()
        .map((s) => s.record)
        .filter(matches)
        .filter((record) => request.statusFilter === undefined || record.status === request.statusFilter)
        .filter(() => request.redriveFilter !== 'REDRIVEN')
        .sort((a, b) => b.startDate - a.startDate || b.seq - a.seq);
      const scope = `executions:${request.stateMachineArn ?? request.mapRunArn}:${request.statusFilter ?? ''}`;
      const { items: page, nextToken } = wire.paginate(matching, scope, request.maxResults, request.nextToken);
      return { executions: page.map(wire.executionListItem), nextToken };
    },

    StopExecution: (input) => {
      const request = wire.parseRequest(requests.stop, input);
      const stored = executionOf(request.executionArn);
      stopExecution(parts, stored, request.error, request.cause);
      return { stopDate: (stored.record.stopDate ?? Date.now()) / 1000 };
    },

    GetExecutionHistory: (input) => {
      const request = wire.parseRequest(requests.history, input);
      const { record } = executionOf(request.executionArn);
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
      const machine = machineOf(parts, wire.parseRequest(requests.machine, input).stateMachineArn);
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
      const { record } = executionOf(wire.parseRequest(requests.execution, input).executionArn);
      const machine = machineOf(parts, record.stateMachineArn, true);
      return { stateMachineArn: machine.arn, name: machine.name, definition: machine.definitionText, roleArn: machine.roleArn, updateDate: machine.creationDate / 1000 };
    },

    ListMapRuns: (input) => {
      const request = wire.parseRequest(requests.mapRuns, input);
      const stored = executionOf(request.executionArn);
      const runs = [...stored.mapRuns.values()].sort((a, b) => a.startDate - b.startDate);
      const { items: page, nextToken } = wire.paginate(runs, `map-runs:${request.executionArn}`, request.maxResults, request.nextToken);
      return { mapRuns: page.map(mapRunListItem), nextToken };
    },

    DescribeMapRun: (input) => describeMapRun(mapRunOf(wire.parseRequest(requests.mapRun, input).mapRunArn), recordOf),
  };
}
