import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { lambdaInvoker, runReconcileCli, type Invoker } from '../../../tools/reconcile-cli.ts';

/** `npm run gatehouse -- reconcile`: the payload it sends, what it prints, its exit codes. */

function io() {
  const out = { stdout: '', stderr: '' };
  return { out, io: { stdout: (text: string) => void (out.stdout += text), stderr: (text: string) => void (out.stderr += text) } };
}

function recording(result: unknown): { invoker: Invoker; payloads: unknown[] } {
  const payloads: unknown[] = [];
  return { payloads, invoker: (payload) => (payloads.push(payload), Promise.resolve(result)) };
}

const REPORT = {
  mode: 'report',
  runDate: '2026-11-22',
  findings: [{ kind: 'orphan-user' }, { kind: 'orphan-user' }, { kind: 'untracked-instance' }],
  plan: { actions: [{ action: 'delete-user' }, { action: 'delete-user' }, { action: 'stop-instance' }], fingerprint: '0123456789abcdef', guard: { outcome: 'passed' } },
  mail: 'sent',
};

describe('gatehouse reconcile', () => {
  it('runs report mode and prints the plan and the command that removes exactly it', async () => {
    const { invoker, payloads } = recording(REPORT);
    const { out, io: cliIo } = io();

    expect(await runReconcileCli(['--run-date', '2026-11-22'], cliIo, { env: {}, cwd: '.', invoker })).toBe(0);

    expect(payloads).toEqual([{ mode: 'report', runDate: '2026-11-22' }]);
    expect(out.stdout).toBe(
      'reconciliation 2026-11-22: 3 finding(s), orphan-user 2, untracked-instance 1\n' +
        'operator e-mail: sent\n' +
        'removal plan 0123456789abcdef: 3 action(s); guard passed\n' +
        'to execute exactly this plan: npm run gatehouse -- reconcile --remove --confirm 0123456789abcdef\n',
    );
  });

  it('sends remove mode with the fingerprint and the operator, and exits 1 when the removal is refused or blocked', async () => {
    const { invoker, payloads } = recording({ mode: 'remove', outcome: 'blocked', fingerprint: 'f', message: 'the active roster is empty: nothing is removed', removed: [] });
    const { out, io: cliIo } = io();

    expect(await runReconcileCli(['--remove', '--confirm', '0123456789abcdef', '--as', 'ops@example.com'], cliIo, { env: {}, cwd: '.', invoker })).toBe(1);

    expect(payloads).toEqual([{ mode: 'remove', confirm: '0123456789abcdef', requestedBy: 'ops@example.com' }]);
    expect(out.stderr).toBe('blocked: the active roster is empty: nothing is removed\n');
  });

  it('refuses --remove without --confirm before invoking anything', async () => {
    const { invoker, payloads } = recording(REPORT);
    const { out, io: cliIo } = io();

    expect(await runReconcileCli(['--remove'], cliIo, { env: {}, cwd: '.', invoker })).toBe(2);
    expect(payloads).toEqual([]);
    expect(out.stderr).toBe('gatehouse reconcile: --remove needs --confirm <fingerprint>: the one report mode printed (npm run gatehouse -- reconcile --help)\n');
  });

  it('with --local and no running local cloud says so', async () => {
    const { out, io: cliIo } = io();

    expect(await runReconcileCli(['--local'], cliIo, { env: { GATEHOUSE_DATA_DIR: '/nonexistent-gatehouse' }, cwd: '.' })).toBe(2);
    expect(out.stderr).toBe(
      'gatehouse reconcile: no local cloud found: GATEHOUSE_FRONT_DOOR is not set and /nonexistent-gatehouse/endpoints.env cannot be read; start it (npm start) and source its endpoints.env\n',
    );
  });
});

describe('lambdaInvoker', () => {
  const lambda = mockClient(LambdaClient);
  beforeEach(() => lambda.reset());

  it('invokes the function with the JSON payload and returns its JSON result', async () => {
    lambda.on(InvokeCommand).resolves({ StatusCode: 200, Payload: Buffer.from(JSON.stringify(REPORT)) as never });

    expect(await lambdaInvoker('gatehouse-reconcile', new LambdaClient({}))({ mode: 'report' })).toEqual(REPORT);
    const input = lambda.commandCalls(InvokeCommand)[0]!.args[0].input;
    expect([input.FunctionName, Buffer.from(input.Payload as Uint8Array).toString('utf8')]).toEqual(['gatehouse-reconcile', '{"mode":"report"}']);
  });

  it("throws the function's error type and message", async () => {
    const error = { errorType: 'ValidationError', errorMessage: 'invalid task input: confirm: must be 16 hex' };
    lambda.on(InvokeCommand).resolves({ StatusCode: 200, FunctionError: 'Unhandled', Payload: Buffer.from(JSON.stringify(error)) as never });

    await expect(lambdaInvoker('gatehouse-reconcile', new LambdaClient({}))({ mode: 'remove' })).rejects.toThrow(
      'gatehouse-reconcile failed: ValidationError: invalid task input: confirm: must be 16 hex',
    );
  });
});
