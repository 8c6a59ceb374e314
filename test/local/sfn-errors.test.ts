import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SFNClient, StartExecutionCommand, type HistoryEvent } from '@aws-sdk/client-sfn';
import { afterAll, describe, expect, it } from 'vitest';
import { stateMachineArn } from '../../local/core/arn.ts';
import { LocalLambdaRuntime } from '../../local/lambda-runtime.ts';
import { createSfnEmulator } from '../../local/sfn/service.ts';
import { clientConfig, noFaults, serve } from '../support/emulator.ts';
import { FN_PREFIX, asl, finished, historyOf } from './sfn-helpers.ts';

/**
 * The error names a Task fails with, through the real local Lambda runtime
 * (local/lambda-runtime.ts) and the local Step Functions, checked against AWS's pages:
 * - "Unhandled errors in Lambda are reported as Lambda.Unknown in the error output. These
 *   include out-of-memory errors and function timeouts. You can match on Lambda.Unknown,
 *   States.ALL, or States.TaskFailed" (https://docs.aws.amazon.com/step-functions/latest/dg/bp-lambda-serviceexception.html);
 * - States.Timeout for TimeoutSeconds, which a `States.TaskFailed` catcher does not take;
 * - States.DataLimitExceeded above 256 KiB, which no `States.ALL` catcher takes
 *   (https://docs.aws.amazon.com/step-functions/latest/dg/concepts-error-handling.html).
 */
const TIMEOUT_MS = 300;
const dir = await mkdtemp(join(tmpdir(), 'gatehouse-fns-'));
afterAll(() => rm(dir, { recursive: true, force: true }));

async function fn(folder: string, source: string): Promise<void> {
  await mkdir(join(dir, folder), { recursive: true });
  await writeFile(join(dir, folder, 'handler.ts'), source);
}
// Slow on its first call only: the first attempt times out, the retry answers.
await fn('slow-once', `let calls = 0;\nexport const handler = async () => { calls += 1; if (calls === 1) await new Promise((r) => setTimeout(r, ${TIMEOUT_MS * 3})); return { calls }; };\n`);
await fn('always-slow', `export const handler = () => new Promise((r) => setTimeout(() => r({ late: true }), ${TIMEOUT_MS * 3}));\n`);
await fn('two-seconds', `export const handler = () => new Promise((r) => setTimeout(() => r({ late: true }), 2_000));\n`);
await fn('crashy', `export const handler = async () => ({ ok: true });\n`);
await fn('thrower', `class QuotaError extends Error { constructor() { super('quota reached'); this.name = 'QuotaError'; } }\nexport const handler = async () => { throw new QuotaError(); };\n`);
await fn('big', `export const handler = async () => ({ blob: 'x'.repeat(300 * 1024) });\n`);

// two-seconds has a Lambda timeout of its own (10 s): only the state's TimeoutSeconds (1 s) cuts it.
const runtime = new LocalLambdaRuntime(dir, TIMEOUT_MS, { 'two-seconds': 10_000 });
const invoke = (name: string, extra: Record<string, unknown> = {}) => ({
  Type: 'Task',
  Resource: 'arn:aws:states:::lambda:invoke',
  Parameters: { FunctionName: `gatehouse-${name}`, 'Payload.$': '$' },
  ResultSelector: { 'payload.$': '$.Payload' },
  ...extra,
});
const caught = (errors: string[], next = 'Caught') => ({ ErrorEquals: errors, ResultPath: '$.error', Next: next });
const machines = {
  'retry-timeout': asl({ 'Call Slow Once': invoke('slow-once', { Retry: [{ ErrorEquals: ['Lambda.Unknown'], IntervalSeconds: 1, MaxAttempts: 2 }], End: true }) }),
  'catch-crash': asl({
    'Call Crashy': invoke('crashy', { Catch: [caught(['Lambda.Unknown'])], End: true }),
    Caught: { Type: 'Pass', End: true },
  }),
  'task-failed-wildcard': asl({
    'Call Always Slow': invoke('always-slow', { Catch: [caught(['States.TaskFailed'])], End: true }),
    Caught: { Type: 'Pass', End: true },
  }),
  'bare-timeout': asl({
    'Call Bare': { Type: 'Task', Resource: `${FN_PREFIX}gatehouse-always-slow`, Catch: [caught(['Lambda.Unknown'])], End: true },
    Caught: { Type: 'Pass', End: true },
  }),
  'state-timeout': asl({
    'Call With Deadline': {
      ...invoke('two-seconds'),
      TimeoutSeconds: 1,
      Catch: [caught(['States.TaskFailed'], 'Wrong Catcher'), caught(['States.Timeout'])],
      End: true,
    },
    'Wrong Catcher': { Type: 'Fail', Error: 'WrongCatcher' },
    Caught: { Type: 'Pass', End: true },
  }),
  'own-error': asl({
    'Call Thrower': invoke('thrower', { Catch: [caught(['QuotaError'])], End: true }),
    Caught: { Type: 'Pass', End: true },
  }),
  missing: asl({
    'Call Missing': invoke('missing', { Catch: [caught(['Lambda.ResourceNotFoundException'])], End: true }),
    Caught: { Type: 'Pass', End: true },
  }),
  'too-big': asl({
    'Call Big': invoke('big', { Catch: [caught(['States.ALL'])], End: true }),
    Caught: { Type: 'Pass', End: true },
  }),
};
const endpoint = await serve(createSfnEmulator({ faults: noFaults() }, { machines, invokeFunction: (arn, payload) => runtime.invoke(arn, payload) }));
const client = new SFNClient(clientConfig(endpoint));

async function run(machine: keyof typeof machines) {
  const { executionArn } = await client.send(new StartExecutionCommand({ stateMachineArn: stateMachineArn(machine), input: '{}' }));
  const description = await finished(client, executionArn ?? '', 15_000);
  return { description, events: await historyOf(client, executionArn ?? ''), output: JSON.parse(description.output ?? 'null') as { error?: { Error: string; Cause: string } } };
}
const failures = (events: HistoryEvent[]) => events.flatMap((e) => (e.taskFailedEventDetails ? [e.taskFailedEventDetails] : e.lambdaFunctionFailedEventDetails ? [e.lambdaFunctionFailedEventDetails] : []));
const UNKNOWN_CAUSE = 'The cause could not be determined because Lambda did not return an error type. Returned payload: ';

describe('local Step Functions: the error names AWS reports', () => {
  it('reports a function timeout as Lambda.Unknown, with Lambda\'s payload in the cause, and a Retry on that name retries it', async () => {
    const { description, events } = await run('retry-timeout');
    expect(description.status).toBe('SUCCEEDED');
    expect(JSON.parse(description.output ?? '')).toEqual({ payload: { calls: 2 } });
    const [failed] = failures(events);
    expect(failed?.error).toBe('Lambda.Unknown');
    expect(failed?.cause?.startsWith(UNKNOWN_CAUSE)).toBe(true);
    expect(JSON.parse(failed?.cause?.slice(UNKNOWN_CAUSE.length) ?? '{}')).toEqual({ errorMessage: expect.stringMatching(/ Task timed out after 0\.30 seconds$/) });
    expect(events.filter((e) => e.type === 'TaskScheduled')).toHaveLength(2);
  });

  it('reports an out-of-memory crash as Lambda.Unknown', async () => {
    runtime.injectFault('crashy', 'out-of-memory');
    const { output } = await run('catch-crash');
    expect(output.error?.Error).toBe('Lambda.Unknown');
    expect(output.error?.Cause).toContain('Runtime exited with error: signal: killed');
  });

  it('lets States.TaskFailed match Lambda.Unknown, and names a bare function ARN\'s timeout the same', async () => {
    expect((await run('task-failed-wildcard')).output.error?.Error).toBe('Lambda.Unknown');
    const bare = await run('bare-timeout');
    expect(bare.output.error?.Error).toBe('Lambda.Unknown');
    expect(bare.events.map((e) => e.type)).toContain('LambdaFunctionFailed');
  });

  it('fails a TimeoutSeconds overrun with States.Timeout, which a States.TaskFailed catcher does not take', async () => {
    const { description, output, events } = await run('state-timeout');
    expect(description.status).toBe('SUCCEEDED');
    expect(output.error?.Error).toBe('States.Timeout');
    expect(events.map((e) => e.type)).toContain('TaskTimedOut');
  });

  it('keeps a function\'s own error name, and names a missing function Lambda.ResourceNotFoundException', async () => {
    const own = (await run('own-error')).output.error;
    expect(own?.Error).toBe('QuotaError');
    expect(JSON.parse(own?.Cause ?? '{}')).toMatchObject({ errorType: 'QuotaError', errorMessage: 'quota reached' });
    expect((await run('missing')).output.error?.Error).toBe('Lambda.ResourceNotFoundException');
  });

  it('fails the execution with States.DataLimitExceeded for a result over 256 KiB, past a States.ALL catcher', async () => {
    const { description } = await run('too-big');
    expect(description).toMatchObject({ status: 'FAILED', error: 'States.DataLimitExceeded' });
    expect(description.cause).toContain("'Call Big'");
  });
});
