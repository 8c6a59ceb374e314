import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SFNClient } from '@aws-sdk/client-sfn';
import { CliError, UsageError, runCommand, type CliIo } from './cli/errors.ts';
import { currentStep, describeOutcome, findExecution, gatehouseMachines } from './cli/executions.ts';
import { localClientConfig, localEndpoints, type LocalEndpoints } from './cli/local-env.ts';

/**
 * `npm run gatehouse -- hris send <source> <file|->`: plays the HRIS. Signs the file's bytes as
 * the vendor does (local/hris-sender.ts, written from the vendors' documented schemes), with the
 * signing key the installation keeps in Secrets Manager (`gatehouse/hris/<source>`), posts it,
 * prints the delivery id and follows the workflow it started to its end.
 */
export const HRIS_SEND_USAGE = `usage:
  gatehouse hris send <generic|bamboohr|hibob> <file|-> [--delivery-id <id>] [--no-follow] [--timeout <seconds>] [--local]
      Signs the file (or stdin with -) as that HRIS signs, POSTs it to <api>/hris/<source>, prints
      the delivery id, then follows the workflow it started until it ends (default 120 s).
      --local (or a sourced .gatehouse/endpoints.env): the running local cloud and its signing keys.
      Otherwise --api / $GATEHOUSE_API_URL and the key in Secrets Manager under your AWS credentials.
      --delivery-id: generic only (Standard Webhooks' webhook-id); the others derive it from the body.
      e.g. npm run gatehouse -- hris send generic events/hris/generic/employee-hired.json --local
exit codes: 0 accepted (and the workflow ended, if followed), 1 refused (4xx) or the workflow failed,
  2 usage, 3 unreachable or not found
`;

const SOURCES = ['generic', 'bamboohr', 'hibob'] as const;
type Source = (typeof SOURCES)[number];

export interface HrisSendDeps {
  env: Record<string, string | undefined>;
  cwd: string;
  fetch: typeof fetch;
  /** Reads stdin (tests pass their own). */
  stdin?: () => Promise<Buffer>;
  /** Time between status polls (tests compress it). */
  pollMs?: number;
}

async function readStdin(): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

async function sign(source: Source, body: Buffer, secret: string, deliveryId: string): Promise<Record<string, string>> {
  const sender = await import('../local/hris-sender.ts');
  const now = Math.floor(Date.now() / 1000);
  if (source === 'generic') return sender.signStandardWebhook(body, secret, deliveryId, now);
  if (source === 'bamboohr') return sender.signBambooHr(body, secret, now);
  return sender.signHiBob(body, secret);
}

async function signingSecret(source: Source, local: LocalEndpoints | undefined): Promise<string> {
  const client = new SecretsManagerClient(localClientConfig(local, 'AWS_ENDPOINT_URL_SECRETS_MANAGER'));
  try {
    const out = await client.send(new GetSecretValueCommand({ SecretId: `gatehouse/hris/${source}` }));
    if (!out.SecretString) throw new CliError(`the secret gatehouse/hris/${source} has no string value`);
    return out.SecretString;
  } finally {
    client.destroy();
  }
}

async function follow(name: string, io: CliIo, sfn: SFNClient, timeoutMs: number, pollMs: number): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  const machines = await gatehouseMachines(sfn);
  let said = '';
  while (Date.now() < deadline) {
    const execution = await findExecution(sfn, machines, name);
    if (execution?.status && execution.status !== 'RUNNING') {
      const outcome = await describeOutcome(sfn, execution);
      io.stdout(`${execution.machine} ${name}: ${outcome}\n`);
      return execution.status === 'SUCCEEDED' && !outcome.startsWith('failed') ? 0 : 1;
    }
    const step = execution?.executionArn ? await currentStep(sfn, execution.executionArn) : undefined;
    const now = execution ? `${execution.machine} running: ${step ?? 'starting'}` : 'waiting for the workflow to start';
    if (now !== said) io.stderr(`  ${now}\n`);
    said = now;
    await new Promise((resolve) => setTimeout(resolve, pollMs));
  }
  io.stdout(`still running after ${Math.round(timeoutMs / 1000)} s: ${said}; npm run gatehouse -- status <employeeId> shows it later\n`);
  return 0;
}

export async function runHrisSend(argv: string[], io: CliIo, deps: HrisSendDeps): Promise<number> {
  return runCommand('hris send', HRIS_SEND_USAGE, argv, io, async () => {
    const { values, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        'delivery-id': { type: 'string' },
        'no-follow': { type: 'boolean', default: false },
        timeout: { type: 'string', default: '120' },
        local: { type: 'boolean', default: false },
        api: { type: 'string' },
      },
    });
    const [verb, source, file, ...extra] = positionals;
    if (verb !== 'send') throw new UsageError(`hris send is the command here (got ${verb ?? 'nothing'}); npm run gatehouse -- hris --help lists the others`);
    if (!SOURCES.includes(source as Source)) throw new UsageError(`the source must be one of ${SOURCES.join(', ')} (got ${source ?? 'nothing'})`);
    if (!file || extra.length > 0) throw new UsageError('hris send takes one file (or - for stdin) after the source');
    const timeout = Number(values.timeout);
    if (!Number.isFinite(timeout) || timeout < 0) throw new UsageError(`--timeout ${values.timeout} is not a number of seconds`);
    if (values['delivery-id'] !== undefined && source !== 'generic') throw new UsageError('--delivery-id is for generic only; BambooHR and HiBob deliveries are identified by what they sign');

    const local = values.local || deps.env.GATEHOUSE_FRONT_DOOR ? localEndpoints(deps.env, deps.cwd) : undefined;
    const api = (values.api ?? local?.api ?? deps.env.GATEHOUSE_API_URL)?.replace(/\/+$/, '');
    if (!api) throw new UsageError('no API URL: use --local (the running local cloud), --api <url> or GATEHOUSE_API_URL');
    const body = file === '-' ? await (deps.stdin ?? readStdin)() : await readFile(file);
    try {
      JSON.parse(body.toString('utf8'));
    } catch {
      throw new UsageError(`${file === '-' ? 'stdin' : file} is not JSON: an HRIS webhook body is a JSON document`);
    }
    const deliveryId = values['delivery-id'] ?? `msg_${randomUUID().replaceAll('-', '')}`;
    const headers = await sign(source as Source, body, await signingSecret(source as Source, local), deliveryId);

    let res: Response;
    try {
      res = await deps.fetch(`${api}/hris/${source}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body, signal: AbortSignal.timeout(30_000) });
    } catch (error) {
      throw new CliError(`cannot reach ${api}/hris/${source}: ${(error as Error).message}`);
    }
    const text = await res.text();
    if (res.status !== 202) {
      io.stderr(`gatehouse hris send: ${res.status} refused: ${text.slice(0, 300)}\n`);
      return 1;
    }
    const answer = JSON.parse(text) as { deliveryId: string; events: number; warnings?: string[] };
    io.stdout(`accepted (202): delivery ${answer.deliveryId}, ${answer.events} event(s)\n`);
    for (const warning of answer.warnings ?? []) io.stderr(`warning: ${warning}\n`);
    if (values['no-follow'] || answer.events === 0) return 0;
    const sfn = new SFNClient(localClientConfig(local, 'AWS_ENDPOINT_URL_SFN'));
    try {
      return await follow(answer.deliveryId, io, sfn, timeout * 1000, deps.pollMs ?? 1000);
    } finally {
      sfn.destroy();
    }
  });
}
