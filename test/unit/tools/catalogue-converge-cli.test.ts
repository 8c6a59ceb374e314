import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCatalogueLiveCli } from '../../../tools/catalogue-live-cli.ts';

/**
 * `gatehouse catalogue converge` (issue #13) against a scripted Step Functions endpoint on
 * loopback (awsJson1_0, the three calls the command makes): what it starts, with which input,
 * and the exit code for each outcome and each bad input. Bad input starts nothing.
 */

const MACHINE = 'arn:aws:states:us-east-1:000000000000:stateMachine:gatehouse-catalogue-convergence';

interface Call {
  target: string;
  body: Record<string, unknown>;
}

let server: Server;
let url = '';
const calls: Call[] = [];
let outcome: { status: string; output: object } = { status: 'SUCCEEDED', output: { status: 'converged' } };

beforeAll(async () => {
  server = createServer((request, response) => {
    let text = '';
    request.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
    request.on('end', () => {
      const target = String(request.headers['x-amz-target'] ?? '').replace('AWSStepFunctions.', '');
      const body = JSON.parse(text || '{}') as Record<string, unknown>;
      calls.push({ target, body });
      const answers: Record<string, object> = {
        ListStateMachines: { stateMachines: [{ stateMachineArn: MACHINE, name: 'gatehouse-catalogue-convergence', type: 'STANDARD', creationDate: 0 }] },
        StartExecution: { executionArn: `${MACHINE.replace(':stateMachine:', ':execution:')}:${String(body.name)}`, startDate: 0 },
        DescribeExecution: { executionArn: body.executionArn, stateMachineArn: MACHINE, status: outcome.status, startDate: 0, output: JSON.stringify(outcome.output) },
      };
      response.writeHead(200, { 'content-type': 'application/x-amz-json-1.0' });
      response.end(JSON.stringify(answers[target] ?? {}));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
});

function run(...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  calls.length = 0;
  const env = { GATEHOUSE_FRONT_DOOR: 'http://127.0.0.1:9', AWS_ENDPOINT_URL_SFN: url, AWS_ENDPOINT_URL_DYNAMODB: url };
  return runCatalogueLiveCli(['converge', ...argv], { stdout: (t) => out.push(t), stderr: (t) => err.push(t) }, { env, cwd: process.cwd() }).then((code) => ({
    code,
    out: out.join(''),
    err: err.join(''),
    started: calls.filter((call) => call.target === 'StartExecution'),
  }));
}

describe('gatehouse catalogue converge', () => {
  it('starts the convergence workflow for the catalogue version, with the confirmation, and exits 0 when it converged', async () => {
    outcome = { status: 'SUCCEEDED', output: { status: 'converged' } };

    const result = await run('config/role-catalogue.json', '--confirm', '0123456789abcdef', '--local');

    expect(result.code).toBe(0);
    expect(result.started).toHaveLength(1);
    const input = JSON.parse(String(result.started[0]?.body.input)) as Record<string, unknown>;
    expect(input).toEqual({ catalogueVersion: expect.stringMatching(/^cat-[0-9a-f]{16}$/), confirm: '0123456789abcdef' });
    expect(String(result.started[0]?.body.name)).toMatch(new RegExp(`^converge-${String(input.catalogueVersion).slice(4)}-\\d+$`));
    expect(result.out).toContain('started arn:aws:states:us-east-1:000000000000:execution:gatehouse-catalogue-convergence:converge-');
    expect(result.out).toContain('SUCCEEDED');
  });

  it('exits 1 when the guard held the change (not converged), and --no-wait only starts it', async () => {
    outcome = { status: 'SUCCEEDED', output: { status: 'needs-confirmation', fingerprint: 'fedcba9876543210', message: 'would revoke 60 % of role grants' } };

    const guarded = await run('config/role-catalogue.json', '--local');
    const started = await run('config/role-catalogue.json', '--no-wait', '--local');

    expect(guarded.code).toBe(1);
    expect(guarded.out).toContain('needs-confirmation');
    expect(started.code).toBe(0);
    expect(started.started).toHaveLength(1);
    expect(started.err).toBe('');
  });

  it.each([
    ['no catalogue', [], 2, 'catalogue converge takes one argument'],
    ['two catalogues', ['config/role-catalogue.json', 'config/role-catalogue.json'], 2, 'takes one argument'],
    ['a malformed --confirm', ['config/role-catalogue.json', '--confirm', 'not-hex'], 2, '--confirm takes the 16 hex digits of the plan fingerprint'],
    ['a file that does not exist', ['no/such/catalogue.json'], 1, 'no/such/catalogue.json: cannot read'],
    ['a broken catalogue', ['test/fixtures/catalogues/broken/duplicate-role-id.json'], 1, 'test/fixtures/catalogues/broken/duplicate-role-id.json is invalid: '],
  ])('refuses %s with a clear message and starts nothing', async (_case, argv, code, message) => {
    const result = await run(...argv, '--local');

    expect(result.code).toBe(code);
    expect(result.err).toContain(message);
    expect(result.started).toEqual([]);
  });
});
