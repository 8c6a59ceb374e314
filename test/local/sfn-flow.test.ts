import { SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { describe, expect, it } from 'vitest';
import { stateMachineArn } from '../../local/core/arn.ts';
import { createSfnEmulator } from '../../local/sfn/service.ts';
import { clientConfig, noFaults, serve } from '../support/emulator.ts';
import { DomainError, FN_PREFIX, asl, fakeLambda, finished, historyOf } from './sfn-helpers.ts';

let flakyCalls = 0;
const lambda = fakeLambda({
  'gatehouse-echo': (payload) => ({ echoed: payload }),
  'gatehouse-double': (payload) => (payload as { n: number }).n * 2,
  'gatehouse-flaky': () => {
    flakyCalls += 1;
    if (flakyCalls === 1) throw new DomainError('TransientError', 'try again');
    throw new DomainError('ApprovalExpiredError', 'the approval link expired');
  },
});

const invoke = (fn: string, extra: Record<string, unknown> = {}) => ({
  Type: 'Task',
  Resource: 'arn:aws:states:::lambda:invoke',
  Parameters: { FunctionName: `gatehouse-${fn}`, 'Payload.$': '$' },
  ...extra,
});

const machines = {
  choice: asl({
    'Which Kind': {
      Type: 'Choice',
      Choices: [{ Variable: '$.kind', StringEquals: 'hire', Next: 'Hire' }],
      Default: 'Unknown Kind',
    },
    Hire: { Type: 'Pass', Result: 'hired', End: true },
    'Unknown Kind': { Type: 'Fail', Error: 'UnknownKindError', Cause: 'kind is not known' },
  }),
  invoke: asl({ 'Echo Input': invoke('echo', { End: true }) }),
  bare: asl({ 'Double It': { Type: 'Task', Resource: `${FN_PREFIX}gatehouse-double`, End: true } }),
  'retry-catch': asl({
    'Call Flaky': invoke('flaky', {
      Retry: [{ ErrorEquals: ['TransientError'], IntervalSeconds: 1, MaxAttempts: 2 }],
      Catch: [{ ErrorEquals: ['ApprovalExpiredError'], ResultPath: '$.failure', Next: 'Record Failure' }],
      Next: 'Done',
    }),
    Done: { Type: 'Succeed' },
    'Record Failure': { Type: 'Pass', End: true },
  }),
  parallel: asl({
    'Both Ways': {
      Type: 'Parallel',
      Branches: [
        { StartAt: 'Left', States: { Left: { Type: 'Pass', Result: 'left', End: true } } },
        { StartAt: 'Right', States: { Right: { Type: 'Task', Resource: `${FN_PREFIX}gatehouse-double`, End: true } } },
      ],
      End: true,
    },
  }),
  map: asl({
    'Each Item': {
      Type: 'Map',
      ItemsPath: '$.items',
      ItemProcessor: { StartAt: 'Double Item', States: { 'Double Item': { Type: 'Task', Resource: `${FN_PREFIX}gatehouse-double`, End: true } } },
      End: true,
    },
  }),
  context: asl({
    'Read Context': {
      Type: 'Pass',
      Parameters: {
        'executionId.$': '$$.Execution.Id',
        'executionName.$': '$$.Execution.Name',
        'machineId.$': '$$.StateMachine.Id',
        'machineName.$': '$$.StateMachine.Name',
        'state.$': '$$.State.Name',
        'entered.$': '$$.State.EnteredTime',
        'input.$': '$$.Execution.Input',
      },
      ResultPath: '$.pass',
      Next: 'Task Context',
    },
    'Task Context': {
      Type: 'Task',
      Resource: 'arn:aws:states:::lambda:invoke',
      Parameters: { FunctionName: 'gatehouse-echo', Payload: { 'state.$': '$$.State.Name' } },
      ResultSelector: { 'state.$': '$.Payload.echoed.state' },
      ResultPath: '$.task',
      End: true,
    },
  }),
  unsupported: asl({
    'Send To Queue': { Type: 'Task', Resource: 'arn:aws:states:::sqs:sendMessage', Parameters: { QueueUrl: 'q', MessageBody: 'm' }, End: true },
  }),
  'times-out': asl({ 'Wait Long': { Type: 'Wait', Seconds: 5, End: true } }, { TimeoutSeconds: 1 }),
};

const endpoint = await serve(createSfnEmulator({ faults: noFaults() }, { machines, invokeFunction: lambda.invokeFunction }));
const client = new SFNClient(clientConfig(endpoint));

async function run(machine: keyof typeof machines, input: unknown, timeoutMs?: number) {
  const { executionArn } = await client.send(
    new StartExecutionCommand({ stateMachineArn: stateMachineArn(machine), input: JSON.stringify(input) }),
  );
  const description = await finished(client, executionArn ?? '', timeoutMs);
  return { executionArn: executionArn ?? '', description, output: description.output ? (JSON.parse(description.output) as unknown) : undefined };
}

describe('local Step Functions: states', () => {
  it('takes the matching Choice branch', async () => {
    const { description, output } = await run('choice', { kind: 'hire' });
    expect(description.status).toBe('SUCCEEDED');
    expect(output).toBe('hired');
  });

  it('fails through the Default branch into a Fail state with its error and cause', async () => {
    const { description } = await run('choice', { kind: 'sabbatical' });
    expect(description).toMatchObject({ status: 'FAILED', error: 'UnknownKindError', cause: 'kind is not known' });
    expect(description.stopDate).toBeInstanceOf(Date);
  });

  it('shapes lambda:invoke results like AWS', async () => {
    const { output } = await run('invoke', { employeeId: 'e-1' });
    expect(output).toMatchObject({
      ExecutedVersion: '$LATEST',
      Payload: { echoed: { employeeId: 'e-1' } },
      StatusCode: 200,
      SdkHttpMetadata: { HttpStatusCode: 200 },
      SdkResponseMetadata: { RequestId: expect.any(String) },
    });
    expect(lambda.calls.at(-1)).toEqual({ name: 'gatehouse-echo', payload: { employeeId: 'e-1' } });
  });

  it('passes the state input to a bare function ARN and returns its raw output', async () => {
    const { output } = await run('bare', { n: 21 });
    expect(output).toBe(42);
  });

  it('retries on the Lambda error name, then catches the next error with a Lambda-shaped cause', async () => {
    flakyCalls = 0;
    const { description, output } = await run('retry-catch', { requestId: 'r-1' });
    expect(description.status).toBe('SUCCEEDED');
    expect(flakyCalls).toBe(2);
    const failure = (output as { failure: { Error: string; Cause: string } }).failure;
    expect(failure.Error).toBe('ApprovalExpiredError');
    expect(JSON.parse(failure.Cause)).toMatchObject({ errorType: 'ApprovalExpiredError', errorMessage: 'the approval link expired' });
  });

  it('runs Parallel branches and gathers their results in order', async () => {
    const { output } = await run('parallel', { n: 4 });
    expect(output).toEqual(['left', 8]);
  });

  it('runs a Map over the items', async () => {
    const { executionArn, output } = await run('map', { items: [{ n: 1 }, { n: 2 }, { n: 3 }] });
    expect(output).toEqual([2, 4, 6]);
    const types = (await historyOf(client, executionArn)).map((event) => event.type);
    expect(types.filter((type) => type === 'MapIterationSucceeded')).toHaveLength(3);
  });

  it('fills the context object: execution, state machine and current state', async () => {
    const { executionArn, output } = await run('context', { employeeId: 'e-9' });
    const { pass, task } = output as { pass: Record<string, unknown>; task: Record<string, unknown> };
    expect(pass).toMatchObject({
      executionId: executionArn,
      executionName: executionArn.split(':').at(-1),
      machineId: stateMachineArn('context'),
      machineName: 'gatehouse-context',
      state: 'Read Context',
      input: { employeeId: 'e-9' },
    });
    expect(Date.parse(pass.entered as string)).not.toBeNaN();
    expect(task).toEqual({ state: 'Task Context' });
  });

  it('fails a Task whose resource the local cloud cannot run with States.TaskFailed and a clear cause', async () => {
    const { description } = await run('unsupported', {});
    expect(description).toMatchObject({ status: 'FAILED', error: 'States.TaskFailed' });
    expect(description.cause).toContain('arn:aws:states:::sqs:sendMessage');
    expect(description.cause).toContain('not supported');
  });

  it('times an execution out after the machine TimeoutSeconds', async () => {
    const { executionArn, description } = await run('times-out', {});
    expect(description).toMatchObject({ status: 'TIMED_OUT', error: 'States.Timeout' });
    expect((await historyOf(client, executionArn)).at(-1)?.type).toBe('ExecutionTimedOut');
  });
});
