import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { functionFolders } from '../../infra/constructs/functions.ts';
import { REPO_ROOT } from '../../infra/gatehouse.ts';
import { localFunctionEnv } from '../../local/function-env.ts';
import { ofType, synthGatehouse, type Synthesised } from './synth.ts';

/**
 * The stack's env must be enough for each handler's cold-start config parse (zod, in
 * `loadConfig`): each handler is imported with exactly the variables the template gives its
 * function, valued as on the local cloud (CloudFormation references have no value at synth).
 */

let synth: Synthesised;
beforeAll(() => {
  // CDK's built-in CloudFormation schema validation (seconds) already runs in stack.test.ts.
  vi.stubEnv('CDK_VALIDATION', 'false');
  synth = synthGatehouse();
  vi.unstubAllEnvs();
}, 180_000);

const LOCAL = localFunctionEnv({ tablePrefix: 'gatehouse-', frontDoorUrl: 'http://127.0.0.1:8000' });

/** Every variable any function gets, so each import starts from none of them. */
function allEnvNames(): string[] {
  return [
    ...new Set([
      ...Object.keys(LOCAL),
      ...ofType(synth.resources, 'AWS::Lambda::Function').flatMap(([, fn]) =>
        Object.keys((fn.Properties?.Environment as { Variables?: Record<string, unknown> } | undefined)?.Variables ?? {}),
      ),
    ]),
  ];
}

function valueFor(name: string, templateValue: unknown): string {
  // The template's s3:// object does not exist at test time; the local cloud's file stands in for it.
  if (name === 'CATALOGUE_SOURCE' && LOCAL[name] !== undefined) return LOCAL[name];
  if (typeof templateValue === 'string') return templateValue;
  const local = LOCAL[name];
  if (local !== undefined) return local;
  const machine = /^([A-Z0-9_]+)_STATE_MACHINE_ARN$/.exec(name)?.[1];
  if (machine) return `arn:aws:states:eu-west-1:123456789012:stateMachine:gatehouse-${machine.toLowerCase().replaceAll('_', '-')}`;
  throw new Error(`no local value for ${name}`);
}

async function importWithEnv(folder: string, env: Record<string, string>): Promise<unknown> {
  vi.resetModules();
  for (const name of allEnvNames()) vi.stubEnv(name, undefined);
  for (const [name, value] of Object.entries(env)) vi.stubEnv(name, value);
  return import(pathToFileURL(join(REPO_ROOT, 'functions', folder, 'handler.ts')).href);
}

function templateEnv(folder: string): Record<string, string> {
  const fn = ofType(synth.resources, 'AWS::Lambda::Function').find(([, f]) => f.Properties?.FunctionName === `gatehouse-${folder}`);
  const variables = (fn?.[1].Properties?.Environment as { Variables: Record<string, unknown> }).Variables;
  return Object.fromEntries(Object.entries(variables).map(([name, value]) => [name, valueFor(name, value)]));
}

afterEach(() => {
  vi.unstubAllEnvs();
});

describe('function environment', () => {
  it.each(functionFolders(REPO_ROOT))('%s loads its configuration from exactly the env the stack sets', async (folder) => {
    const module = (await importWithEnv(folder, templateEnv(folder))) as { handler?: unknown };
    expect(typeof module.handler).toBe('function');
  });

  it('would notice a missing variable (record-grants without GRANTS_TABLE_NAME fails to load)', async () => {
    const env = templateEnv('record-grants');
    delete env.GRANTS_TABLE_NAME;
    await expect(importWithEnv('record-grants', env)).rejects.toThrow(/GRANTS_TABLE_NAME/);
  });
});
