import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  DescribeExecutionCommand,
  DescribeMapRunCommand,
  ListExecutionsCommand,
  ListMapRunsCommand,
  ListStateMachinesCommand,
  ResourceNotFound,
  SendTaskSuccessCommand,
  SFNClient,
  StartExecutionCommand,
  StateMachineDoesNotExist,
  StopExecutionCommand,
} from '@aws-sdk/client-sfn';
import { describe, expect, it, onTestFinished } from 'vitest';
import { stateMachineArn } from '../../local/core/arn.ts';
import { createSfnEmulator } from '../../local/sfn/service.ts';
import { clientConfig, noFaults, serve } from '../support/emulator.ts';
import { DomainError, asl, eventually, fakeLambda, finished, historyOf, rejection, serveForThisTest } from './sfn-helpers.ts';

/**
 * Child workflows and Distributed Map on the local Step Functions, through the real
 * @aws-sdk/client-sfn (https://docs.aws.amazon.com/step-functions/latest/dg/connect-stepfunctions.html,
 * https://docs.aws.amazon.com/step-functions/latest/dg/state-map-distributed.html), and how
 * both resume after a restart: a parent finds the children it started, never a second set.
 */
let running = 0;
let peak = 0;
const work = async (payload: unknown) => {
  running += 1;
  peak = Math.max(peak, running);
  await sleep(30);
  running -= 1;
  if ((payload as { fail?: boolean } | null)?.fail) throw new DomainError('ItemError', 'this item fails');
  return { done: payload };
};
const functions = { 'gatehouse-work': work, 'gatehouse-approval-request': () => ({ mailed: true }) };
const lambda = fakeLambda(functions);

const child = (machine: string) => stateMachineArn(machine);
const start = (pattern: string, extra: Record<string, unknown> = {}) => ({
  Type: 'Task',
  Resource: `arn:aws:states:::states:startExecution${pattern}`,
  Parameters: { StateMachineArn: child('child'), Input: { 'n.$': '$.n', 'fail.$': '$.fail', 'AWS_STEP_FUNCTIONS_STARTED_BY_EXECUTION_ID.$': '$$.Execution.Id' } },
  End: true,
  ...extra,
});
const workState = { Type: 'Task', Resource: 'arn:aws:lambda:us-east-1:000000000000:function:gatehouse-work', End: true };
const approve = {
  Type: 'Task',
  Resource: 'arn:aws:states:::lambda:invoke.waitForTaskToken',
  Parameters: { FunctionName: 'gatehouse-approval-request', Payload: { 'taskToken.$': '$$.Task.Token', 'item.$': '$' } },
  End: true,
};
const distributed = (processor: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
  'Each Person': {
    Type: 'Map',
    ItemsPath: '$.people',
    ItemProcessor: { ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'STANDARD' }, StartAt: 'Work', States: { Work: processor } },
    Label: 'people',
    End: true,
    ...extra,
  },
});

const machines = {
  child: asl({ Work: workState }),
  'child-approval': asl({ 'Ask Someone': approve }),
  'sync-2': asl({ 'Run Child': start('.sync:2') }),
  sync: asl({ 'Run Child': start('.sync') }),
  fire: asl({ 'Start Child': start('') }),
  'sync-catch': asl({ 'Run Child': start('.sync:2', { Catch: [{ ErrorEquals: ['States.TaskFailed'], ResultPath: '$.error', Next: 'Caught' }] }), Caught: { Type: 'Pass', End: true } }),
  'sync-approval': asl({ 'Run Child': start('.sync:2', { Parameters: { StateMachineArn: child('child-approval'), Input: { 'n.$': '$.n' } } }) }),
  map: asl(distributed(workState, { MaxConcurrency: 2, ItemSelector: { 'n.$': '$$.Map.Item.Value', 'index.$': '$$.Map.Item.Index' } })),
  batched: asl(distributed(workState, { ItemBatcher: { MaxItemsPerBatch: 2, BatchInput: { 'run.$': '$.run' } } })),
  tolerant: asl(distributed(workState, { ToleratedFailureCount: 1 })),
  strict: asl({
    ...distributed(workState, { Catch: [{ ErrorEquals: ['States.ExceedToleratedFailureThreshold'], ResultPath: '$.error', Next: 'Caught' }] }),
    Caught: { Type: 'Pass', End: true },
  }),
  percent: asl(distributed(workState, { ToleratedFailurePercentage: 25 })),
  'map-approvals': asl(distributed(approve, { MaxConcurrency: 1 })),
};

const endpoint = await serve(createSfnEmulator({ faults: noFaults() }, { machines, invokeFunction: lambda.invokeFunction }));
const client = new SFNClient(clientConfig(endpoint));

async function run(machine: keyof typeof machines, input: unknown, sfn = client) {
  const { executionArn } = await sfn.send(new StartExecutionCommand({ stateMachineArn: stateMachineArn(machine), input: JSON.stringify(input) }));
  const description = await finished(sfn, executionArn ?? '', 20_000);
  return { arn: executionArn ?? '', description, output: JSON.parse(description.output ?? 'null') as Record<string, unknown> & unknown[] };
}

const childrenOf = async (sfn: SFNClient, machine: string) => (await sfn.send(new ListExecutionsCommand({ stateMachineArn: stateMachineArn(machine) }))).executions ?? [];

describe('local Step Functions: child workflows (states:startExecution)', () => {
  it('.sync:2 waits for the child and answers its description with Input and Output as JSON', async () => {
    const { output, arn } = await run('sync-2', { n: 2, fail: false });
    expect(output).toMatchObject({ Status: 'SUCCEEDED', Output: { done: { n: 2, fail: false, AWS_STEP_FUNCTIONS_STARTED_BY_EXECUTION_ID: arn } }, Input: { n: 2, fail: false, AWS_STEP_FUNCTIONS_STARTED_BY_EXECUTION_ID: arn } });
    expect(output.ExecutionArn).toMatch(/:execution:gatehouse-child:/);
    expect(typeof output.StartDate).toBe('number');
    expect(output).not.toHaveProperty('SdkHttpMetadata');
  });

  it('.sync answers Input and Output as JSON text, with the SDK metadata', async () => {
    const { output } = await run('sync', { n: 3, fail: false });
    expect(JSON.parse(output.Output as string)).toMatchObject({ done: { n: 3 } });
    expect(typeof output.Input).toBe('string');
    expect(output).toHaveProperty('SdkHttpMetadata');
  });

  it('fails the task with States.TaskFailed when the child fails, the cause being its description', async () => {
    const { output } = await run('sync-catch', { n: 4, fail: true });
    const error = output.error as { Error: string; Cause: string };
    expect(error.Error).toBe('States.TaskFailed');
    expect(JSON.parse(error.Cause)).toMatchObject({ Status: 'FAILED', Error: 'ItemError' });
  });

  it('fire and forget answers the child ARN and start date; the child gets the parent id in its input', async () => {
    const { output, arn } = await run('fire', { n: 5, fail: false });
    const described = await finished(client, output.ExecutionArn as string);
    expect(JSON.parse(described.input ?? '{}')).toEqual({ n: 5, fail: false, AWS_STEP_FUNCTIONS_STARTED_BY_EXECUTION_ID: arn });
    expect(typeof output.StartDate).toBe('number');
  });

  it('stops a .sync child with its parent', async () => {
    const { executionArn } = await client.send(new StartExecutionCommand({ stateMachineArn: stateMachineArn('sync-approval'), input: '{"n":6}' }));
    const childArn = await eventually(async () => (await childrenOf(client, 'child-approval')).find((e) => e.status === 'RUNNING')?.executionArn, 'the running child');
    await client.send(new StopExecutionCommand({ executionArn }));
    expect((await client.send(new DescribeExecutionCommand({ executionArn: childArn }))).status).toBe('ABORTED');
  });
});

describe('local Step Functions: Distributed Map', () => {
  it('runs each item as a child execution of the Map Run, MaxConcurrency at a time, outputs in item order', async () => {
    peak = 0;
    const { output, arn } = await run('map', { people: [10, 11, 12, 13, 14] });
    expect(output).toEqual([10, 11, 12, 13, 14].map((n, index) => ({ done: { n, index } })));
    expect(peak).toBeLessThanOrEqual(2);
    const { mapRuns = [] } = await client.send(new ListMapRunsCommand({ executionArn: arn }));
    expect(mapRuns).toHaveLength(1);
    const mapRunArn = mapRuns[0]?.mapRunArn ?? '';
    expect(mapRunArn).toMatch(/:mapRun:gatehouse-map\/people:/);
    const described = await client.send(new DescribeMapRunCommand({ mapRunArn }));
    expect(described).toMatchObject({ status: 'SUCCEEDED', maxConcurrency: 2, executionCounts: { succeeded: 5, total: 5, failed: 0 }, itemCounts: { succeeded: 5, total: 5 } });
    const { executions = [] } = await client.send(new ListExecutionsCommand({ mapRunArn }));
    expect(executions).toHaveLength(5);
    expect(executions.every((e) => e.mapRunArn === mapRunArn && e.stateMachineArn === `${stateMachineArn('map')}/people`)).toBe(true);
    expect((await client.send(new DescribeExecutionCommand({ executionArn: executions[0]?.executionArn }))).mapRunArn).toBe(mapRunArn);
    const types = (await historyOf(client, arn)).map((e) => e.type);
    expect(types).toEqual(expect.arrayContaining(['MapStateEntered', 'MapRunStarted', 'MapRunSucceeded', 'MapStateExited']));
  });

  it('batches items with ItemBatcher: Items and BatchInput per child, item counts per execution', async () => {
    const { output, arn } = await run('batched', { run: 'r1', people: [1, 2, 3, 4, 5] });
    expect(output).toEqual([
      { done: { Items: [1, 2], BatchInput: { run: 'r1' } } },
      { done: { Items: [3, 4], BatchInput: { run: 'r1' } } },
      { done: { Items: [5], BatchInput: { run: 'r1' } } },
    ]);
    const mapRunArn = (await client.send(new ListMapRunsCommand({ executionArn: arn }))).mapRuns?.[0]?.mapRunArn;
    const { executions = [] } = await client.send(new ListExecutionsCommand({ mapRunArn }));
    expect(executions.map((e) => e.itemCount).sort()).toEqual([1, 2, 2]);
    expect(await client.send(new DescribeMapRunCommand({ mapRunArn }))).toMatchObject({ itemCounts: { total: 5, succeeded: 5 }, executionCounts: { total: 3 } });
  });

  it('tolerates failures up to ToleratedFailureCount / Percentage and fails past them with States.ExceedToleratedFailureThreshold', async () => {
    const people = [{ n: 1 }, { n: 2, fail: true }, { n: 3 }, { n: 4 }];
    const tolerant = await run('tolerant', { people });
    expect(tolerant.description.status).toBe('SUCCEEDED');
    expect(tolerant.output[1]).toMatchObject({ Error: 'ItemError' });
    expect((await run('percent', { people })).description.status).toBe('SUCCEEDED');
    const strict = await run('strict', { people });
    expect((strict.output.error as { Error: string }).Error).toBe('States.ExceedToleratedFailureThreshold');
    const mapRunArn = (await client.send(new ListMapRunsCommand({ executionArn: strict.arn }))).mapRuns?.[0]?.mapRunArn;
    expect((await client.send(new DescribeMapRunCommand({ mapRunArn }))).status).toBe('FAILED');
    const twoFail = await run('percent', { people: [{ n: 1, fail: true }, { n: 2, fail: true }, { n: 3 }, { n: 4 }] });
    expect(twoFail.description).toMatchObject({ status: 'FAILED', error: 'States.ExceedToleratedFailureThreshold' });
  });

  it('keeps Map Run children out of StartExecution and ListStateMachines, and checks ListExecutions arguments', async () => {
    const childMachine = `${stateMachineArn('map')}/people`;
    expect(await rejection(client.send(new StartExecutionCommand({ stateMachineArn: childMachine })))).toBeInstanceOf(StateMachineDoesNotExist);
    expect(((await client.send(new ListStateMachinesCommand({}))).stateMachines ?? []).map((m) => m.stateMachineArn)).not.toContain(childMachine);
    const unknownRun = `${childMachine.replace(':stateMachine:', ':mapRun:')}:00000000-0000-4000-a000-000000000000`;
    expect(await rejection(client.send(new ListExecutionsCommand({ mapRunArn: unknownRun })))).toBeInstanceOf(ResourceNotFound);
    expect((await rejection(client.send(new ListExecutionsCommand({ stateMachineArn: stateMachineArn('map'), mapRunArn: unknownRun })))) as Error).toMatchObject({ name: 'ValidationException' });
  });
});

describe('local Step Functions: child workflows across a restart', () => {
  async function boot(dir: string) {
    const fakes = fakeLambda(functions);
    const emulator = createSfnEmulator({ stateDir: dir, faults: noFaults() }, { machines, invokeFunction: fakes.invokeFunction });
    const sfn = new SFNClient(clientConfig(await serveForThisTest(emulator)));
    onTestFinished(() => sfn.destroy());
    await emulator.ready();
    return { emulator, sfn, fakes };
  }
  const tokenOf = (calls: { payload: unknown }[], i: number) => (calls[i]?.payload as { taskToken?: string } | undefined)?.taskToken;

  it('resumes a .sync parent on the child it started, and a Distributed Map on its Map Run: no child twice', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'gatehouse-children-'));
    onTestFinished(() => rm(dir, { recursive: true, force: true }));
    const first = await boot(dir);
    const parent = (await first.sfn.send(new StartExecutionCommand({ stateMachineArn: stateMachineArn('sync-approval'), input: '{"n":7}' }))).executionArn ?? '';
    const mapped = (await first.sfn.send(new StartExecutionCommand({ stateMachineArn: stateMachineArn('map-approvals'), input: '{"people":["a","b","c"]}' }))).executionArn ?? '';
    const syncToken = await eventually(() => first.fakes.calls.map((c) => c.payload as { taskToken: string; item: unknown }).find((p) => JSON.stringify(p.item) === '{"n":7}')?.taskToken, 'the child approval');
    const mapTokens = () => first.fakes.calls.map((c) => c.payload as { taskToken: string; item: unknown }).filter((p) => typeof p.item === 'string');
    const firstItem = await eventually(() => mapTokens()[0]?.taskToken, 'item a');
    await first.sfn.send(new SendTaskSuccessCommand({ taskToken: firstItem, output: '"ok a"' }));
    const secondItem = await eventually(() => mapTokens()[1]?.taskToken, 'item b');
    await first.emulator.stop?.();

    const second = await boot(dir);
    await second.sfn.send(new SendTaskSuccessCommand({ taskToken: syncToken, output: '{"approved":7}' }));
    expect(JSON.parse((await finished(second.sfn, parent)).output ?? '{}')).toMatchObject({ Output: { approved: 7 } });
    await second.sfn.send(new SendTaskSuccessCommand({ taskToken: secondItem, output: '"ok b"' }));
    const third = await eventually(() => tokenOf(second.fakes.calls, 0), 'item c');
    await second.sfn.send(new SendTaskSuccessCommand({ taskToken: third, output: '"ok c"' }));
    expect(JSON.parse((await finished(second.sfn, mapped)).output ?? '[]')).toEqual(['ok a', 'ok b', 'ok c']);
    expect(second.fakes.calls).toHaveLength(1);
    expect((await childrenOf(second.sfn, 'child-approval')).filter((e) => e.executionArn?.includes(':gatehouse-child-approval:'))).toHaveLength(1);
    const mapRunArn = (await second.sfn.send(new ListMapRunsCommand({ executionArn: mapped }))).mapRuns?.[0]?.mapRunArn;
    expect((await second.sfn.send(new ListExecutionsCommand({ mapRunArn }))).executions).toHaveLength(3);
  });
});
