import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { queryAll, scanAll } from '../functions/lib/adapters/dynamodb/pages.ts';
import { DescribeExecutionCommand, SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { checkCatalogueText, type LoadedCatalogue } from '../functions/lib/domain/catalogue/load.ts';
import { companyImpact, type PersonRow } from '../functions/lib/domain/convergence/impact.ts';
import { grantItemSchema, type GrantItem } from '../functions/lib/domain/grants/item.ts';
import { CliError, UsageError, runCommand, type CliIo } from './cli/errors.ts';
import { gatehouseMachines, executionArn } from './cli/executions.ts';
import { localClientConfig, localEndpoints, type LocalEndpoints } from './cli/local-env.ts';

/**
 * `npm run gatehouse -- catalogue impact|explain|converge`: the catalogue against the live
 * tables (AWS with your credentials, or the local cloud with --local). impact and explain only
 * read; converge starts the catalogue-convergence workflow for the deployed version.
 */
export const CATALOGUE_LIVE_USAGE = `usage:
  gatehouse catalogue impact <new catalogue> [--names <n>] [--local]
      who would gain and lose what if <new> were deployed: counts and names per entitlement,
      people whose role the catalogue no longer has, the plan's fingerprint (what converge confirms)
  gatehouse catalogue explain <employeeId> [--catalogue <file>] [--local]
      which rule (or the HRIS) chose the person's role, and which source justifies each entitlement held
  gatehouse catalogue converge <deployed catalogue> [--confirm <fingerprint>] [--no-wait] [--local]
      start the convergence workflow for that catalogue's version and print its counts
exit codes: 0 ok, 1 refused (invalid catalogue, guard), 2 usage, 3 unreachable, 4 unknown person
`;

type Item = Record<string, unknown>;

interface Live {
  db: DynamoDBDocumentClient;
  sfn: SFNClient;
  prefix: string;
  close(): void;
}

function connect(local: boolean, env: Record<string, string | undefined>, cwd: string): Live {
  const endpoints: LocalEndpoints | undefined = local || env.GATEHOUSE_FRONT_DOOR ? localEndpoints(env, cwd) : undefined;
  const raw = new DynamoDBClient(localClientConfig(endpoints, 'AWS_ENDPOINT_URL_DYNAMODB'));
  const sfn = new SFNClient(localClientConfig(endpoints, 'AWS_ENDPOINT_URL_SFN'));
  return { db: DynamoDBDocumentClient.from(raw), sfn, prefix: env.GATEHOUSE_TABLE_PREFIX ?? 'gatehouse-', close: () => (raw.destroy(), sfn.destroy()) };
}

const scan = (live: Live, table: string): Promise<Item[]> => scanAll(live.db, { TableName: `${live.prefix}${table}`, ConsistentRead: true }, `scanning ${table}`);

const query = (live: Live, table: string, key: string, value: string): Promise<Item[]> =>
  queryAll(live.db, { TableName: `${live.prefix}${table}`, KeyConditionExpression: '#k = :v', ExpressionAttributeNames: { '#k': key }, ExpressionAttributeValues: { ':v': value } }, `reading ${table}`);

function loadFile(file: string, cwd: string): LoadedCatalogue {
  let text: string;
  try {
    text = readFileSync(resolve(cwd, file), 'utf8');
  } catch (error) {
    throw new CliError(`${file}: cannot read: ${(error as Error).message}`, 1);
  }
  const check = checkCatalogueText(text);
  if (!check.ok) throw new CliError(`${file} is invalid: ${check.issues.map((issue) => `${issue.path}: ${issue.message}`).join('; ')}`, 1);
  return check;
}

const text = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);
const activeItems = (items: Item[]): GrantItem[] => items.map((item) => grantItemSchema.parse(item)).filter((item) => item.status === 'active');

async function impact(live: Live, file: string, names: number, cwd: string, io: CliIo): Promise<number> {
  const loaded = loadFile(file, cwd);
  const grantsOf = new Map<string, GrantItem[]>();
  for (const item of await scan(live, 'grants')) {
    const id = text(item.employeeId) ?? '';
    grantsOf.set(id, [...(grantsOf.get(id) ?? []), ...activeItems([item])]);
  }
  const rows: PersonRow[] = (await scan(live, 'employees')).map((item) => ({
    employee: { employeeId: text(item.employeeId) ?? '', ...(text(item.role) ? { role: text(item.role) } : {}), ...(text(item.status) ? { status: text(item.status) } : {}) },
    items: grantsOf.get(text(item.employeeId) ?? '') ?? [],
  }));
  const result = companyImpact(loaded.catalogue, loaded.version, rows, new Date());
  const gains = new Map<string, string[]>();
  const loses = new Map<string, string[]>();
  for (const person of result.people) {
    for (const entitlement of person.add) gains.set(entitlement.id, [...(gains.get(entitlement.id) ?? []), person.employeeId]);
    for (const id of [...person.revoke.map((group) => group.entitlementId), ...person.revokeAccounts]) loses.set(id, [...(loses.get(id) ?? []), person.employeeId]);
  }
  const show = (ids: string[]): string => `${ids.slice(0, names).join(', ')}${ids.length > names ? `, ... (${ids.length - names} more)` : ''}`;
  const { totals } = result;
  io.stdout(`${loaded.version}: ${totals.changing} of ${totals.employees} active employees change; ${totals.additions} grants, ${totals.revocations} revocations of ${totals.activeRoleGrants} active role grants\n`);
  for (const [id, people] of gains) io.stdout(`  gain ${id}: ${people.length} (${show(people)})\n`);
  for (const [id, people] of loses) io.stdout(`  lose ${id}: ${people.length} (${show(people)})\n`);
  const byKind = new Map<string, string[]>();
  for (const finding of result.findings) byKind.set(finding.kind, [...(byKind.get(finding.kind) ?? []), finding.kind === 'workstation-change' || finding.kind === 'account-assignment-change' ? `${finding.employeeId} ${finding.change} ${finding.entitlementId}` : finding.employeeId]);
  for (const [kind, people] of byKind) io.stdout(`  finding ${kind}: ${people.length} (${show(people)})\n`);
  io.stdout(`plan fingerprint ${result.fingerprint} (converge --confirm ${result.fingerprint} when the guard holds it)\n`);
  return 0;
}

async function explain(live: Live, employeeId: string, catalogueFile: string | undefined, cwd: string, io: CliIo): Promise<number> {
  const [person] = await query(live, 'employees', 'employeeId', employeeId);
  if (!person) {
    io.stderr(`gatehouse catalogue explain: no employee ${employeeId}\n`);
    return 4;
  }
  const audit = await query(live, 'audit', 'subject', employeeId);
  const chosen = audit
    .filter((entry) => entry.kind === 'request.received')
    .map((entry) => entry.detail as Record<string, unknown> | undefined)
    .filter((detail) => detail?.role === person.role && detail?.roleSource !== undefined)
    .at(-1);
  const how = chosen ? chosenBy(chosen) : 'not recorded (an event from before roles were assigned at ingest)';
  io.stdout(`${employeeId}: role ${text(person.role) ?? '-'} (${text(person.status) ?? '-'}), chosen by ${how}${chosen?.catalogueVersion ? ` under catalogue ${text(chosen.catalogueVersion)}` : ''}\n`);
  const catalogue = catalogueFile ? loadFile(catalogueFile, cwd) : undefined;
  const wanted = new Set(catalogue ? [...catalogue.catalogue.birthright, ...(catalogue.catalogue.roles.find((role) => role.id === person.role)?.entitlements ?? [])] : []);
  for (const grant of activeItems(await query(live, 'grants', 'employeeId', employeeId))) {
    const [kind, ...rest] = grant.source.split(':');
    const source = kind === 'role' ? `role ${rest.join(':')}` : `time-bound request ${rest.join(':')}${grant.expiresAt ? ` until ${grant.expiresAt}` : ''}`;
    const versioned = text((grant as Item).catalogueVersion);
    const verdict = catalogue && kind === 'role' ? (wanted.has(grant.entitlementId) ? `; ${catalogue.version} still grants it` : `; ${catalogue.version} no longer grants it (convergence revokes it)`) : '';
    io.stdout(`  ${grant.entitlementId}: ${source}${versioned ? ` (catalogue ${versioned})` : ''}${verdict}\n`);
  }
  return 0;
}

async function converge(live: Live, file: string, confirm: string | undefined, wait: boolean, cwd: string, io: CliIo): Promise<number> {
  const loaded = loadFile(file, cwd);
  const machine = (await gatehouseMachines(live.sfn)).get('catalogue-convergence');
  if (!machine) throw new CliError('no catalogue-convergence state machine found: deploy the stack (or start the local cloud) first');
  const name = `converge-${loaded.version.slice(4)}-${Date.now()}`;
  await live.sfn.send(new StartExecutionCommand({ stateMachineArn: machine, name, input: JSON.stringify({ catalogueVersion: loaded.version, ...(confirm ? { confirm } : {}) }) }));
  const arn = executionArn(machine, name);
  io.stdout(`started ${arn}\n`);
  if (!wait) return 0;
  for (;;) {
    const out = await live.sfn.send(new DescribeExecutionCommand({ executionArn: arn }));
    if (out.status !== 'RUNNING') {
      io.stdout(`${out.status}: ${out.output ?? out.cause ?? out.error ?? ''}\n`);
      const parsed = JSON.parse(out.output ?? '{}') as { status?: string };
      return out.status === 'SUCCEEDED' && parsed.status === 'converged' ? 0 : 1;
    }
    await new Promise((done) => setTimeout(done, 2_000));
  }
}

export async function runCatalogueLiveCli(argv: string[], io: CliIo, deps: { env: Record<string, string | undefined>; cwd: string }): Promise<number> {
  return runCommand('catalogue', CATALOGUE_LIVE_USAGE, argv, io, async () => {
    const { values, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      options: { local: { type: 'boolean', default: false }, names: { type: 'string', default: '10' }, catalogue: { type: 'string' }, confirm: { type: 'string' }, 'no-wait': { type: 'boolean', default: false } },
    });
    const [command, target, ...extra] = positionals;
    if (!target || extra.length > 0) throw new UsageError(`catalogue ${command ?? ''} takes one argument`);
    const names = Number(values.names);
    if (!Number.isInteger(names) || names < 0) throw new UsageError(`--names ${values.names} is not a whole number`);
    if (values.confirm !== undefined && !/^[0-9a-f]{16}$/.test(values.confirm)) throw new UsageError('--confirm takes the 16 hex digits of the plan fingerprint');
    const live = connect(values.local, deps.env, deps.cwd);
    try {
      if (command === 'impact') return await impact(live, target, names, deps.cwd, io);
      if (command === 'explain') return await explain(live, target, values.catalogue, deps.cwd, io);
      return await converge(live, target, values.confirm, !values['no-wait'], deps.cwd, io);
    } finally {
      live.close();
    }
  });
}

export const LIVE_CATALOGUE_COMMANDS: ReadonlySet<string> = new Set(['impact', 'explain', 'converge']);

/** How request.received says the role was chosen: a rule, the HRIS, or no rule at all (the catalogue's `unassigned`). */
function chosenBy(detail: Record<string, unknown>): string {
  if (detail.roleSource === 'rule') return `assignment rule ${text(detail.assignmentRule) ?? '?'}`;
  if (detail.roleSource === 'unassigned') return 'no rule (the catalogue\'s unassigned: birthright-only)';
  return 'the HRIS (an explicit role)';
}
