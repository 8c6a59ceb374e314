import { userInfo } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { CliError, UsageError, explain, runCommand, type CliIo } from './cli/errors.ts';
import { localEndpoints } from './cli/local-env.ts';

/**
 * `npm run gatehouse -- reconcile ...`: runs the reconcile function once, in report mode or in
 * remove mode with the fingerprint of the reviewed plan (docs/reconciliation.md). On AWS it is a
 * Lambda Invoke with the operator's credentials; with --local the same handler runs in this
 * process against the running local cloud, as the local cloud runs every function.
 */
export const RECONCILE_USAGE = `usage:
  gatehouse reconcile [--remove --confirm <fingerprint>] [--run-date YYYY-MM-DD] [--as <operator id>]
                      [--function <name>] [--local] [--json]
      Report mode (default): finds drift, audits it, e-mails operators (once per run date), prints
      the removal plan and its fingerprint. Remove mode executes exactly that plan, or refuses when
      what exists changed since (run report mode again), or stops at the mass-deletion guard.
      --function defaults to $RECONCILE_FUNCTION_NAME, then gatehouse-reconcile (Lambda Invoke).
      --local: the running local cloud (.gatehouse/endpoints.env, or $GATEHOUSE_DATA_DIR).
      --as: who you are, recorded in the audit trail (default: your login name).
exit codes: 0 reported / removed, 1 removal refused or blocked, 2 usage, 3 the function failed
`;

export type ReconcileIo = CliIo;

/** Runs the function with a payload and returns its result; throws with the function's error. */
export type Invoker = (payload: Record<string, unknown>) => Promise<unknown>;

export interface ReconcileCliDeps {
  env: Record<string, string | undefined>;
  cwd: string;
  /** Overrides how the function is reached (tests). */
  invoker?: Invoker;
}

export function lambdaInvoker(functionName: string, client = new LambdaClient({})): Invoker {
  return async (payload) => {
    const out = await client.send(new InvokeCommand({ FunctionName: functionName, Payload: Buffer.from(JSON.stringify(payload)) }));
    const text = out.Payload ? Buffer.from(out.Payload).toString('utf8') : 'null';
    if (out.FunctionError) {
      const error = JSON.parse(text) as { errorType?: string; errorMessage?: string };
      throw new CliError(`${functionName} failed: ${error.errorType ?? out.FunctionError}: ${error.errorMessage ?? text}`, 3);
    }
    return JSON.parse(text) as unknown;
  };
}

/** The local cloud's environment (endpoints.env + the functions' env), then the handler in-process. */
export function localInvoker(deps: ReconcileCliDeps): Invoker {
  const { vars: endpoints, api } = localEndpoints(deps.env, deps.cwd);
  return async (payload) => {
    const { localFunctionEnv } = await import('../local/function-env.ts');
    const { LocalLambdaRuntime } = await import('../local/lambda-runtime.ts');
    Object.assign(process.env, endpoints, localFunctionEnv({ tablePrefix: 'gatehouse-', frontDoorUrl: api }));
    return new LocalLambdaRuntime(join(import.meta.dirname, '..', 'functions')).invoke('gatehouse-reconcile', payload);
  };
}

interface Plan {
  actions: { action: string }[];
  fingerprint: string;
  guard: { outcome: string; reason?: string; message?: string };
}
interface Report {
  mode: 'report';
  runDate: string;
  findings: { kind: string }[];
  plan: Plan;
  mail: string;
}
interface Remove {
  mode: 'remove';
  runDate: string;
  outcome: 'removed' | 'refused' | 'blocked';
  fingerprint: string;
  message?: string;
  removed: string[];
}

function printReport(result: Report, io: ReconcileIo): number {
  const counts = new Map<string, number>();
  for (const finding of result.findings) counts.set(finding.kind, (counts.get(finding.kind) ?? 0) + 1);
  io.stdout(`reconciliation ${result.runDate}: ${result.findings.length} finding(s)${[...counts].map(([kind, n]) => `, ${kind} ${n}`).join('')}\n`);
  io.stdout(`operator e-mail: ${result.mail}\n`);
  const { guard, fingerprint, actions } = result.plan;
  io.stdout(`removal plan ${fingerprint}: ${actions.length} action(s); guard ${guard.outcome}${guard.message ? ` (${guard.reason}: ${guard.message})` : ''}\n`);
  if (actions.length > 0 && guard.outcome === 'passed') io.stdout(`to execute exactly this plan: npm run gatehouse -- reconcile --remove --confirm ${fingerprint}\n`);
  return 0;
}

function printRemove(result: Remove, io: ReconcileIo): number {
  if (result.outcome === 'removed') {
    io.stdout(`removed (plan ${result.fingerprint}), ${result.removed.length} action(s):\n${result.removed.map((line) => `  ${line}\n`).join('')}`);
    return 0;
  }
  io.stderr(`${result.outcome}: ${result.message ?? ''}\n`);
  return 1;
}

/** The function's own rules (functions/reconcile/handler.ts), checked here so a typo is a usage error, not a failed run. */
const FINGERPRINT = /^[0-9a-f]{16}$/;
const isIsoDate = (text: string): boolean => /^\d{4}-\d{2}-\d{2}$/.test(text) && new Date(`${text}T00:00:00Z`).toISOString().startsWith(text);

export async function runReconcileCli(argv: string[], io: ReconcileIo, deps: ReconcileCliDeps): Promise<number> {
  return runCommand('reconcile', RECONCILE_USAGE, argv, io, async () => {
    const { values, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        remove: { type: 'boolean', default: false },
        confirm: { type: 'string' },
        'run-date': { type: 'string' },
        as: { type: 'string' },
        function: { type: 'string' },
        local: { type: 'boolean', default: false },
        json: { type: 'boolean', default: false },
      },
    });
    if (positionals.length > 0) throw new UsageError(`reconcile takes no arguments, only options (got ${positionals.join(' ')})`);
    if (values.remove && !values.confirm) throw new UsageError('--remove needs --confirm <fingerprint>: the one report mode printed');
    if (!values.remove && values.confirm) throw new UsageError('--confirm goes with --remove');
    if (values.confirm && !FINGERPRINT.test(values.confirm)) throw new UsageError(`--confirm ${values.confirm} is not a plan fingerprint (16 hex characters, as report mode prints it)`);
    const date = values['run-date'];
    if (date !== undefined && !isIsoDate(date)) throw new UsageError(`--run-date ${date} is not a date: use YYYY-MM-DD (UTC), e.g. ${new Date().toISOString().slice(0, 10)}`);
    const invoke = deps.invoker ?? (values.local ? localInvoker(deps) : lambdaInvoker(values.function ?? deps.env.RECONCILE_FUNCTION_NAME ?? 'gatehouse-reconcile'));
    const runDate = date ? { runDate: date } : {};
    const payload = values.remove ? { mode: 'remove', ...runDate, confirm: values.confirm, requestedBy: values.as ?? userInfo().username } : { mode: 'report', ...runDate };
    let result: unknown;
    try {
      result = await invoke(payload);
    } catch (error) {
      if (explain(error)) throw error;
      throw new CliError(`the function failed: ${(error as Error).message}`, 3, { cause: error });
    }
    if (values.json) io.stdout(`${JSON.stringify(result, null, 2)}\n`);
    return values.remove ? printRemove(result as Remove, values.json ? { ...io, stdout: () => undefined } : io) : values.json ? 0 : printReport(result as Report, io);
  });
}
