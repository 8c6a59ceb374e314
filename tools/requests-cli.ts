import { parseArgs } from 'node:util';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { SFNClient } from '@aws-sdk/client-sfn';
import { describeOutcome, findExecution, gatehouseMachines } from './cli/executions.ts';
import { queryAll, scanAll } from '../functions/lib/adapters/dynamodb/pages.ts';
import { CliError, UsageError, runCommand, type CliIo } from './cli/errors.ts';
import { localClientConfig, localEndpoints as findLocalCloud } from './cli/local-env.ts';
import { EXIT, LOCAL_OPERATOR, LOCAL_OPERATOR_GROUP, explain, localEndpoints, mintLocal, send, type OperatorCliDeps } from './operator-cli.ts';

/**
 * `npm run gatehouse -- requests | revoke | withdraw | extend`: a person's requests, listed from the requests
 * table (read-only, like `status`), the early end of a time-bound grant with a reason, the
 * withdrawal of one still waiting for approval, and the extension of a granted one, through the API like any client
 * (POST /access-requests/{id}/revoke | withdraw, body {"reason"}: audited and told to the holder,
 * or to the approvers; POST /access-requests/{id}/extend, body {"by", "reason"}).
 */
export const REQUESTS_USAGE = `usage:
  gatehouse requests [--mine --as <email>] [--employee <id>] [--kind <k>] [--status <s>] [--last <n>] [--local]
      Requests on record, newest first (default the last 20): when, id, kind, whom, status (or, where
      none is recorded, the workflow's outcome in words, as status prints it), who asked.
      --mine: only those you asked for (--as <email>, or $GATEHOUSE_EMAIL); --employee: about one person;
      --kind joiner|mover|leaver|time-bound|extension; --status: a recorded status (granted, ended, failed, denied,
      expired, rejected, withdrawn, extended).
      Reads the table gatehouse-requests (or $GATEHOUSE_TABLE_PREFIX) with your AWS credentials, or the
      local cloud with --local (or a sourced .gatehouse/endpoints.env).
  gatehouse revoke <requestId> --reason "<1-500 characters>" [--api <url>] [--token <jwt>] [--local [--as <email>]]
      Ends a granted time-bound request now; the reason is audited and told to the holder. The caller
      is the requester, the person who holds it, or an operator. --local: a token for --as (default
      it-ops@example.com, an operator) from the running local cloud.
  gatehouse withdraw <requestId> [--reason "<1-500 characters>"] [--api <url>] [--token <jwt>] [--local [--as <email>]]
      Takes back a request still waiting for approval: the approvers are told (with the reason) and their
      links stop working; the workflow ends "withdrawn". The caller is the requester or an operator.
  gatehouse extend <requestId|grantId> --by <ISO-8601, e.g. PT2H> --reason "<10-500 characters>" [--idempotency-key <k>] [--api <url>] [--token <jwt>] [--local --as <email>]
      Asks to move the end of a granted time-bound request (or of the grant item
      <entitlementId>#time-bound#<requestId>) later by --by, through the same approvals as a new
      request; the total stays within the entitlement's maximum. The caller is the holder or their
      manager (--local: a token for --as from the running local cloud). Prints the extension's id.
exit codes: 0 listed / revoke or extension started / withdrawn, 1 rejected (400), 2 usage, 3 unreachable or not allowed (401/403),
  4 no such request (404), 5 not revocable, withdrawable or extendable now (409), 6 the API failed otherwise (e.g. 422: no approver)
`;

const KINDS = ['joiner', 'mover', 'leaver', 'time-bound', 'extension'] as const;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

type Item = Record<string, unknown>;
const text = (value: unknown): string => (typeof value === 'string' ? value : '');
const requesterOf = (item: Item): string => text((item.requester as { email?: unknown } | undefined)?.email);
/** The status the table records (failed, denied, granted, ended...); a joiner, mover or leaver that ended well records none. */
const statusOf = (item: Item): string => text(item.status);

export interface RequestFilters {
  mine?: string;
  employee?: string;
  kind?: string;
  status?: string;
  last: number;
}

/** The requests `requests` prints, newest first, filtered; pure, so the filters are tested without a table. */
export function selectRequests(items: readonly Item[], filters: RequestFilters): Item[] {
  const kept = items
    .filter((item) => !filters.mine || requesterOf(item).toLowerCase() === filters.mine.toLowerCase())
    .filter((item) => !filters.employee || item.employeeId === filters.employee)
    .filter((item) => !filters.kind || item.kind === filters.kind)
    .filter((item) => !filters.status || statusOf(item) === filters.status)
    .sort((a, b) => text(b.createdAt).localeCompare(text(a.createdAt)));
  return kept.slice(0, filters.last);
}

/** One line per request; `outcome` is the workflow's outcome in words where the table records no status. */
export const requestLine = (item: Item, outcome: string | undefined): string =>
  [text(item.createdAt) || '?', text(item.requestId), text(item.kind) || '?', text(item.employeeId) || '?', statusOf(item) || outcome || 'no execution found', requesterOf(item) ? `by ${requesterOf(item)}` : '']
    .join('  ')
    .trimEnd();

function filtersOf(values: { mine?: boolean; as?: string; employee?: string; kind?: string; status?: string; last?: string }, env: Record<string, string | undefined>): RequestFilters {
  const last = Number(values.last ?? '20');
  if (!Number.isInteger(last) || last < 1) throw new UsageError(`--last ${values.last} is not a positive whole number`);
  if (values.kind !== undefined && !(KINDS as readonly string[]).includes(values.kind)) throw new UsageError(`--kind ${values.kind} is not one of ${KINDS.join(', ')}`);
  const mine = values.mine ? (values.as ?? env.GATEHOUSE_EMAIL) : undefined;
  if (values.mine && !mine) throw new UsageError('--mine needs who you are: --as <email> or $GATEHOUSE_EMAIL');
  if (mine !== undefined && !EMAIL.test(mine)) throw new UsageError(`--as ${mine} is not an e-mail address`);
  if (values.as !== undefined && !values.mine) throw new UsageError('--as goes with --mine here');
  return { last, ...(mine ? { mine } : {}), ...(values.employee ? { employee: values.employee } : {}), ...(values.kind ? { kind: values.kind } : {}), ...(values.status ? { status: values.status } : {}) };
}

async function listRequests(argv: string[], io: CliIo, deps: OperatorCliDeps): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      mine: { type: 'boolean', default: false },
      as: { type: 'string' },
      employee: { type: 'string' },
      kind: { type: 'string' },
      status: { type: 'string' },
      last: { type: 'string' },
      local: { type: 'boolean', default: false },
    },
  });
  if (positionals.length > 0) throw new UsageError(`requests takes no arguments (got ${positionals.join(' ')}); filter with --employee, --kind, --status, --mine`);
  const filters = filtersOf(values, deps.env);
  const local = values.local || deps.env.GATEHOUSE_FRONT_DOOR ? findLocalCloud(deps.env, deps.cwd) : undefined;
  const raw = new DynamoDBClient(localClientConfig(local, 'AWS_ENDPOINT_URL_DYNAMODB'));
  const db = DynamoDBDocumentClient.from(raw);
  const sfn = new SFNClient(localClientConfig(local, 'AWS_ENDPOINT_URL_SFN'));
  const table = `${deps.env.GATEHOUSE_TABLE_PREFIX ?? 'gatehouse-'}requests`;
  try {
    const items = filters.employee
      ? await queryAll(db, { TableName: table, IndexName: 'byEmployee', KeyConditionExpression: 'employeeId = :e', ExpressionAttributeValues: { ':e': filters.employee } }, 'list requests')
      : await scanAll(db, { TableName: table }, 'list requests');
    const chosen = selectRequests(items, filters);
    const machines = chosen.some((r) => !statusOf(r)) ? await gatehouseMachines(sfn) : new Map<string, string>();
    const lines: string[] = [];
    for (const request of chosen) {
      const run = statusOf(request) ? undefined : await findExecution(sfn, machines, text(request.executionName) || text(request.requestId));
      lines.push(requestLine(request, run ? await describeOutcome(sfn, run) : undefined));
    }
    io.stdout(lines.length === 0 ? 'no requests match\n' : `${lines.join('\n')}\n`);
    return 0;
  } finally {
    raw.destroy();
    sfn.destroy();
  }
}

/** The API and a token: --api, the local cloud's front door, or $GATEHOUSE_API_URL; --token, a local one for `as`, or $GATEHOUSE_TOKEN. */
async function apiAndToken(deps: OperatorCliDeps, values: { api?: string; token?: string; local?: boolean }, as: { email: string; groups: string[] }): Promise<{ api: string; token: string }> {
  const local = values.local ? localEndpoints(deps) : undefined;
  const api = (values.api ?? local?.GATEHOUSE_FRONT_DOOR ?? deps.env.GATEHOUSE_API_URL)?.replace(/\/+$/, '');
  if (!api) throw new CliError('no API URL: pass --api <url>, set GATEHOUSE_API_URL, or use --local', EXIT.usage);
  let token = values.token ?? (local ? undefined : deps.env.GATEHOUSE_TOKEN);
  if (!token && local) token = await mintLocal(deps, api, as);
  if (!token) throw new CliError('no token: pass --token <jwt> or set GATEHOUSE_TOKEN (an access token from your identity provider, docs/auth.md)', EXIT.usage);
  return { api, token };
}

/** `ar-...`, or the request id inside a grant item key `<entitlementId>#time-bound#<requestId>`. */
export function requestIdOf(id: string): string {
  const marker = '#time-bound#';
  const at = id.indexOf(marker);
  const requestId = at < 0 ? id : id.slice(at + marker.length);
  if (!/^[\x21-\x7e]{1,128}$/.test(requestId) || requestId.includes('#')) throw new UsageError(`${id} is neither a request id nor a time-bound grant id (<entitlementId>#time-bound#<requestId>)`);
  return requestId;
}

const ISO_DURATION = /^P(?:\d+W)?(?:\d+D)?(?:T(?:\d+H)?(?:\d+M)?)?$/;

async function extend(argv: string[], io: CliIo, deps: OperatorCliDeps): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      by: { type: 'string' },
      reason: { type: 'string' },
      'idempotency-key': { type: 'string' },
      api: { type: 'string' },
      token: { type: 'string' },
      local: { type: 'boolean', default: false },
      as: { type: 'string' },
    },
  });
  const [id, ...extra] = positionals;
  if (!id || extra.length > 0) throw new UsageError('extend takes exactly one request id or grant id');
  const requestId = requestIdOf(id);
  if (!values.by) throw new UsageError('extend needs --by <duration> (ISO-8601 weeks/days/hours/minutes, e.g. PT2H or P1D)');
  if (!ISO_DURATION.test(values.by) || values.by === 'P' || values.by.endsWith('T')) throw new UsageError(`--by ${values.by} is not an ISO-8601 duration in W/D/H/M (e.g. PT30M, PT2H, P1D)`);
  const reason = values.reason?.trim();
  if (!reason) throw new UsageError('extend needs --reason "<why>" (10-500 characters; approvers read it and it is audited)');
  if (reason.length < 10 || reason.length > 500) throw new UsageError(`--reason is ${reason.length} characters; 10-500`);
  if (values.as !== undefined && !values.local) throw new UsageError('--as goes with --local');
  if (values.local && !values.token && !values.as) throw new UsageError('extend --local needs --as <email>: the holder or their manager');
  const { api, token } = await apiAndToken(deps, values, { email: values.as ?? '', groups: [] });
  const key = values['idempotency-key'];
  const res = await send(deps, `${api}/access-requests/${encodeURIComponent(requestId)}/extend`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, ...(key ? { 'idempotency-key': key } : {}) },
    body: JSON.stringify({ by: values.by, reason }),
  });
  if (res.status !== 202) throw explain(res.status, res.body, res.headers);
  io.stdout(`${text(res.body.requestId)}: extension of ${requestId} asked (ends now ${text(res.body.currentEnd)}, would end ${text(res.body.newEnd)}); follow it with: gatehouse status ${text(res.body.requestId)}\n`);
  return EXIT.ok;
}

/** revoke (a reason required) and withdraw (a reason optional): one POST /access-requests/{id}/<action> each. */
async function requestAction(action: 'revoke' | 'withdraw', argv: string[], io: CliIo, deps: OperatorCliDeps): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { reason: { type: 'string' }, api: { type: 'string' }, token: { type: 'string' }, local: { type: 'boolean', default: false }, as: { type: 'string' } },
  });
  const [requestId, ...extra] = positionals;
  if (!requestId || extra.length > 0) throw new UsageError(`${action} takes exactly one request id`);
  const reason = values.reason?.trim();
  if (action === 'revoke' && !reason) throw new UsageError('revoke needs --reason "<why>" (1-500 characters; it is audited and told to the holder)');
  if (values.reason !== undefined && !reason) throw new UsageError('--reason is empty; say why in 1-500 characters, or leave --reason out');
  if (reason && reason.length > 500) throw new UsageError(`--reason is ${reason.length} characters; at most 500`);
  if (values.as !== undefined && !values.local) throw new UsageError('--as goes with --local');
  const { api, token } = await apiAndToken(deps, values, { email: values.as ?? LOCAL_OPERATOR, groups: values.as ? [] : [LOCAL_OPERATOR_GROUP] });
  const res = await send(deps, `${api}/access-requests/${encodeURIComponent(requestId)}/${action}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify(reason ? { reason } : {}),
  });
  if (res.status !== 202 && res.status !== 200) throw explain(res.status, res.body, res.headers);
  if (action === 'withdraw') io.stdout(`${requestId}: withdrawn (the approvers are told; their links no longer work); follow it with: gatehouse status ${requestId}\n`);
  else io.stdout(res.status === 200 ? `${requestId}: already ended; nothing to revoke\n` : `${requestId}: revoking (the holder is told why); follow it with: gatehouse status ${requestId}\n`);
  return EXIT.ok;
}

export async function runRequestsCli(command: 'requests' | 'revoke' | 'withdraw' | 'extend', argv: string[], io: CliIo, deps: OperatorCliDeps): Promise<number> {
  const run = command === 'requests' ? listRequests : command === 'extend' ? extend : (args: string[], out: CliIo, d: OperatorCliDeps) => requestAction(command, args, out, d);
  return runCommand(command, REQUESTS_USAGE, argv, io, () => run(argv, io, deps));
}
