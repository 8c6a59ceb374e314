import { mkdtemp, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { afterAll, describe, expect, it } from 'vitest';
import { stateMachineArn } from '../../local/core/arn.ts';
import { LocalLambdaRuntime } from '../../local/lambda-runtime.ts';
import { createSfnEmulator } from '../../local/sfn/service.ts';
import { CANONICAL_RETRIER, retryList } from '../../statemachines/conventions.ts';
import { clientConfig, noFaults, serve } from '../support/emulator.ts';
import { FN_PREFIX, asl, finished, historyOf } from './sfn-helpers.ts';

/**
 * The canonical retrier, as a real machine carries it, takes a Lambda timeout and an
 * out-of-memory crash: the local runtime raises `Lambda.Unknown` for both, as Step Functions
 * reports them (https://docs.aws.amazon.com/step-functions/latest/dg/bp-lambda-serviceexception.html).
 * Backoffs are compressed 100x (retryDelayScale), the retrier itself is the file's.
 */
const TIMEOUT_MS = 300;
const leaver = JSON.parse(await readFile(join(import.meta.dirname, '..', '..', 'statemachines', 'leaver.asl.json'), 'utf8')) as {
  States: Record<string, { Type: string; Retry?: unknown }>;
};
const [taskName, task] = Object.entries(leaver.States).find(([, state]) => state.Type === 'Task' && JSON.stringify(state.Retry) === JSON.stringify(retryList())) ?? [];

const dir = await mkdtemp(join(tmpdir(), 'gatehouse-retry-'));
afterAll(() => rm(dir, { recursive: true, force: true }));
async function fn(folder: string, source: string): Promise<void> {
  await mkdir(join(dir, folder), { recursive: true });
  await writeFile(join(dir, folder, 'handler.ts'), source);
}
await fn('slow-once', `let calls = 0;\nexport const handler = async () => { calls += 1; if (calls === 1) await new Promise((r) => setTimeout(r, ${TIMEOUT_MS * 3})); return { calls }; };\n`);
await fn('always-slow', `export const handler = () => new Promise((r) => setTimeout(() => r({ late: true }), ${TIMEOUT_MS * 3}));\n`);
await fn('crashy', `let calls = 0;\nexport const handler = async () => { calls += 1; return { calls }; };\n`);

const runtime = new LocalLambdaRuntime(dir, TIMEOUT_MS);
const call = (name: string) => asl({ [`Call ${name}`]: { Type: 'Task', Resource: `${FN_PREFIX}gatehouse-${name}`, Retry: task?.Retry, End: true } });
const machines = { 'slow-once': call('slow-once'), 'always-slow': call('always-slow'), crashy: call('crashy') };
const emulator = createSfnEmulator({ faults: noFaults() }, { machines, invokeFunction: (arn, payload) => runtime.invoke(arn, payload), retryDelayScale: 0.01 });
const client = new SFNClient(clientConfig(await serve(emulator)));

async function run(machine: keyof typeof machines) {
  const { executionArn = '' } = await client.send(new StartExecutionCommand({ stateMachineArn: stateMachineArn(machine), input: '{}' }));
  const description = await finished(client, executionArn, 20_000);
  const events = await historyOf(client, executionArn);
  const failed = events.flatMap((e) => (e.lambdaFunctionFailedEventDetails?.error ? [e.lambdaFunctionFailedEventDetails.error] : []));
  return { description, failed, attempts: events.filter((e) => e.type === 'LambdaFunctionScheduled').length };
}

describe('the canonical retrier against Lambda.Unknown (local runtime)', () => {
  it('is what a real machine task carries', () => {
    expect(taskName).toBeDefined();
    expect(CANONICAL_RETRIER.ErrorEquals).toContain('Lambda.Unknown');
  });

  it('retries a task whose function timed out, and the retry succeeds', async () => {
    const { description, failed, attempts } = await run('slow-once');
    expect(description.status).toBe('SUCCEEDED');
    expect(JSON.parse(description.output ?? '')).toEqual({ calls: 2 });
    expect(failed).toEqual(['Lambda.Unknown']);
    expect(attempts).toBe(2);
  });

  it('retries an out-of-memory crash', async () => {
    runtime.injectFault('crashy', 'out-of-memory', 2);
    const { description, failed } = await run('crashy');
    expect(description.status).toBe('SUCCEEDED');
    expect(failed).toEqual(['Lambda.Unknown', 'Lambda.Unknown']);
  });

  it('gives up after MaxAttempts retries and fails with Lambda.Unknown', async () => {
    const { description, attempts } = await run('always-slow');
    expect(description).toMatchObject({ status: 'FAILED', error: 'Lambda.Unknown' });
    expect(attempts).toBe(CANONICAL_RETRIER.MaxAttempts + 1);
  });
});
