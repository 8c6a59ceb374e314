import { SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { describe, expect, it } from 'vitest';
import { stateMachineArn } from '../../local/core/arn.ts';
import { createSfnEmulator } from '../../local/sfn/service.ts';
import { clientConfig, noFaults, serve } from '../support/emulator.ts';
import { asl, fakeLambda, finished, historyOf } from './sfn-helpers.ts';

/**
 * Step Functions service quotas the local endpoint enforces
 * (https://docs.aws.amazon.com/step-functions/latest/dg/service-quotas.html): an execution
 * whose history reaches 25,000 events fails; a state or execution output over 256 KiB fails
 * with States.DataLimitExceeded; names are 1-80 characters and inputs at most 262,144 bytes
 * (the refusals themselves: sfn-api.test.ts).
 */
const lambda = fakeLambda({ 'gatehouse-echo': (payload) => payload });
const machines = {
  endless: asl({
    Count: { Type: 'Pass', Parameters: { 'n.$': 'States.MathAdd($.n, 1)' }, Next: 'Again' },
    Again: { Type: 'Choice', Choices: [{ Variable: '$.n', NumericLessThan: 1_000_000, Next: 'Count' }], Default: 'Done' },
    Done: { Type: 'Succeed' },
  }),
  'big-pass': asl({ Grow: { Type: 'Pass', Parameters: { 'blob.$': "States.Format('{}{}', $.half, $.half)" }, End: true } }),
  quick: asl({ Done: { Type: 'Pass', End: true } }),
};
const endpoint = await serve(createSfnEmulator({ faults: noFaults() }, { machines, invokeFunction: lambda.invokeFunction }));
const client = new SFNClient(clientConfig(endpoint));

async function start(machine: keyof typeof machines, input: string, name?: string): Promise<string> {
  const out = await client.send(new StartExecutionCommand({ stateMachineArn: stateMachineArn(machine), input, ...(name ? { name } : {}) }));
  return out.executionArn ?? '';
}

describe('local Step Functions: service quotas', () => {
  it('fails an execution whose history reaches 25,000 events, the failure being the last of them', { timeout: 120_000 }, async () => {
    const arn = await start('endless', '{"n":0}');
    const description = await finished(client, arn, 100_000);
    expect(description).toMatchObject({ status: 'FAILED', error: 'States.Runtime' });
    expect(description.cause).toContain('25000');
    const events = await historyOf(client, arn);
    expect(events).toHaveLength(25_000);
    expect(events.at(-1)?.type).toBe('ExecutionFailed');
  });

  it('fails a state whose output exceeds 256 KiB with States.DataLimitExceeded', async () => {
    const half = 'x'.repeat(100 * 1024);
    const small = await finished(client, await start('big-pass', JSON.stringify({ half })));
    expect(small.status).toBe('SUCCEEDED');
    const big = await finished(client, await start('big-pass', JSON.stringify({ half: `${half}${'y'.repeat(30 * 1024)}` })));
    expect(big).toMatchObject({ status: 'FAILED', error: 'States.DataLimitExceeded' });
  });

  it('accepts the largest name (80 characters) and the largest input (262,144 bytes)', async () => {
    const name = 'n'.repeat(80);
    const input = JSON.stringify({ pad: '' });
    const largest = JSON.stringify({ pad: 'p'.repeat(262_144 - input.length) });
    expect(Buffer.byteLength(largest)).toBe(262_144);
    expect((await finished(client, await start('quick', largest, name))).status).toBe('SUCCEEDED');
  });
});
