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
 * `npm run gatehouse -- requests | revoke | withdraw`: a person's requests, listed from the requests
 * table (read-only, like `status`), the early end of a time-bound grant with a reason, and the
 * withdrawal of one still waiting for approval, through the API like any client
 * (POST /access-requests/{id}/revoke | withdraw, body {"reason"}: audited and told to the holder,
 * or to the approvers).
 */
export const REQUESTS_USAGE = `usage:
  gatehouse requests [--mine --as <email>] [--employee <id>] [--kind <k>] [--status <s>] [--last <n>] [--local]
      Requests on record, newest first (default the last 20): when, id, kind, whom, status (or, where
      none is recorded, the workflow's outcome in words, as status prints it), who asked.
      --mine: only those you asked for (--as <email>, or $GATEHOUSE_EMAIL); --employee: about one person;
      --kind joiner|mover|leaver|time-bound; --status: a recorded status (granted, ended, failed, denied,
      expired, rejected, withdrawn).
      Reads the table gatehouse-requests (or $GATEHOUSE_TABLE_PREFIX) with your AWS credentials, or the
      local cloud with --local (or a sourced .gatehouse/endpoints.env).
  gatehouse revoke <requestId> --reason "<1-500 characters>" [--api <url>] [--token <jwt>] [--local [--as <email>]]
      Ends a granted time-bound request now; the reason is audited and told to the holder. The caller
      is the requester, the person who holds it, or an operator. --local: a token for --as (default
      it-ops@example.com, an operator) from the running local cloud.
  gatehouse withdraw <requestId> [--reason "<1-500 characters>"] [--api <url>] [--token <jwt>] [--local [--as <email>]]
      Takes back a request still waiting for approval: the approvers are told (with the reason) and their
      links stop working; the workflow ends "withdrawn". The caller is the requester or an operator.
exit codes: 0 listed / revoke started / withdrawn, 1 rejected (400), 2 usage, 3 unreachable or not allowed (401/403),
  4 no such request (404), 5 not revocable or withdrawable now (409)
`;

const KINDS = ['joiner', 'mover', 'leaver', 'time-bound'] as const;
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
  const local = values.local ? localEndpoints(deps) : undefined;
  const api = (values.api ?? local?.GATEHOUSE_FRONT_DOOR ?? deps.env.GATEHOUSE_API_URL)?.replace(/\/+$/, '');
  if (!api) throw new CliError('no API URL: pass --api <url>, set GATEHOUSE_API_URL, or use --local', EXIT.usage);
  let token = values.token ?? (local ? undefined : deps.env.GATEHOUSE_TOKEN);
  if (!token && local) token = await mintLocal(deps, api, { email: values.as ?? LOCAL_OPERATOR, groups: values.as ? [] : [LOCAL_OPERATOR_GROUP] });
  if (!token) throw new CliError('no token: pass --token <jwt> or set GATEHOUSE_TOKEN (an access token from your identity provider, docs/auth.md)', EXIT.usage);
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

export async function runRequestsCli(command: 'requests' | 'revoke' | 'withdraw', argv: string[], io: CliIo, deps: OperatorCliDeps): Promise<number> {
  return runCommand(command, REQUESTS_USAGE, argv, io, () => (command === 'requests' ? listRequests(argv, io, deps) : requestAction(command, argv, io, deps)));
}
