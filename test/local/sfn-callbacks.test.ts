import {
  DescribeExecutionCommand,
  InvalidToken,
  SendTaskFailureCommand,
  SendTaskHeartbeatCommand,
  SendTaskSuccessCommand,
  SFNClient,
  StartExecutionCommand,
  StopExecutionCommand,
  TaskDoesNotExist,
  TaskTimedOut,
} from '@aws-sdk/client-sfn';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { stateMachineArn } from '../../local/core/arn.ts';
import { createSfnEmulator } from '../../local/sfn/service.ts';
import { clientConfig, noFaults, serve } from '../support/emulator.ts';
import { asl, eventually, fakeLambda, finished, historyOf, rejection } from './sfn-helpers.ts';

interface ApprovalRequest {
  taskToken: string;
  requestId: string;
}
const lambda = fakeLambda({ 'gatehouse-approval-request': () => ({ mailed: true }) });

function approvalMachine(timing: Record<string, number>, catchErrors: string[]): string {
  return asl({
    'Ask For Approval': {
      Type: 'Task',
      Resource: 'arn:aws:states:::lambda:invoke.waitForTaskToken',
      Parameters: { FunctionName: 'gatehouse-approval-request', Payload: { 'taskToken.$': '$$.Task.Token', 'requestId.$': '$.requestId' } },
      ...timing,
      ResultPath: '$.decision',
      Catch: [{ ErrorEquals: catchErrors, ResultPath: '$.failure', Next: 'Record Failure' }],
      Next: 'Approved',
    },
    Approved: { Type: 'Pass', End: true },
    'Record Failure': { Type: 'Pass', End: true },
  });
}

const machines = {
  approval: approvalMachine({ TimeoutSeconds: 60 }, ['ApprovalDeniedError']),
  'approval-timeout': approvalMachine({ TimeoutSeconds: 1 }, ['States.Timeout']),
  'approval-heartbeat': approvalMachine({ TimeoutSeconds: 60, HeartbeatSeconds: 2 }, ['States.HeartbeatTimeout']),
};
const endpoint = await serve(createSfnEmulator({ faults: noFaults() }, { machines, invokeFunction: lambda.invokeFunction }));
const client = new SFNClient(clientConfig(endpoint));

async function startApproval(machine: keyof typeof machines, requestId: string) {
  const { executionArn } = await client.send(
    new StartExecutionCommand({ stateMachineArn: stateMachineArn(machine), input: JSON.stringify({ requestId }) }),
  );
  const request = await eventually(
    () => lambda.calls.map((call) => call.payload as ApprovalRequest).find((payload) => payload.requestId === requestId),
    `the approval request for ${requestId}`,
  );
  return { executionArn: executionArn ?? '', token: request.taskToken };
}

const output = async (executionArn: string) => JSON.parse((await finished(client, executionArn)).output ?? 'null') as Record<string, unknown>;

describe('local Step Functions: callback tasks', () => {
  it('hands the function a fresh token and resumes with the SendTaskSuccess output', async () => {
    const { executionArn, token } = await startApproval('approval', 'req-ok');
    const other = await startApproval('approval', 'req-other');
    expect(token).toMatch(/^[A-Za-z0-9_-]{64,}$/);
    expect(other.token).not.toBe(token);
    expect((await client.send(new DescribeExecutionCommand({ executionArn }))).status).toBe('RUNNING');

    await client.send(new SendTaskHeartbeatCommand({ taskToken: token }));
    await client.send(new SendTaskSuccessCommand({ taskToken: token, output: JSON.stringify({ approved: true, approver: 'm-1' }) }));
    expect((await output(executionArn)).decision).toEqual({ approved: true, approver: 'm-1' });

    const types = (await historyOf(client, executionArn)).map((event) => event.type);
    expect(types.slice(1, 6)).toEqual(['TaskStateEntered', 'TaskScheduled', 'TaskStarted', 'TaskSubmitted', 'TaskSucceeded']);
    await client.send(new StopExecutionCommand({ executionArn: other.executionArn }));
  });

  it('answers TaskDoesNotExist when a settled token is used again', async () => {
    const { executionArn, token } = await startApproval('approval', 'req-reuse');
    await client.send(new SendTaskSuccessCommand({ taskToken: token, output: '{}' }));
    await finished(client, executionArn);
    expect(await rejection(client.send(new SendTaskSuccessCommand({ taskToken: token, output: '{}' })))).toBeInstanceOf(TaskDoesNotExist);
    expect(await rejection(client.send(new SendTaskFailureCommand({ taskToken: token, error: 'X' })))).toBeInstanceOf(TaskDoesNotExist);
    expect(await rejection(client.send(new SendTaskHeartbeatCommand({ taskToken: token })))).toBeInstanceOf(TaskDoesNotExist);
  });

  it('fails the state with the SendTaskFailure error, which Catch matches by name', async () => {
    const { executionArn, token } = await startApproval('approval', 'req-denied');
    await client.send(new SendTaskFailureCommand({ taskToken: token, error: 'ApprovalDeniedError', cause: 'manager said no' }));
    expect((await output(executionArn)).failure).toEqual({ Error: 'ApprovalDeniedError', Cause: 'manager said no' });
    const failed = (await historyOf(client, executionArn)).find((event) => event.type === 'TaskFailed');
    expect(failed?.taskFailedEventDetails).toMatchObject({ error: 'ApprovalDeniedError', cause: 'manager said no' });
  });

  it('times the task out after TimeoutSeconds with States.Timeout, and the token then answers TaskTimedOut', async () => {
    const { executionArn, token } = await startApproval('approval-timeout', 'req-late');
    expect((await output(executionArn)).failure).toMatchObject({ Error: 'States.Timeout' });
    expect((await historyOf(client, executionArn)).map((event) => event.type)).toContain('TaskTimedOut');
    expect(await rejection(client.send(new SendTaskSuccessCommand({ taskToken: token, output: '{}' })))).toBeInstanceOf(TaskTimedOut);
  });

  it('keeps a task alive while heartbeats arrive and times it out with States.HeartbeatTimeout when they stop', async () => {
    const { executionArn, token } = await startApproval('approval-heartbeat', 'req-heartbeat');
    for (let beat = 0; beat < 5; beat += 1) {
      await sleep(500);
      await client.send(new SendTaskHeartbeatCommand({ taskToken: token }));
    }
    expect((await client.send(new DescribeExecutionCommand({ executionArn }))).status).toBe('RUNNING');
    expect((await output(executionArn)).failure).toMatchObject({ Error: 'States.HeartbeatTimeout' });
    expect(await rejection(client.send(new SendTaskHeartbeatCommand({ taskToken: token })))).toBeInstanceOf(TaskTimedOut);
  });

  it('drops the tokens of a stopped execution', async () => {
    const { executionArn, token } = await startApproval('approval', 'req-stopped');
    await client.send(new StopExecutionCommand({ executionArn }));
    expect(await rejection(client.send(new SendTaskSuccessCommand({ taskToken: token, output: '{}' })))).toBeInstanceOf(TaskDoesNotExist);
  });

  it('answers InvalidToken for a malformed token and TaskDoesNotExist for an unknown one', async () => {
    expect(await rejection(client.send(new SendTaskSuccessCommand({ taskToken: 'forged', output: '{}' })))).toBeInstanceOf(InvalidToken);
    const unknown = `GHT1${'A'.repeat(64)}`;
    expect(await rejection(client.send(new SendTaskHeartbeatCommand({ taskToken: unknown })))).toBeInstanceOf(TaskDoesNotExist);
  });
});
