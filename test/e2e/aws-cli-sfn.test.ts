import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { executionArn, stateMachineArn } from '../../local/core/arn.ts';
import { hirePayload } from '../../local/demo/hris.ts';
import { employeeId, finishedJoiner, startE2eCloud, type E2eCloud } from './support/e2e-cloud.ts';

/**
 * The AWS CLI against the running local cloud after a real workflow ran. This cloud keeps no
 * data dir (so writes no endpoints.env): the endpoint is passed with --endpoint-url. The CLI
 * configured only by a sourced endpoints.env (v1.29+ reads AWS_ENDPOINT_URL_*) is
 * test/local/aws-cli.test.ts. The CLI is on every machine of this project, CI included:
 * without it this test fails and says how to get it.
 */
const run = promisify(execFile);
let e2e: E2eCloud;

beforeAll(async () => {
  e2e = await startE2eCloud('cli');
});
afterAll(async () => {
  await e2e?.stop();
});

async function aws(args: string[]): Promise<unknown> {
  try {
    const { stdout } = await run('aws', [...args, '--endpoint-url', e2e.cloud.endpoints.sfn, '--output', 'json'], { env: { ...process.env, ...e2e.cloud.env } });
    return JSON.parse(stdout);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw new Error('the AWS CLI (`aws`) is not installed: pip install awscli', { cause: error });
    throw error;
  }
}

describe('the AWS CLI against the local Step Functions', () => {
  it('lists executions (and describes one) with `aws stepfunctions`', async () => {
    const id = employeeId('cli');
    expect((await e2e.hris.post(hirePayload({ id, role: 'engineer' }), `${id}-hire`)).status).toBe(202);
    expect((await finishedJoiner(e2e.sfn, `generic-${id}-hire`)).status).toBe('SUCCEEDED');
    const arn = executionArn('joiner', `generic-${id}-hire`);

    const listed = (await aws(['stepfunctions', 'list-executions', '--state-machine-arn', stateMachineArn('joiner')])) as { executions: { executionArn: string; status: string; startDate: string }[] };
    expect(listed.executions).toContainEqual(expect.objectContaining({ executionArn: arn, status: 'SUCCEEDED' }));
    const filtered = (await aws(['stepfunctions', 'list-executions', '--state-machine-arn', stateMachineArn('joiner'), '--status-filter', 'RUNNING'])) as { executions: unknown[] };
    expect(filtered.executions).not.toContainEqual(expect.objectContaining({ executionArn: arn }));
    const described = (await aws(['stepfunctions', 'describe-execution', '--execution-arn', arn])) as { status: string; input: string };
    expect(described.status).toBe('SUCCEEDED');
    expect(JSON.parse(described.input)).toMatchObject({ type: 'employee.hired' });
    const mapRuns = (await aws(['stepfunctions', 'list-map-runs', '--execution-arn', arn])) as { mapRuns: unknown[] };
    expect(mapRuns.mapRuns).toEqual([]);
  });
});
