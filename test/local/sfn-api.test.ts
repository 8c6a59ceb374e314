import {
  DescribeExecutionCommand,
  DescribeStateMachineCommand,
  ExecutionAlreadyExists,
  ExecutionDoesNotExist,
  GetExecutionHistoryCommand,
  InvalidArn,
  InvalidExecutionInput,
  InvalidName,
  InvalidToken,
  ListExecutionsCommand,
  ListStateMachinesCommand,
  SFNClient,
  StartExecutionCommand,
  StateMachineDoesNotExist,
  StopExecutionCommand,
} from '@aws-sdk/client-sfn';
import { describe, expect, it } from 'vitest';
import { executionArn, stateMachineArn } from '../../local/core/arn.ts';
import { FaultInjector } from '../../local/core/faults.ts';
import { createSfnEmulator } from '../../local/sfn/service.ts';
import { clientConfig, noFaults, serve } from '../support/emulator.ts';
import { asl, fakeLambda, finished, historyOf, rejection } from './sfn-helpers.ts';

const lambda = fakeLambda({ 'gatehouse-echo': (payload) => ({ echoed: payload }) });
const machines = {
  quick: asl({
    'Echo Input': {
      Type: 'Task',
      Resource: 'arn:aws:states:::lambda:invoke',
      Parameters: { FunctionName: 'gatehouse-echo', 'Payload.$': '$' },
      OutputPath: '$.Payload',
      Next: 'Done',
    },
    Done: { Type: 'Succeed' },
  }),
  slow: asl({
    'Wait A While': { Type: 'Wait', Seconds: 30, Next: 'Echo Later' },
    'Echo Later': { Type: 'Task', Resource: 'arn:aws:lambda:us-east-1:000000000000:function:gatehouse-echo', End: true },
  }),
  listing: asl({ Nothing: { Type: 'Pass', End: true } }),
};

const endpoint = await serve(createSfnEmulator({ faults: noFaults() }, { machines, invokeFunction: lambda.invokeFunction }));
const client = new SFNClient(clientConfig(endpoint));
const start = (machine: string, input: unknown = {}, name?: string) =>
  client.send(new StartExecutionCommand({ stateMachineArn: stateMachineArn(machine), input: JSON.stringify(input), ...(name ? { name } : {}) }));

describe('local Step Functions: executions', () => {
  it('starts an execution and describes its input, output and dates', async () => {
    const started = await start('quick', { employeeId: 'e-1' }, 'delivery-001');
    expect(started.executionArn).toBe(executionArn('quick', 'delivery-001'));
    expect(started.startDate).toBeInstanceOf(Date);
    const description = await finished(client, started.executionArn ?? '');
    expect(description).toMatchObject({
      executionArn: started.executionArn,
      stateMachineArn: stateMachineArn('quick'),
      name: 'delivery-001',
      status: 'SUCCEEDED',
      input: '{"employeeId":"e-1"}',
      startDate: started.startDate,
    });
    expect(JSON.parse(description.output ?? '')).toEqual({ echoed: { employeeId: 'e-1' } });
    expect(description.stopDate?.getTime()).toBeGreaterThanOrEqual(started.startDate?.getTime() ?? Infinity);
  });

  it('names an execution with a UUID when no name is given, and defaults the input to {}', async () => {
    const started = await client.send(new StartExecutionCommand({ stateMachineArn: stateMachineArn('quick') }));
    expect(started.executionArn?.split(':').at(-1)).toMatch(/^[0-9a-f-]{36}$/);
    expect((await finished(client, started.executionArn ?? '')).input).toBe('{}');
  });

  it.each([['has space'], ['a'.repeat(81)], ['star*'], ['colon:name'], ['tab\tname'], ['']])('refuses the name %j', async (name) => {
    const request = client.send(new StartExecutionCommand({ stateMachineArn: stateMachineArn('quick'), name, input: '{}' }));
    expect(await rejection(request)).toBeInstanceOf(InvalidName);
  });

  it.each([['not json'], ['[1,2]'], ['"text"'], [JSON.stringify({ blob: 'x'.repeat(256 * 1024) })]])('refuses the input %#', async (input) => {
    const request = client.send(new StartExecutionCommand({ stateMachineArn: stateMachineArn('quick'), input }));
    expect(await rejection(request)).toBeInstanceOf(InvalidExecutionInput);
  });

  it('answers StateMachineDoesNotExist for an unknown machine and InvalidArn for a malformed ARN', async () => {
    expect(await rejection(start('no-such-machine'))).toBeInstanceOf(StateMachineDoesNotExist);
    const malformed = client.send(new StartExecutionCommand({ stateMachineArn: 'arn:aws:states:us-east-1:000000000000:activity:x' }));
    expect(await rejection(malformed)).toBeInstanceOf(InvalidArn);
  });

  it('returns the running execution for the same name and input, and refuses any other reuse of the name', async () => {
    const first = await start('slow', { employeeId: 'e-2' }, 'delivery-002');
    const again = await start('slow', { employeeId: 'e-2' }, 'delivery-002');
    expect(again).toMatchObject({ executionArn: first.executionArn, startDate: first.startDate });
    expect(await rejection(start('slow', { employeeId: 'other' }, 'delivery-002'))).toBeInstanceOf(ExecutionAlreadyExists);
    await client.send(new StopExecutionCommand({ executionArn: first.executionArn }));
    expect(await rejection(start('slow', { employeeId: 'e-2' }, 'delivery-002'))).toBeInstanceOf(ExecutionAlreadyExists);
  });

  it('stops a running execution: ABORTED with the given error and cause, and the run goes no further', async () => {
    const { executionArn: arn } = await start('slow', { employeeId: 'e-3' }, 'delivery-003');
    const stopped = await client.send(new StopExecutionCommand({ executionArn: arn, error: 'Operator.Cancelled', cause: 'duplicate hire' }));
    expect(stopped.stopDate).toBeInstanceOf(Date);
    const description = await client.send(new DescribeExecutionCommand({ executionArn: arn }));
    expect(description).toMatchObject({ status: 'ABORTED', error: 'Operator.Cancelled', cause: 'duplicate hire', stopDate: stopped.stopDate });
    const history = await historyOf(client, arn ?? '');
    expect(history.at(-1)).toMatchObject({
      type: 'ExecutionAborted',
      executionAbortedEventDetails: { error: 'Operator.Cancelled', cause: 'duplicate hire' },
    });
    expect(lambda.calls.some((call) => JSON.stringify(call.payload).includes('e-3'))).toBe(false);
  });

  it('answers ExecutionDoesNotExist for unknown executions and InvalidArn for malformed ones', async () => {
    const unknown = executionArn('quick', 'never-started');
    expect(await rejection(client.send(new DescribeExecutionCommand({ executionArn: unknown })))).toBeInstanceOf(ExecutionDoesNotExist);
    expect(await rejection(client.send(new StopExecutionCommand({ executionArn: unknown })))).toBeInstanceOf(ExecutionDoesNotExist);
    expect(await rejection(client.send(new GetExecutionHistoryCommand({ executionArn: unknown })))).toBeInstanceOf(ExecutionDoesNotExist);
    expect(await rejection(client.send(new DescribeExecutionCommand({ executionArn: 'not-an-arn' })))).toBeInstanceOf(InvalidArn);
  });

  it('lists executions newest first, filters by status and pages with nextToken', async () => {
    const arns: string[] = [];
    for (const n of [1, 2, 3]) arns.push((await start('listing', { n }, `listed-${n}`)).executionArn ?? '');
    for (const arn of arns) await finished(client, arn);
    const running = (await start('slow', {}, 'listing-running')).executionArn;
    const all = await client.send(new ListExecutionsCommand({ stateMachineArn: stateMachineArn('listing') }));
    expect(all.executions?.map((e) => e.name)).toEqual(['listed-3', 'listed-2', 'listed-1']);
    expect(all.executions?.[0]).toMatchObject({ status: 'SUCCEEDED', stateMachineArn: stateMachineArn('listing') });
    expect(all.executions?.[0]?.startDate).toBeInstanceOf(Date);

    const first = await client.send(new ListExecutionsCommand({ stateMachineArn: stateMachineArn('listing'), maxResults: 2 }));
    expect(first.executions?.map((e) => e.name)).toEqual(['listed-3', 'listed-2']);
    const second = await client.send(
      new ListExecutionsCommand({ stateMachineArn: stateMachineArn('listing'), maxResults: 2, nextToken: first.nextToken }),
    );
    expect(second.executions?.map((e) => e.name)).toEqual(['listed-1']);
    expect(second.nextToken).toBeUndefined();

    const slowRunning = await client.send(new ListExecutionsCommand({ stateMachineArn: stateMachineArn('slow'), statusFilter: 'RUNNING' }));
    expect(slowRunning.executions?.map((e) => e.executionArn)).toEqual([running]);
    await client.send(new StopExecutionCommand({ executionArn: running }));

    const badToken = client.send(new ListExecutionsCommand({ stateMachineArn: stateMachineArn('listing'), nextToken: 'garbage' }));
    expect(await rejection(badToken)).toBeInstanceOf(InvalidToken);
    const unknown = client.send(new ListExecutionsCommand({ stateMachineArn: stateMachineArn('missing') }));
    expect(await rejection(unknown)).toBeInstanceOf(StateMachineDoesNotExist);
  });
});

describe('local Step Functions: history', () => {
  it('records events in order with ids, previous ids, timestamps and details', async () => {
    const { executionArn: arn } = await start('quick', { employeeId: 'e-4' });
    await finished(client, arn ?? '');
    const events = await historyOf(client, arn ?? '');
    expect(events.map((e) => e.type)).toEqual([
      'ExecutionStarted',
      'TaskStateEntered',
      'TaskScheduled',
      'TaskStarted',
      'TaskSucceeded',
      'TaskStateExited',
      'SucceedStateEntered',
      'SucceedStateExited',
      'ExecutionSucceeded',
    ]);
    expect(events.map((e) => e.id)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(events.map((e) => e.previousEventId)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8]);
    for (const event of events) expect(event.timestamp).toBeInstanceOf(Date);
    expect(events[0]?.executionStartedEventDetails?.input).toBe('{"employeeId":"e-4"}');
    expect(events[1]?.stateEnteredEventDetails?.name).toBe('Echo Input');
    expect(events[2]?.taskScheduledEventDetails).toMatchObject({ resourceType: 'lambda', resource: 'invoke', region: 'us-east-1' });
    expect(JSON.parse(events[2]?.taskScheduledEventDetails?.parameters ?? '')).toEqual({
      FunctionName: 'gatehouse-echo',
      Payload: { employeeId: 'e-4' },
    });
    expect(JSON.parse(events.at(-1)?.executionSucceededEventDetails?.output ?? '')).toEqual({ echoed: { employeeId: 'e-4' } });
  });

  it('pages history, reverses it and leaves execution data out on request', async () => {
    const { executionArn: arn } = await start('quick', { employeeId: 'e-5' });
    await finished(client, arn ?? '');
    const page1 = await client.send(new GetExecutionHistoryCommand({ executionArn: arn, maxResults: 4, reverseOrder: true }));
    expect(page1.events?.map((e) => e.id)).toEqual([9, 8, 7, 6]);
    const page2 = await client.send(
      new GetExecutionHistoryCommand({ executionArn: arn, maxResults: 4, reverseOrder: true, nextToken: page1.nextToken }),
    );
    expect(page2.events?.map((e) => e.id)).toEqual([5, 4, 3, 2]);
    const lean = await client.send(new GetExecutionHistoryCommand({ executionArn: arn, includeExecutionData: false }));
    expect(lean.events?.[0]?.executionStartedEventDetails?.input).toBeUndefined();
    expect(lean.events?.[0]?.executionStartedEventDetails?.roleArn).toContain(':role/');
  });
});

describe('local Step Functions: state machines', () => {
  it('lists the machines and describes one with its definition', async () => {
    const listed = await client.send(new ListStateMachinesCommand({}));
    expect(listed.stateMachines?.map((m) => m.name)).toEqual(['gatehouse-listing', 'gatehouse-quick', 'gatehouse-slow']);
    const described = await client.send(new DescribeStateMachineCommand({ stateMachineArn: stateMachineArn('quick') }));
    expect(described).toMatchObject({ name: 'gatehouse-quick', status: 'ACTIVE', type: 'STANDARD', definition: machines.quick });
    expect(described.creationDate).toBeInstanceOf(Date);
    const unknown = client.send(new DescribeStateMachineCommand({ stateMachineArn: stateMachineArn('missing') }));
    expect(await rejection(unknown)).toBeInstanceOf(StateMachineDoesNotExist);
  });
});

describe('local Step Functions: faults', () => {
  it('surfaces an injected throttle as ThrottlingException', async () => {
    const faults = new FaultInjector([{ service: 'sfn', operation: 'StartExecution', throttle: 1, latencyMs: 0 }]);
    const throttled = new SFNClient(clientConfig(await serve(createSfnEmulator({ faults }, { machines, invokeFunction: lambda.invokeFunction })), 1));
    const error = await rejection(throttled.send(new StartExecutionCommand({ stateMachineArn: stateMachineArn('quick') })));
    expect(error).toMatchObject({ name: 'ThrottlingException' });
    expect(faults.throttled.get('sfn:StartExecution')).toBe(1);
    const listed = await throttled.send(new ListStateMachinesCommand({}));
    expect(listed.stateMachines).toHaveLength(3);
  });
});
