import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  DescribeExecutionCommand,
  ExecutionAlreadyExists,
  SendTaskSuccessCommand,
  SFNClient,
  StartExecutionCommand,
  type HistoryEvent,
} from '@aws-sdk/client-sfn';
import { describe, expect, it, onTestFinished } from 'vitest';
import { stateMachineArn } from '../../local/core/arn.ts';
import { createSfnEmulator } from '../../local/sfn/service.ts';
import { clientConfig, noFaults } from '../support/emulator.ts';
import { DomainError, FN_PREFIX, asl, eventually, fakeLambda, finished, historyOf, rejection, serveForThisTest, type FakeFunction } from './sfn-helpers.ts';

/**
 * Restarts resume, they never re-drive (issue #11): a new emulator on the same state folder
 * continues every RUNNING execution at the state that was running. Finished steps are not run
 * again, callbacks keep their tokens, Waits, retry backoffs and machine timeouts keep their
 * absolute deadlines, and the history has no event twice. (SIGKILL mid-flow, on the whole
 * local cloud: test/e2e/support/crash-every-state.ts.)
 */
const callback = (name: string, next: Record<string, unknown>) => ({
  Type: 'Task',
  Resource: 'arn:aws:states:::lambda:invoke.waitForTaskToken',
  Parameters: { FunctionName: 'gatehouse-approval-request', Payload: { 'taskToken.$': '$$.Task.Token', 'step.$': '$.step', 'name': name } },
  TimeoutSeconds: 300,
  ...next,
});
const echo = (next: Record<string, unknown>) => ({ Type: 'Task', Resource: `${FN_PREFIX}gatehouse-echo`, ...next });

const machines = {
  'wait-then-echo': asl({ 'Wait For Start Date': { Type: 'Wait', Seconds: 3, Next: 'Echo' }, Echo: echo({ End: true }) }),
  approval: asl({ 'Ask For Approval': callback('only', { End: true }) }),
  'approve-wait-echo': asl({
    'Ask For Approval': callback('first', { ResultPath: '$.decision', Next: 'Cool Off' }),
    'Cool Off': { Type: 'Wait', Seconds: 2, Next: 'Echo' },
    Echo: echo({ End: true }),
  }),
  'retry-backoff': asl({
    'Call Flaky': echo({ Resource: `${FN_PREFIX}gatehouse-flaky`, Retry: [{ ErrorEquals: ['TransientError'], IntervalSeconds: 2, MaxAttempts: 3, BackoffRate: 1 }], End: true }),
  }),
  'approvers-map': asl({
    'Ask Each': {
      Type: 'Map',
      ItemsPath: '$.steps',
      MaxConcurrency: 1,
      ItemSelector: { 'step.$': '$$.Map.Item.Value' },
      ItemProcessor: { StartAt: 'Ask Approver', States: { 'Ask Approver': callback('map', { End: true }) } },
      End: true,
    },
  }),
  'parallel-wait': asl({
    'Both Ways': {
      Type: 'Parallel',
      Branches: [
        { StartAt: 'Echo Now', States: { 'Echo Now': echo({ End: true }) } },
        { StartAt: 'Wait A Bit', States: { 'Wait A Bit': { Type: 'Wait', Seconds: 2, End: true } } },
      ],
      End: true,
    },
  }),
  hang: asl({ 'Call Slow': echo({ Resource: `${FN_PREFIX}gatehouse-slow`, End: true }) }),
  'times-out': asl({ 'Wait Long': { Type: 'Wait', Seconds: 30, End: true } }, { TimeoutSeconds: 3 }),
  quick: asl({ Done: { Type: 'Pass', Result: 'done', End: true } }),
};

async function stateDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'gatehouse-sfn-'));
  onTestFinished(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

/** One emulator "process" on `dir`, with its own fake Lambda and SDK client. */
async function boot(dir: string, overrides: Record<string, FakeFunction> = {}) {
  const lambda = fakeLambda({
    'gatehouse-echo': (payload) => ({ echoed: payload }),
    'gatehouse-approval-request': () => ({ mailed: true }),
    'gatehouse-slow': () => new Promise(() => undefined),
    'gatehouse-flaky': () => {
      throw new DomainError('TransientError', 'try again');
    },
    ...overrides,
  });
  const emulator = createSfnEmulator({ stateDir: dir, faults: noFaults() }, { machines, invokeFunction: lambda.invokeFunction });
  const client = new SFNClient(clientConfig(await serveForThisTest(emulator)));
  onTestFinished(() => client.destroy());
  await emulator.ready();
  return { emulator, client, lambda };
}

async function start(client: SFNClient, machine: keyof typeof machines, name: string, input: unknown = {}) {
  const out = await client.send(new StartExecutionCommand({ stateMachineArn: stateMachineArn(machine), name, input: JSON.stringify(input) }));
  return out.executionArn ?? '';
}

const typesOf = (events: HistoryEvent[]) => events.map((e) => e.type);
const count = (events: HistoryEvent[], type: string) => events.filter((e) => e.type === type).length;
const tokenAt = (calls: { payload: unknown }[], index: number) => (calls[index]?.payload as { taskToken?: string } | undefined)?.taskToken;

/** A history read back after a restart: ids in order, each event once. */
function expectWellFormed(events: HistoryEvent[]): void {
  expect(events.map((e) => e.id)).toEqual(events.map((_, i) => i + 1));
  expect(count(events, 'ExecutionStarted')).toBe(1);
  expect(typesOf(events)).not.toContain('ExecutionRedriven');
}

describe('local Step Functions: restarts resume where the execution was', () => {
  it('ends a Wait at its original instant, runs the next state once, and keeps finished executions', async () => {
    const dir = await stateDir();
    const first = await boot(dir);
    const quick = await start(first.client, 'quick', 'finished-before');
    await finished(first.client, quick);
    const arn = await start(first.client, 'wait-then-echo', 'hire-42', { employeeId: 'e-42' });
    const entered = await eventually(async () => (await historyOf(first.client, arn)).find((e) => e.type === 'WaitStateEntered'), 'the Wait state');
    await new Promise((resolve) => setTimeout(resolve, 1_000)); // a restarted Wait would now end a second late
    await first.emulator.stop?.();

    const second = await boot(dir);
    const description = await finished(second.client, arn, 15_000);
    expect(description).toMatchObject({ status: 'SUCCEEDED', redriveCount: 0 });
    expect(JSON.parse(description.output ?? '')).toEqual({ echoed: { employeeId: 'e-42' } });
    expect(first.lambda.calls).toHaveLength(0);
    expect(second.lambda.calls).toHaveLength(1);
    const events = await historyOf(second.client, arn);
    expectWellFormed(events);
    expect(count(events, 'WaitStateEntered')).toBe(1);
    const exited = events.find((e) => e.type === 'WaitStateExited');
    const waited = (exited?.timestamp?.getTime() ?? 0) - (entered.timestamp?.getTime() ?? 0);
    expect(waited).toBeGreaterThanOrEqual(2_990);
    expect(waited).toBeLessThan(3_800);
    expect(await rejection(second.client.send(new StartExecutionCommand({ stateMachineArn: stateMachineArn('quick'), name: 'finished-before' })))).toBeInstanceOf(ExecutionAlreadyExists);
  });

  it('keeps a waiting callback: the function is not asked again and the token mailed before the restart works', async () => {
    const dir = await stateDir();
    const first = await boot(dir);
    const arn = await start(first.client, 'approval', 'approval-7', { step: 0 });
    const token = await eventually(() => tokenAt(first.lambda.calls, 0), 'the approval request');
    await first.emulator.stop?.();

    const second = await boot(dir);
    await second.client.send(new SendTaskSuccessCommand({ taskToken: token, output: '{"approved":true}' }));
    expect(await finished(second.client, arn)).toMatchObject({ status: 'SUCCEEDED', output: '{"approved":true}' });
    expect(second.lambda.calls).toHaveLength(0);
    const events = await historyOf(second.client, arn);
    expectWellFormed(events);
    expect(typesOf(events)).toEqual([
      'ExecutionStarted',
      'TaskStateEntered',
      'TaskScheduled',
      'TaskStarted',
      'TaskSubmitted',
      'TaskSucceeded',
      'TaskStateExited',
      'ExecutionSucceeded',
    ]);
  });

  it('never asks a callback that was decided again, and keeps the decision', async () => {
    const dir = await stateDir();
    const first = await boot(dir);
    const arn = await start(first.client, 'approve-wait-echo', 'approval-8', { step: 0 });
    const token = await eventually(() => tokenAt(first.lambda.calls, 0), 'the approval request');
    await first.client.send(new SendTaskSuccessCommand({ taskToken: token, output: '{"approved":"yes"}' }));
    await eventually(async () => (await historyOf(first.client, arn)).find((e) => e.type === 'WaitStateEntered'), 'the Wait after the decision');
    await first.emulator.stop?.();

    const second = await boot(dir);
    const description = await finished(second.client, arn, 10_000);
    expect(JSON.parse(description.output ?? '')).toEqual({ echoed: { step: 0, decision: { approved: 'yes' } } });
    expect(second.lambda.calls.map((c) => c.name)).toEqual(['gatehouse-echo']);
    expectWellFormed(await historyOf(second.client, arn));
  });

  it('resumes a retry backoff at its journaled instant and counts the attempts made before the restart', async () => {
    const dir = await stateDir();
    const first = await boot(dir);
    const arn = await start(first.client, 'retry-backoff', 'flaky-1');
    const failed = await eventually(async () => (await historyOf(first.client, arn)).find((e) => e.type === 'LambdaFunctionFailed'), 'the first failed attempt');
    await first.emulator.stop?.();

    let calls = 0;
    const second = await boot(dir, { 'gatehouse-flaky': () => ({ attempt: (calls += 1) }) });
    expect(JSON.parse((await finished(second.client, arn, 10_000)).output ?? '')).toEqual({ attempt: 1 });
    const events = await historyOf(second.client, arn);
    expectWellFormed(events);
    expect(count(events, 'LambdaFunctionScheduled')).toBe(2);
    expect(count(events, 'LambdaFunctionFailed')).toBe(1);
    const second2 = events.filter((e) => e.type === 'LambdaFunctionScheduled')[1];
    const backoff = (second2?.timestamp?.getTime() ?? 0) - (failed.timestamp?.getTime() ?? 0);
    expect(backoff).toBeGreaterThanOrEqual(1_950);
    expect(backoff).toBeLessThan(2_800);
  });

  it('resumes a Map iteration by iteration: a finished approval is not asked again, the waiting one keeps its token', async () => {
    const dir = await stateDir();
    const first = await boot(dir);
    const arn = await start(first.client, 'approvers-map', 'map-1', { steps: [0, 1] });
    const firstToken = await eventually(() => tokenAt(first.lambda.calls, 0), 'approval 0');
    await first.client.send(new SendTaskSuccessCommand({ taskToken: firstToken, output: '"approved 0"' }));
    const secondToken = await eventually(() => tokenAt(first.lambda.calls, 1), 'approval 1');
    await first.emulator.stop?.();

    const second = await boot(dir);
    await second.client.send(new SendTaskSuccessCommand({ taskToken: secondToken, output: '"approved 1"' }));
    expect(JSON.parse((await finished(second.client, arn)).output ?? '')).toEqual(['approved 0', 'approved 1']);
    expect(second.lambda.calls).toHaveLength(0);
    const events = await historyOf(second.client, arn);
    expectWellFormed(events);
    expect(count(events, 'MapIterationStarted')).toBe(2);
    expect(count(events, 'TaskSubmitted')).toBe(2);
  });

  it('resumes a Parallel branch by branch: the finished one is not run again', async () => {
    const dir = await stateDir();
    const first = await boot(dir);
    const arn = await start(first.client, 'parallel-wait', 'parallel-1', { n: 1 });
    await eventually(async () => (await historyOf(first.client, arn)).find((e) => e.type === 'WaitStateEntered'), 'the waiting branch');
    await eventually(() => first.lambda.calls[0], 'the echo branch');
    await eventually(async () => (await historyOf(first.client, arn)).find((e) => e.type === 'LambdaFunctionSucceeded'), 'the echo branch to end');
    await first.emulator.stop?.();

    const second = await boot(dir);
    expect(JSON.parse((await finished(second.client, arn)).output ?? '')).toEqual([{ echoed: { n: 1 } }, { n: 1 }]);
    expect(second.lambda.calls).toHaveLength(0);
    expectWellFormed(await historyOf(second.client, arn));
  });

  it('runs the state that was running again (at least once), with no second TaskScheduled in the history', async () => {
    const dir = await stateDir();
    const first = await boot(dir);
    const arn = await start(first.client, 'hang', 'slow-1', { job: 'x' });
    await eventually(() => first.lambda.calls[0], 'the slow call');
    await first.emulator.stop?.();

    const second = await boot(dir, { 'gatehouse-slow': (payload) => ({ done: payload }) });
    expect(JSON.parse((await finished(second.client, arn)).output ?? '')).toEqual({ done: { job: 'x' } });
    expect(second.lambda.calls).toHaveLength(1);
    const events = await historyOf(second.client, arn);
    expectWellFormed(events);
    expect(count(events, 'LambdaFunctionScheduled')).toBe(1);
  });

  it('times an execution out at its TimeoutSeconds from the start date, not from the restart', async () => {
    const dir = await stateDir();
    const first = await boot(dir);
    const arn = await start(first.client, 'times-out', 'timeout-1');
    await eventually(async () => (await historyOf(first.client, arn)).find((e) => e.type === 'WaitStateEntered'), 'the Wait state');
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    await first.emulator.stop?.();

    const second = await boot(dir);
    const description = await finished(second.client, arn, 10_000);
    expect(description.status).toBe('TIMED_OUT');
    const lasted = (description.stopDate?.getTime() ?? 0) - (description.startDate?.getTime() ?? 0);
    expect(lasted).toBeGreaterThanOrEqual(2_990);
    expect(lasted).toBeLessThan(3_800);
    expect((await second.client.send(new DescribeExecutionCommand({ executionArn: arn }))).redriveCount).toBe(0);
  });
});
