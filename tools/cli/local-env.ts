import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { CliError, EXIT_USAGE } from './errors.ts';

/**
 * Where the running local cloud is. The environment a person sourced (`source
 * .gatehouse/endpoints.env`) wins; otherwise `endpoints.env` under $GATEHOUSE_DATA_DIR or
 * ./.gatehouse is read. Neither: one line saying both places that were tried.
 */
export interface LocalEndpoints {
  /** The front door (HTTP API) URL. */
  api: string;
  /** Every `export KEY=value` of endpoints.env, or the sourced variables. */
  vars: Record<string, string>;
  /** Where the values came from, for messages. */
  from: string;
}

export function parseEndpointsEnv(text: string): Record<string, string> {
  return Object.fromEntries([...text.matchAll(/^export ([A-Z0-9_]+)=(.*)$/gm)].map((m) => [m[1] ?? '', m[2] ?? '']));
}

const defined = (env: Record<string, string | undefined>): Record<string, string> =>
  Object.fromEntries(Object.entries(env).filter((entry): entry is [string, string] => entry[1] !== undefined && entry[1] !== ''));

export function localEndpoints(env: Record<string, string | undefined>, cwd: string): LocalEndpoints {
  const sourced = env.GATEHOUSE_FRONT_DOOR ?? env.GATEHOUSE_API_URL;
  if (sourced) return { api: sourced.replace(/\/+$/, ''), vars: defined(env), from: 'the environment (sourced endpoints.env)' };
  const file = join(resolve(cwd, env.GATEHOUSE_DATA_DIR ?? '.gatehouse'), 'endpoints.env');
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    throw new CliError(`no local cloud found: GATEHOUSE_FRONT_DOOR is not set and ${file} cannot be read; start it (npm start) and source its endpoints.env`, EXIT_USAGE);
  }
  const vars = parseEndpointsEnv(text);
  const api = vars.GATEHOUSE_FRONT_DOOR ?? vars.GATEHOUSE_API_URL;
  if (!api) throw new CliError(`${file} names no front door (GATEHOUSE_FRONT_DOOR): restart the local cloud`, EXIT_USAGE);
  return { api: api.replace(/\/+$/, ''), vars, from: file };
}

/** SDK client options for one local service (endpoint, region, the dummy credentials); {} on AWS. */
export function localClientConfig(local: LocalEndpoints | undefined, endpointVar: string): { endpoint?: string; region?: string; credentials?: { accessKeyId: string; secretAccessKey: string } } {
  const endpoint = local?.vars[endpointVar];
  if (!local || !endpoint) return {};
  return {
    endpoint,
    region: local.vars.AWS_REGION ?? 'us-east-1',
    credentials: { accessKeyId: local.vars.AWS_ACCESS_KEY_ID ?? 'local', secretAccessKey: local.vars.AWS_SECRET_ACCESS_KEY ?? 'local' },
  };
}
