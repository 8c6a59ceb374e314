import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  DescribeExecutionCommand,
  ExecutionAlreadyExists,
  SendTaskSuccessCommand,
  SFNClient,
  StartExecutionCommand,
  TaskDoesNotExist,
} from '@aws-sdk/client-sfn';
import { describe, expect, it, onTestFinished } from 'vitest';
import { stateMachineArn } from '../../local/core/arn.ts';
import { createSfnEmulator } from '../../local/sfn/service.ts';
import { clientConfig, noFaults } from '../support/emulator.ts';
import { asl, eventually, fakeLambda, finished, historyOf, rejection, serveForThisTest } from './sfn-helpers.ts';

const machines = {
  'wait-then-echo': asl({
    'Wait For Start Date': { Type: 'Wait', Seconds: 3, Next: 'Echo' },
    Echo: { Type: 'Task', Resource: 'arn:aws:lambda:us-east-1:000000000000:function:gatehouse-echo', End: true },
  }),
  approval: asl({
    'Ask For Approval': {
      Type: 'Task',
      Resource: 'arn:aws:states:::lambda:invoke.waitForTaskToken',
      Parameters: { FunctionName: 'gatehouse-approval-request', Payload: { 'taskToken.$': '$$.Task.Token' } },
      TimeoutSeconds: 300,
      End: true,
    },
  }),
  quick: asl({ Done: { Type: 'Pass', Result: 'done', End: true } }),
};

async function stateDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'gatehouse-sfn-'));
  onTestFinished(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

/** One emulator "process" on `dir`, with its own fake Lambda and SDK client. */
async function boot(dir: string) {
  const lambda = fakeLambda({ 'gatehouse-echo': (payload) => ({ echoed: payload }), 'gatehouse-approval-request': () => ({ mailed: true }) });
  const emulator = createSfnEmulator({ stateDir: dir, faults: noFaults() }, { machines, invokeFunction: lambda.invokeFunction });
  const client = new SFNClient(clientConfig(await serveForThisTest(emulator)));
  await emulator.ready();
  return { emulator, client, lambda };
}

describe('local Step Functions: restarts', () => {
  it('re-drives an execution parked in a Wait state from the start, and keeps finished ones', async () => {
    const dir = await stateDir();
    const first = await boot(dir);
    const done = await first.client.send(new StartExecutionCommand({ stateMachineArn: stateMachineArn('quick'), name: 'finished-before' }));
    await finished(first.client, done.executionArn ?? '');
    const started = await first.client.send(
      new StartExecutionCommand({ stateMachineArn: stateMachineArn('wait-then-echo'), name: 'hire-42', input: '{"employeeId":"e-42"}' }),
    );
    const arn = started.executionArn ?? '';
    await eventually(async () => (await historyOf(first.client, arn)).find((e) => e.type === 'WaitStateEntered'), 'the Wait state');
    await first.emulator.stop?.();
    expect(first.lambda.calls).toHaveLength(0);

    const second = await boot(dir);
    const description = await finished(second.client, arn, 15_000);
    expect(description).toMatchObject({ status: 'SUCCEEDED', startDate: started.startDate, redriveCount: 1 });
    expect(JSON.parse(description.output ?? '')).toEqual({ echoed: { employeeId: 'e-42' } });
    expect(second.lambda.calls).toHaveLength(1);
    const types = (await historyOf(second.client, arn)).map((e) => e.type);
    expect(types.filter((type) => type === 'ExecutionStarted')).toHaveLength(1);
    expect(types.indexOf('ExecutionRedriven')).toBeGreaterThan(types.indexOf('WaitStateEntered'));
    expect(types.at(-1)).toBe('ExecutionSucceeded');

    expect((await second.client.send(new DescribeExecutionCommand({ executionArn: done.executionArn }))).status).toBe('SUCCEEDED');
    const reuse = second.client.send(new StartExecutionCommand({ stateMachineArn: stateMachineArn('quick'), name: 'finished-before' }));
    expect(await rejection(reuse)).toBeInstanceOf(ExecutionAlreadyExists);
  });

  it('re-drives an execution parked on a callback: the function is asked again with a new token', async () => {
    const dir = await stateDir();
    const first = await boot(dir);
    const started = await first.client.send(new StartExecutionCommand({ stateMachineArn: stateMachineArn('approval'), name: 'approval-7' }));
    const arn = started.executionArn ?? '';
    const tokenOf = (calls: { payload: unknown }[]) => () => (calls[0]?.payload as { taskToken?: string } | undefined)?.taskToken;
    const oldToken = await eventually(tokenOf(first.lambda.calls), 'the first approval request');
    await first.emulator.stop?.();

    const second = await boot(dir);
    const newToken = await eventually(tokenOf(second.lambda.calls), 'the re-driven approval request');
    expect(newToken).not.toBe(oldToken);
    expect(await rejection(second.client.send(new SendTaskSuccessCommand({ taskToken: oldToken, output: '{}' })))).toBeInstanceOf(
      TaskDoesNotExist,
    );
    await second.client.send(new SendTaskSuccessCommand({ taskToken: newToken, output: '{"approved":true}' }));
    const description = await finished(second.client, arn);
    expect(description).toMatchObject({ status: 'SUCCEEDED', output: '{"approved":true}' });
  });
});
