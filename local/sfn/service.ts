import type { Emulator, EmulatorContext } from '../core/emulator.ts';
import { awsJsonService } from '../core/protocols.ts';
import { CallbackRegistry } from './callbacks.ts';
import type { ChildExecutions } from './children.ts';
import { crashHook } from './crash.ts';
import { prepareErrors, STATES_TIMEOUT, HEARTBEAT_TIMEOUT } from './errors.ts';
import { ExecutionStore, type StoredExecution } from './executions.ts';
import type { AttemptEntry } from './journal.ts';
import { MachineCatalog } from './machines.ts';
import { operations } from './operations.ts';
import { ExecutionRunner } from './runner.ts';
import type { StepEnvironment } from './scope.ts';
import { SdkIntegrations } from './sdk-integrations.ts';
import { childExecutions, type Parts } from './starts.ts';
import { trackToken } from './task-attempt.ts';
import type { SfnOptions } from './types.ts';

export type { SfnOptions } from './types.ts';

/** One sleep at most of a long-running step: below setTimeout's ceiling (~24.8 days). */
const DEFAULT_WAIT_CHUNK_MS = 20 * 24 * 60 * 60 * 1000;

const isAttempt = (value: unknown): value is AttemptEntry => typeof value === 'object' && value !== null && 'startedAt' in value;

/** Re-tracks the tokens a stopped emulator left waiting, so SendTaskSuccess works before the run gets back to them. */
function retrackTokens(callbacks: CallbackRegistry, stored: StoredExecution): void {
  for (const [key, value] of stored.journalEntries()) {
    if (!isAttempt(value) || !value.token) continue;
    if (!value.outcome) trackToken(callbacks, stored, key, value);
    else if (!value.outcome.ok && (value.outcome.error === STATES_TIMEOUT || value.outcome.error === HEARTBEAT_TIMEOUT)) callbacks.rememberTimedOut(value.token);
  }
}

/**
 * The local Step Functions service (`sfn`): the real SFN wire protocol over
 * aws-local-stepfunctions. Executions persist under `ctx.stateDir` as logs with a journal
 * (executions.ts, journal.ts); those still RUNNING when the emulator stopped — or was killed —
 * resume where they were on creation, as Step Functions does: no state runs twice except the
 * one that was running (at least once), no callback is asked again, Waits and timeouts keep
 * their absolute deadlines. The design and why: local/sfn/README.md.
 */
export function createSfnEmulator(ctx: EmulatorContext, options: SfnOptions): Emulator & { ready(): Promise<void> } {
  const catalog = new MachineCatalog(options.machines);
  const store = new ExecutionStore(ctx);
  const callbacks = new CallbackRegistry();
  // The runner needs the child-execution port, which needs the runner: the getter reads it once both exist.
  const env: StepEnvironment = {
    invokeFunction: (functionArn, payload) => options.invokeFunction(functionArn, payload),
    sdk: new SdkIntegrations(),
    callbacks,
    get children(): ChildExecutions {
      return children;
    },
    waitChunkMs: options.waitChunkMs ?? DEFAULT_WAIT_CHUNK_MS,
    retryDelayScale: options.retryDelayScale ?? 1,
  };
  const runner = new ExecutionRunner(catalog, store, env, crashHook(options.crashAt));
  const parts: Parts = { catalog, store, runner, callbacks };
  const children = childExecutions(parts);
  const handler = awsJsonService({ service: 'sfn', targetPrefix: 'AWSStepFunctions', jsonVersion: '1.0', faults: ctx.faults, operations: operations(parts) });

  const resumed = (async () => {
    await prepareErrors();
    const running = store.all().filter((s) => s.record.status === 'RUNNING');
    for (const stored of running) retrackTokens(callbacks, stored);
    for (const stored of running) runner.start(stored);
  })();

  return {
    service: 'sfn',
    handler,
    ready: () => resumed,
    stop: async () => {
      await resumed.catch(() => undefined);
      await runner.haltAll();
      callbacks.clear();
    },
  };
}
