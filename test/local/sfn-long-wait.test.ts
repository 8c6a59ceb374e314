import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  DescribeExecutionCommand,
  InvalidDefinition,
  SFNClient,
  StartExecutionCommand,
  StopExecutionCommand,
} from '@aws-sdk/client-sfn';
import { afterAll, describe, expect, it, onTestFinished } from 'vitest';
import { stateMachineArn } from '../../local/core/arn.ts';
import { createSfnEmulator } from '../../local/sfn/service.ts';
import { clientConfig, noFaults, serve } from '../support/emulator.ts';
import { asl, eventually, fakeLambda, finished, historyOf, rejection, serveForThisTest } from './sfn-helpers.ts';

/**
 * aws-local-stepfunctions sleeps a Wait with one setTimeout, which Node fires after 1 ms for
 * any delay above 2^31-1 ms (~24.8 days). The emulator runs Wait states itself (local/sfn/wait-step.ts).
 */
const DAY_S = 24 * 60 * 60;
const inDays = (days: number): string => new Date(Date.now() + days * DAY_S * 1000).toISOString();
const inMs = (ms: number): string => new Date(Date.now() + ms).toISOString();

const machines = {
  'wait-timestamp-path': asl({
    'Wait Until Lead Time': { Type: 'Wait', TimestampPath: '$.provisionAt', Next: 'Done' },
    Done: { Type: 'Pass', End: true },
  }),
  'wait-seconds-path': asl({ 'Wait Seconds': { Type: 'Wait', SecondsPath: '$.seconds', End: true } }),
  'wait-35-days': asl({ 'Wait Long': { Type: 'Wait', Seconds: 35 * DAY_S, End: true } }),
  'wait-paths': asl({ 'Wait On Part': { Type: 'Wait', InputPath: '$.payload', TimestampPath: '$.at', OutputPath: '$.keep', End: true } }),
  'wait-both': asl({ 'Bad Wait': { Type: 'Wait', Seconds: 1, Timestamp: '2030-01-01T00:00:00Z', End: true } }),
};
/** A static Timestamp is part of the definition, so these machines are built per test. */
const staticTimestampMachine = (timestamp: string) => asl({ 'Wait Until': { Type: 'Wait', Timestamp: timestamp, End: true } });

async function bootEmulator(extra: Record<string, string> = {}, waitChunkMs?: number) {
  const lambda = fakeLambda({});
  const emulator = createSfnEmulator(
    { faults: noFaults() },
    { machines: { ...machines, ...extra }, invokeFunction: lambda.invokeFunction, ...(waitChunkMs !== undefined ? { waitChunkMs } : {}) },
  );
  const client = new SFNClient(clientConfig(await serve(emulator)));
  afterAll(() => client.destroy());
  return client;
}

async function start(client: SFNClient, machine: string, input: unknown): Promise<string> {
  const out = await client.send(new StartExecutionCommand({ stateMachineArn: stateMachineArn(machine), input: JSON.stringify(input) }));
  return out.executionArn ?? '';
}

const statusOf = async (client: SFNClient, executionArn: string) => (await client.send(new DescribeExecutionCommand({ executionArn }))).status;
const typesOf = async (client: SFNClient, executionArn: string) => (await historyOf(client, executionArn)).map((e) => e.type ?? '');

describe('local Step Functions: Wait states beyond setTimeout (~24.8 days)', async () => {
  const client = await bootEmulator({
    'wait-60-days-static': staticTimestampMachine(inDays(60)),
  });
  const stop = (executionArn: string) => client.send(new StopExecutionCommand({ executionArn }));

  it('keeps a Wait on a Timestamp 60 days ahead RUNNING, in the Wait state', async () => {
    const arn = await start(client, 'wait-60-days-static', {});
    await sleep(1_000);
    expect(await statusOf(client, arn)).toBe('RUNNING');
    const types = await typesOf(client, arn);
    expect(types).toContain('WaitStateEntered');
    expect(types).not.toContain('WaitStateExited');
    await stop(arn);
  });

  it('keeps TimestampPath (60 days), SecondsPath (40 days) and Seconds (35 days) waits RUNNING', async () => {
    const arns = [
      await start(client, 'wait-timestamp-path', { provisionAt: inDays(60) }),
      await start(client, 'wait-seconds-path', { seconds: 40 * DAY_S }),
      await start(client, 'wait-35-days', {}),
    ];
    await sleep(1_000);
    for (const arn of arns) expect(await statusOf(client, arn)).toBe('RUNNING');
    await Promise.all(arns.map(stop));
  });

  it('completes a Wait on a TimestampPath 1 s ahead after about a second, as a Wait in the history', async () => {
    const started = Date.now();
    const arn = await start(client, 'wait-timestamp-path', { provisionAt: inMs(1_000), who: 'e-1' });
    const description = await finished(client, arn, 10_000);
    expect(description.status).toBe('SUCCEEDED');
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
    expect(JSON.parse(description.output ?? '')).toEqual({ provisionAt: expect.any(String), who: 'e-1' });
    const types = await typesOf(client, arn);
    expect(types).toEqual(expect.arrayContaining(['WaitStateEntered', 'WaitStateExited', 'PassStateEntered', 'ExecutionSucceeded']));
    expect(types.filter((t) => t.startsWith('Task') || t.startsWith('Lambda'))).toEqual([]);
  });

  it('passes a past timestamp at once and keeps InputPath / OutputPath meaning', async () => {
    const arn = await start(client, 'wait-paths', { payload: { at: '2020-01-01T00:00:00Z', keep: { id: 7 } }, dropped: true });
    const description = await finished(client, arn, 5_000);
    expect(description).toMatchObject({ status: 'SUCCEEDED', output: '{"id":7}' });
  });

  it('fails with States.Runtime when the TimestampPath is not a timestamp', async () => {
    const arn = await start(client, 'wait-timestamp-path', { provisionAt: 'next monday' });
    const description = await finished(client, arn, 5_000);
    expect(description.status).toBe('FAILED');
    expect(description.error).toBe('States.Runtime');
    expect(description.cause).toContain('Wait Until Lead Time');
  });

  it('refuses a Wait with two duration fields as an invalid definition', async () => {
    const error = await rejection(start(client, 'wait-both', {}));
    expect(error).toBeInstanceOf(InvalidDefinition);
    expect((error as Error).message).toContain('Bad Wait');
  });
});

describe('local Step Functions: long waits re-armed in chunks', async () => {
  // 150 ms chunks: a 1.2 s wait is eight sleeps, re-entered by the private Retry.
  const client = await bootEmulator({}, 150);

  it('ends on the target instant, not a chunk early or late, with one Wait in the history', async () => {
    const target = Date.now() + 1_200;
    const arn = await start(client, 'wait-timestamp-path', { provisionAt: new Date(target).toISOString() });
    const description = await finished(client, arn, 10_000);
    expect(description.status).toBe('SUCCEEDED');
    const exited = (await historyOf(client, arn)).find((e) => e.type === 'WaitStateExited');
    expect(exited?.timestamp?.getTime()).toBeGreaterThanOrEqual(target - 5);
    expect(exited?.timestamp?.getTime()).toBeLessThan(target + 500);
    const types = await typesOf(client, arn);
    expect(types.filter((t) => t === 'WaitStateEntered')).toHaveLength(1);
  });
});

describe('local Step Functions: a long Wait across a restart', () => {
  it('resumes the parked execution inside the same Wait, with no second entry and no redrive', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'gatehouse-long-wait-'));
    onTestFinished(() => rm(dir, { recursive: true, force: true }));
    const boot = async () => {
      const emulator = createSfnEmulator({ stateDir: dir, faults: noFaults() }, { machines, invokeFunction: fakeLambda({}).invokeFunction });
      const sfn = new SFNClient(clientConfig(await serveForThisTest(emulator)));
      onTestFinished(() => sfn.destroy());
      await emulator.ready();
      return { emulator, sfn };
    };
    const first = await boot();
    const provisionAt = inDays(60);
    const arn = await start(first.sfn, 'wait-timestamp-path', { provisionAt });
    await eventually(async () => (await typesOf(first.sfn, arn)).includes('WaitStateEntered') || undefined, 'the Wait state');
    await first.emulator.stop?.();

    const second = await boot();
    await sleep(1_000);
    const description = await second.sfn.send(new DescribeExecutionCommand({ executionArn: arn }));
    expect(description).toMatchObject({ status: 'RUNNING', redriveCount: 0 });
    const types = await typesOf(second.sfn, arn);
    expect(types).toEqual(['ExecutionStarted', 'WaitStateEntered']);
    await second.sfn.send(new StopExecutionCommand({ executionArn: arn }));
  });
});
