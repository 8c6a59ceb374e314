import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { CliError, EXIT_USAGE, UsageError, runCommand } from './cli/errors.ts';

/**
 * `npm run gatehouse -- hris ...`: plays HR in the local HRIS of the running local cloud
 * (local/hris). Each change is made in the vendor's data and the vendor's signed webhook
 * is sent to the front door, so the same path runs as with the real vendor.
 */
export const HRIS_USAGE = `usage (local cloud only; the HRIS URL comes from .gatehouse/endpoints.env or $GATEHOUSE_HRIS_URL):
  gatehouse hris list [--vendor hibob|bamboohr|personio]
      Everyone in the local HRIS, per vendor: id, name, e-mail, title, role field, status.
  gatehouse hris add --vendor <v> --id <id> --email <e> --first <name> --last <name> --title <title>
                     [--role <catalogue role>] [--manager <id>] [--manager-email <e>] [--department <d>]
                     [--contractor] [--start <yyyy-mm-dd>] [--end <yyyy-mm-dd>]
      Hires the person and sends the vendor's hire webhook (HiBob employee.joined, BambooHR
      employee.created, Personio person.created).
  gatehouse hris change --vendor <v> --id <id> [--title ..] [--role ..] [--email ..] [--department ..]
                        [--manager ..] [--manager-email ..] [--end ..]
      Changes the fields given and sends the vendor's change webhook (changed field names only).
  gatehouse hris terminate --vendor <v> --id <id> [--date <yyyy-mm-dd>]
      Terminates the person (default today) and sends the vendor's termination webhook.
  gatehouse hris fault <spec>      e.g. "hibob:429:2:1;personio:timeout:1" (empty clears)

exit codes: 0 done and the webhook was accepted (202), 1 rejected (4xx from the HRIS or the front door),
  2 usage or no local cloud, 6 network or server error (5xx: the vendor would redeliver)
`;

export interface HrisCliIo {
  stdout(text: string): void;
  stderr(text: string): void;
}

export interface HrisCliDeps {
  env: Record<string, string | undefined>;
  fetch: typeof fetch;
  cwd: string;
}


function hrisUrl(deps: HrisCliDeps): string {
  if (deps.env.GATEHOUSE_HRIS_URL) return deps.env.GATEHOUSE_HRIS_URL.replace(/\/+$/, '');
  const file = join(resolve(deps.cwd, deps.env.GATEHOUSE_DATA_DIR ?? '.gatehouse'), 'endpoints.env');
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    throw new CliError(`cannot read ${file}: is the local cloud running (npm start)?`, EXIT_USAGE);
  }
  const url = /^export GATEHOUSE_HRIS_URL=(.*)$/m.exec(text)?.[1];
  if (!url) throw new CliError(`${file} has no GATEHOUSE_HRIS_URL: restart the local cloud`, EXIT_USAGE);
  return url;
}

const OPTIONS = {
  vendor: { type: 'string' }, id: { type: 'string' }, email: { type: 'string' }, first: { type: 'string' }, last: { type: 'string' },
  title: { type: 'string' }, role: { type: 'string' }, manager: { type: 'string' }, 'manager-email': { type: 'string' },
  department: { type: 'string' }, contractor: { type: 'boolean' }, start: { type: 'string' }, end: { type: 'string' }, date: { type: 'string' },
} as const;

type Values = ReturnType<typeof parseArgs<{ options: typeof OPTIONS; allowPositionals: true }>>['values'];

function fields(values: Values): Record<string, unknown> {
  const map: [keyof Values, string][] = [
    ['email', 'email'], ['first', 'firstName'], ['last', 'lastName'], ['title', 'title'], ['role', 'gatehouseRole'], ['manager', 'managerId'],
    ['manager-email', 'managerEmail'], ['department', 'department'], ['start', 'startDate'], ['end', 'endDate'],
  ];
  const out: Record<string, unknown> = {};
  for (const [flag, field] of map) if (values[flag] !== undefined) out[field] = values[flag];
  if (values.contractor) out.employmentType = 'contractor';
  return out;
}

const COMMANDS = new Set(['list', 'fault', 'add', 'change', 'terminate']);

/** `--help` anywhere prints the usage; a usage error is one line (tools/cli/errors.ts), checked before the local cloud is looked for. */
export async function runHrisCli(argv: string[], io: HrisCliIo, deps: HrisCliDeps): Promise<number> {
  return runCommand('hris', HRIS_USAGE, argv, io, () => hris(argv, io, deps));
}

async function hris(argv: string[], io: HrisCliIo, deps: HrisCliDeps): Promise<number> {
  const { values, positionals } = parseArgs({ args: argv, allowPositionals: true, options: OPTIONS });
  const [command, ...rest] = positionals;
  if (!command || !COMMANDS.has(command)) throw new UsageError(command ? `unknown hris command ${command}` : 'hris needs a command: list, add, change, terminate, fault or send');
  if (command !== 'list' && command !== 'fault' && (!values.vendor || !values.id)) throw new UsageError(`hris ${command} needs --vendor and --id`);
  const base = hrisUrl(deps);
  const call = async (path: string, init?: RequestInit): Promise<{ status: number; body: unknown }> => {
    let res: Response;
    try {
      res = await deps.fetch(`${base}${path}`, { ...init, signal: AbortSignal.timeout(60_000) });
    } catch (error) {
      throw new CliError(`cannot reach the local HRIS at ${base}: ${error instanceof Error ? error.message : String(error)}`, 6);
    }
    const text = await res.text();
    let body: unknown = text;
    try {
      body = JSON.parse(text);
    } catch {
      /* plain text */
    }
    return { status: res.status, body };
  };
  if (command === 'list') {
    const { body } = await call(values.vendor ? `/_hris/people/${values.vendor}` : '/_hris/people');
    const byVendor = (values.vendor ? { [values.vendor]: body } : body) as Record<string, { id: string; firstName: string; lastName: string; email: string; title: string; gatehouseRole?: string; status: string }[]>;
    for (const [vendor, people] of Object.entries(byVendor)) {
      io.stdout(`${vendor} (${people.length})\n`);
      for (const p of people) io.stdout(`  ${p.id.padEnd(20)} ${`${p.firstName} ${p.lastName}`.padEnd(24)} ${p.email.padEnd(36)} ${p.title.padEnd(24)} ${(p.gatehouseRole ?? '-').padEnd(16)} ${p.status}\n`);
    }
    return 0;
  }
  if (command === 'fault') {
    const { status, body } = await call('/_hris/faults', { method: 'POST', body: rest.join(' ') });
    io.stdout(`${JSON.stringify(body, null, 2)}\n`);
    return status === 200 ? 0 : 1;
  }
  const request = command === 'add'
    ? { action: 'add', person: { id: values.id, employmentType: 'employee', startDate: new Date().toISOString().slice(0, 10), ...fields(values) } }
    : command === 'change'
      ? { action: 'change', id: values.id, changes: fields(values) }
      : { action: 'terminate', id: values.id, ...(values.date ? { date: values.date } : {}) };
  const { status, body } = await call(`/_hris/people/${values.vendor}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(request) });
  if (status !== 200) {
    io.stderr(`the local HRIS refused (${status}): ${typeof body === 'object' && body !== null && 'message' in body ? String(body.message) : JSON.stringify(body)}\n`);
    return status >= 500 ? 6 : 1;
  }
  const { webhook } = body as { webhook: { source: string; status: number; body: string } };
  io.stdout(`${values.vendor}: ${command} ${values.id} -> webhook POST /hris/${webhook.source} answered ${webhook.status} ${webhook.body}\n`);
  return webhook.status === 202 ? 0 : webhook.status >= 500 ? 6 : 1;
}
