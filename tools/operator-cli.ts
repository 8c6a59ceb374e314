import { randomUUID } from 'node:crypto';
import { parseArgs } from 'node:util';
import { CliError, UsageError, runCommand, type CliIo } from './cli/errors.ts';
import { localEndpoints as findLocalCloud } from './cli/local-env.ts';

/**
 * `npm run gatehouse -- leave|token ...`: the operator's side of the kill switch (docs/auth.md,
 * docs/leaver.md). It only speaks HTTP to the API, with a bearer token, like any other client.
 */

export const OPERATOR_USAGE = `usage:
  gatehouse leave <employeeId> --reason "<5-500 characters>" [--api <url>] [--token <jwt>]
                  [--idempotency-key <key>] [--local [--as <email>]]
      Ends the employee's access now (POST <api>/operator/leavers); the caller must be in the
      operator group. --api defaults to $GATEHOUSE_API_URL, --token to $GATEHOUSE_TOKEN.
      --local: the running local cloud (.gatehouse/endpoints.env, or $GATEHOUSE_DATA_DIR) and a
      token it mints for --as (default it-ops@example.com) in gatehouse-operators.
      A key is generated when none is given; the same key again never starts a second leaver.
  gatehouse token --email <email> [--groups g1,g2] [--sub <id>] [--expires <seconds>]
      Local cloud only: prints a bearer token from its OIDC issuer, e.g.
      export GATEHOUSE_TOKEN=$(npm run -s gatehouse -- token --email ops@example.com --groups gatehouse-operators)

exit codes: 0 started (or already started by this key), 1 rejected input (400/413),
  2 usage or missing API URL/token, 3 not authenticated (401) or not allowed (403),
  4 unknown employee (404), 5 conflict (409: already left, key reused), 6 network or server error
`;

export const EXIT = { ok: 0, rejected: 1, usage: 2, auth: 3, notFound: 4, conflict: 5, unavailable: 6 } as const;

export type OperatorIo = CliIo;

export interface OperatorCliDeps {
  env: Record<string, string | undefined>;
  fetch: typeof fetch;
  cwd: string;
}

export const LOCAL_OPERATOR = 'it-ops@example.com';
export const LOCAL_OPERATOR_GROUP = 'gatehouse-operators';

/** The running local cloud's variables (sourced environment first, then endpoints.env). */
export const localEndpoints = (deps: OperatorCliDeps): Record<string, string> => {
  const found = findLocalCloud(deps.env, deps.cwd);
  return { ...found.vars, GATEHOUSE_FRONT_DOOR: found.api };
};

export async function send(deps: OperatorCliDeps, url: string, init: RequestInit): Promise<{ status: number; body: Record<string, unknown>; headers: Headers }> {
  let res: Response;
  try {
    res = await deps.fetch(url, { ...init, signal: AbortSignal.timeout(30_000) });
  } catch (error) {
    throw new CliError(`cannot reach ${url}: ${error instanceof Error ? error.message : String(error)}`, EXIT.unavailable);
  }
  const text = await res.text();
  let body: Record<string, unknown>;
  try {
    body = JSON.parse(text) as Record<string, unknown>;
  } catch {
    body = { message: text.slice(0, 200) };
  }
  return { status: res.status, body, headers: res.headers };
}

export async function mintLocal(deps: OperatorCliDeps, api: string, request: Record<string, unknown>): Promise<string> {
  const res = await send(deps, `${api}/_local/oidc/token`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(request) });
  if (res.status !== 200 || typeof res.body.access_token !== 'string') {
    throw new CliError(`the local cloud did not mint a token (${res.status}): ${typeof res.body.message === 'string' ? res.body.message : ''}`, EXIT.usage);
  }
  return res.body.access_token;
}

export function explain(status: number, body: Record<string, unknown>, headers: Headers): CliError {
  const message = typeof body.message === 'string' ? body.message : '';
  if (status === 401) {
    const local = headers.get('x-gatehouse-local-auth-error');
    return new CliError(
      `401 Unauthorized: the API refused the token (missing, expired, or not from the configured issuer/audience)${local ? ` [local: ${local}]` : ''}; get a fresh one (docs/auth.md)`,
      EXIT.auth,
    );
  }
  if (status === 403) return new CliError(`403 Forbidden: ${message || 'not allowed'}`, EXIT.auth);
  if (status === 404) return new CliError(`404 Not Found: ${message || 'no such route or employee'}`, EXIT.notFound);
  if (status === 409) return new CliError(`409 Conflict: ${message}`, EXIT.conflict);
  if (status === 400 || status === 413) return new CliError(`${status} rejected: ${message}`, EXIT.rejected);
  return new CliError(`${status} from the API${message ? `: ${message}` : ''}; retry with the same --idempotency-key`, EXIT.unavailable);
}

async function leave(argv: string[], io: OperatorIo, deps: OperatorCliDeps): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      reason: { type: 'string' },
      api: { type: 'string' },
      token: { type: 'string' },
      'idempotency-key': { type: 'string' },
      local: { type: 'boolean', default: false },
      as: { type: 'string' },
    },
  });
  const [employeeId, ...extra] = positionals;
  if (!employeeId || extra.length > 0) throw new UsageError('leave takes exactly one employee id');
  if (!values.reason) throw new UsageError('leave needs --reason "<why>" (5-500 characters; it goes into the audit trail)');
  const local = values.local ? localEndpoints(deps) : undefined;
  const api = (values.api ?? local?.GATEHOUSE_API_URL ?? local?.GATEHOUSE_FRONT_DOOR ?? deps.env.GATEHOUSE_API_URL)?.replace(/\/+$/, '');
  if (!api) throw new CliError('no API URL: pass --api <url>, set GATEHOUSE_API_URL, or use --local', EXIT.usage);
  let token = values.token ?? (local ? undefined : deps.env.GATEHOUSE_TOKEN);
  if (!token && local) token = await mintLocal(deps, api, { email: values.as ?? LOCAL_OPERATOR, groups: [LOCAL_OPERATOR_GROUP] });
  if (!token) throw new CliError('no token: pass --token <jwt> or set GATEHOUSE_TOKEN (an access token from your identity provider, docs/auth.md)', EXIT.usage);
  const key = values['idempotency-key'] ?? randomUUID();
  const res = await send(deps, `${api}/operator/leavers`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, 'idempotency-key': key },
    body: JSON.stringify({ employeeId, reason: values.reason }),
  });
  if (res.status !== 202) throw explain(res.status, res.body, res.headers);
  const { executionName, status, replayed } = res.body as { executionName?: string; status?: string; replayed?: boolean };
  io.stdout(`${replayed ? 'Already started by this key' : 'Leaver started'}: ${employeeId}, execution ${executionName} (${status})\n`);
  io.stdout(`  Idempotency-Key ${key}: repeating the command with --idempotency-key ${key} never starts a second leaver\n`);
  return EXIT.ok;
}

async function token(argv: string[], io: OperatorIo, deps: OperatorCliDeps): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: false,
    options: { email: { type: 'string' }, groups: { type: 'string' }, sub: { type: 'string' }, expires: { type: 'string' }, local: { type: 'boolean' } },
  });
  if (positionals.length > 0 || (!values.email && !values.sub)) throw new UsageError('token needs --email <email> (or --sub <id>)');
  const expires = values.expires === undefined ? undefined : Number(values.expires);
  if (expires !== undefined && !Number.isInteger(expires)) throw new UsageError('--expires takes whole seconds');
  const api = findLocalCloud(deps.env, deps.cwd).api;
  const groups = (values.groups ?? '').split(',').filter((group) => group.length > 0);
  io.stdout(`${await mintLocal(deps, api, { ...(values.email ? { email: values.email } : {}), ...(values.sub ? { sub: values.sub } : {}), groups, ...(expires ? { expiresInSeconds: expires } : {}) })}\n`);
  return EXIT.ok;
}

/** Runs `leave` or `token`; returns the exit code; foreseen failures are one line on stderr. */
export async function runOperatorCli(argv: string[], io: OperatorIo, deps: OperatorCliDeps): Promise<number> {
  const [command, ...rest] = argv;
  if (command !== 'leave' && command !== 'token') {
    io.stdout(OPERATOR_USAGE);
    return command === 'help' || command === '--help' ? EXIT.ok : EXIT.usage;
  }
  return runCommand(command, OPERATOR_USAGE, rest, io, () => (command === 'leave' ? leave(rest, io, deps) : token(rest, io, deps)));
}
