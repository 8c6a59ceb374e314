import { readFileSync } from 'node:fs';
import { userInfo } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';

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

export interface ReconcileIo {
  stdout(text: string): void;
  stderr(text: string): void;
}

/** Runs the function with a payload and returns its result; throws with the function's error. */
export type Invoker = (payload: Record<string, unknown>) => Promise<unknown>;

export interface ReconcileCliDeps {
  env: Record<string, string | undefined>;
  cwd: string;
  /** Overrides how the function is reached (tests). */
  invoker?: Invoker;
}

class UsageError extends Error {}

export function lambdaInvoker(functionName: string, client = new LambdaClient({})): Invoker {
  return async (payload) => {
    const out = await client.send(new InvokeCommand({ FunctionName: functionName, Payload: Buffer.from(JSON.stringify(payload)) }));
    const text = out.Payload ? Buffer.from(out.Payload).toString('utf8') : 'null';
    if (out.FunctionError) {
      const error = JSON.parse(text) as { errorType?: string; errorMessage?: string };
      throw new Error(`${functionName} failed: ${error.errorType ?? out.FunctionError}: ${error.errorMessage ?? text}`);
    }
    return JSON.parse(text) as unknown;
  };
}

/** The local cloud's environment (endpoints.env + the functions' env), then the handler in-process. */
export function localInvoker(deps: ReconcileCliDeps): Invoker {
  const file = join(resolve(deps.cwd, deps.env.GATEHOUSE_DATA_DIR ?? '.gatehouse'), 'endpoints.env');
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    throw new UsageError(`cannot read ${file}: is the local cloud running (npm start)?`);
  }
  const endpoints = Object.fromEntries([...text.matchAll(/^export ([A-Z0-9_]+)=(.*)$/gm)].map((m) => [m[1] ?? '', m[2] ?? '']));
  return async (payload) => {
    const { localFunctionEnv } = await import('../local/function-env.ts');
    const { LocalLambdaRuntime } = await import('../local/lambda-runtime.ts');
    Object.assign(process.env, endpoints, localFunctionEnv({ tablePrefix: 'gatehouse-', frontDoorUrl: endpoints.GATEHOUSE_FRONT_DOOR ?? '' }));
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

export async function runReconcileCli(argv: string[], io: ReconcileIo, deps: ReconcileCliDeps): Promise<number> {
  try {
    const { values } = parseArgs({
      args: argv,
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
    if (values.remove && !values.confirm) throw new UsageError('--remove needs --confirm <fingerprint>: the one report mode printed');
    if (!values.remove && values.confirm) throw new UsageError('--confirm goes with --remove');
    const invoke = deps.invoker ?? (values.local ? localInvoker(deps) : lambdaInvoker(values.function ?? deps.env.RECONCILE_FUNCTION_NAME ?? 'gatehouse-reconcile'));
    const runDate = values['run-date'] ? { runDate: values['run-date'] } : {};
    const payload = values.remove ? { mode: 'remove', ...runDate, confirm: values.confirm, requestedBy: values.as ?? userInfo().username } : { mode: 'report', ...runDate };
    let result: unknown;
    try {
      result = await invoke(payload);
    } catch (error) {
      io.stderr(`error: ${(error as Error).message}\n`);
      return 3;
    }
    if (values.json) io.stdout(`${JSON.stringify(result, null, 2)}\n`);
    return values.remove ? printRemove(result as Remove, values.json ? { ...io, stdout: () => undefined } : io) : values.json ? 0 : printReport(result as Report, io);
  } catch (error) {
    if (error instanceof UsageError || (error instanceof TypeError && 'code' in error && String(error.code).startsWith('ERR_PARSE_ARGS'))) {
      io.stderr(`${error.message}\n${RECONCILE_USAGE}`);
      return 2;
    }
    throw error;
  }
}
