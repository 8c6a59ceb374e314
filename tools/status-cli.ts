import { parseArgs } from 'node:util';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { SFNClient } from '@aws-sdk/client-sfn';
import { UsageError, runCommand, type CliIo } from './cli/errors.ts';
import { currentStep, findExecution, gatehouseMachines, outcomeOf } from './cli/executions.ts';
import { localClientConfig, localEndpoints, type LocalEndpoints } from './cli/local-env.ts';

/**
 * `npm run gatehouse -- status <employeeId|requestId>`: what a person has now, what is running
 * or waiting and for whom, and how their last requests ended, in words. Read-only: it reads the
 * employees, grants, requests and approvals tables and Step Functions, never writes.
 */
export const STATUS_USAGE = `usage:
  gatehouse status <employeeId | requestId> [--last <n>] [--local]
      A person: their role and status, the access they hold now (and why), approvals waiting and
      for whom, and their last <n> requests (default 5) with each one's outcome in words.
      A request (or an execution name, e.g. a delivery id): its workflow, where it is, how it ended.
      Reads the tables gatehouse-* (or $GATEHOUSE_TABLE_PREFIX) and Step Functions, with your AWS
      credentials, or the local cloud with --local (or a sourced .gatehouse/endpoints.env).
exit codes: 0 found, 2 usage, 3 unreachable, 4 nothing known by that id
`;

interface Stores {
  db: DynamoDBDocumentClient;
  sfn: SFNClient;
  prefix: string;
}

type Item = Record<string, unknown>;
const text = (value: unknown): string => (typeof value === 'string' ? value : '');

async function query(stores: Stores, table: string, index: string | undefined, key: string, value: string): Promise<Item[]> {
  const items: Item[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const page = await stores.db.send(
      new QueryCommand({
        TableName: `${stores.prefix}${table}`,
        ...(index ? { IndexName: index } : {}),
        KeyConditionExpression: '#k = :v',
        ExpressionAttributeNames: { '#k': key },
        ExpressionAttributeValues: { ':v': value },
        ExclusiveStartKey: start,
      }),
    );
    items.push(...(page.Items ?? []));
    start = page.LastEvaluatedKey;
  } while (start);
  return items;
}

async function describeRun(stores: Stores, name: string, machines: Map<string, string>): Promise<string | undefined> {
  const execution = await findExecution(stores.sfn, machines, name);
  if (!execution) return undefined;
  if (execution.status !== 'RUNNING') return `${execution.machine}: ${outcomeOf(execution)}`;
  const step = execution.executionArn ? await currentStep(stores.sfn, execution.executionArn) : undefined;
  return `${execution.machine}: running, at "${step ?? 'starting'}" since ${execution.startDate?.toISOString() ?? '?'}`;
}

async function personStatus(stores: Stores, employeeId: string, last: number, io: CliIo): Promise<boolean> {
  const { Item: person } = await stores.db.send(new GetCommand({ TableName: `${stores.prefix}employees`, Key: { employeeId } }));
  const grants = (await query(stores, 'grants', undefined, 'employeeId', employeeId)).filter((grant) => grant.status === 'active');
  const requests = (await query(stores, 'requests', 'byEmployee', 'employeeId', employeeId)).sort((a, b) => text(b.createdAt).localeCompare(text(a.createdAt)));
  const waiting = (await query(stores, 'approvals', 'byEmployee', 'employeeId', employeeId)).filter((approval) => approval.status === 'pending');
  if (!person && requests.length === 0 && grants.length === 0) return false;
  io.stdout(
    person
      ? `${employeeId}: ${text(person.status) || 'known'}, role ${text(person.role) || '(none)'}${text(person.managerEmail) ? `, manager ${text(person.managerEmail)}` : ''}\n`
      : `${employeeId}: not in the employees table (no hire has been applied)\n`,
  );
  io.stdout(grants.length === 0 ? 'holds nothing now\n' : `holds ${grants.length} entitlement(s) now:\n`);
  for (const grant of grants) {
    const until = text(grant.expiresAt) ? `, until ${text(grant.expiresAt)}` : '';
    io.stdout(`  ${text(grant.entitlementId)}  from ${text(grant.source)} since ${text(grant.grantedAt) || text(grant.appliedAt) || '?'}${until}\n`);
  }
  for (const approval of waiting) {
    const approver = approval.approver as { email?: string } | undefined;
    io.stdout(`waiting for ${approver?.email ?? 'an approver'} to decide on ${text(approval.requestId)} (step ${String(approval.step)}, link expires ${text(approval.expiresAt)})\n`);
  }
  const machines = await gatehouseMachines(stores.sfn);
  io.stdout(requests.length === 0 ? 'no requests on record\n' : `last ${Math.min(last, requests.length)} of ${requests.length} request(s):\n`);
  for (const request of requests.slice(0, last)) {
    const run = await describeRun(stores, text(request.executionName) || text(request.requestId), machines);
    io.stdout(`  ${text(request.createdAt)}  ${text(request.requestId)}  ${text(request.kind)}  ${run ?? 'no execution found'}\n`);
  }
  return true;
}

async function requestStatus(stores: Stores, id: string, io: CliIo): Promise<boolean> {
  const { Item: request } = await stores.db.send(new GetCommand({ TableName: `${stores.prefix}requests`, Key: { requestId: id } }));
  const run = await describeRun(stores, text(request?.executionName) || id, await gatehouseMachines(stores.sfn));
  if (!request && !run) return false;
  io.stdout(`${id}${request ? ` (${text(request.kind)} for ${text(request.employeeId)}, since ${text(request.createdAt)})` : ''}: ${run ?? 'no execution found'}\n`);
  const waiting = (await query(stores, 'approvals', 'byRequest', 'requestId', id)).filter((approval) => approval.status === 'pending');
  for (const approval of waiting) io.stdout(`  waiting for ${(approval.approver as { email?: string } | undefined)?.email ?? 'an approver'} (link expires ${text(approval.expiresAt)})\n`);
  return true;
}

export async function runStatus(argv: string[], io: CliIo, deps: { env: Record<string, string | undefined>; cwd: string }): Promise<number> {
  return runCommand('status', STATUS_USAGE, argv, io, async () => {
    const { values, positionals } = parseArgs({ args: argv, allowPositionals: true, options: { last: { type: 'string', default: '5' }, local: { type: 'boolean', default: false } } });
    const [id, ...extra] = positionals;
    if (!id || extra.length > 0) throw new UsageError('status takes one employee id or request id');
    const last = Number(values.last);
    if (!Number.isInteger(last) || last < 1) throw new UsageError(`--last ${values.last} is not a positive whole number`);
    const local: LocalEndpoints | undefined = values.local || deps.env.GATEHOUSE_FRONT_DOOR ? localEndpoints(deps.env, deps.cwd) : undefined;
    const raw = new DynamoDBClient(localClientConfig(local, 'AWS_ENDPOINT_URL_DYNAMODB'));
    const stores: Stores = { db: DynamoDBDocumentClient.from(raw), sfn: new SFNClient(localClientConfig(local, 'AWS_ENDPOINT_URL_SFN')), prefix: deps.env.GATEHOUSE_TABLE_PREFIX ?? 'gatehouse-' };
    try {
      const found = (await requestStatus(stores, id, io)) || (await personStatus(stores, id, last, io));
      if (!found) io.stderr(`gatehouse status: nothing is known by ${id} (no employee, request or execution of that id)\n`);
      return found ? 0 : 4;
    } finally {
      raw.destroy();
      stores.sfn.destroy();
    }
  });
}
