import { randomUUID } from 'node:crypto';
import { ExecutionAbortedError, ExecutionError, ExecutionTimeoutError } from 'aws-local-stepfunctions';
import { buildContext } from './context.ts';
import type { ExecutionRecord, ExecutionStore } from './executions.ts';
import { executionEndEvent, fromLibraryEvent, type NewEvent } from './history.ts';
import type { MachineCatalog } from './machines.ts';
import { taskHandlers, type TaskEnvironment, type TaskRun } from './task-resources.ts';
import type { JsonValue } from './types.ts';
import { waitHandlers, waitRetryOverrides } from './waits.ts';

interface ActiveRun {
  runId: string;
  /** Stops the interpreter and detaches the run from its record: nothing more is written. */
  halt(): void;
  done: Promise<void>;
}

type Outcome = { ok: true; output: JsonValue } | { ok: false; error: unknown };

/** How long the end of a run waits for the interpreter's last events to drain. */
const DRAIN_MS = 2_000;

/** Waits for `promise`, but no longer than `ms`, leaving no timer behind. */
async function within(promise: Promise<unknown>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const expiry = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, ms);
  });
  try {
    await Promise.race([promise.then(() => undefined), expiry]);
  } finally {
    clearTimeout(timer);
  }
}

/** Drives executions through aws-local-stepfunctions and writes what happens to their records. */
export class ExecutionRunner {
  private readonly active = new Map<string, ActiveRun>();

  constructor(
    private readonly catalog: MachineCatalog,
    private readonly store: ExecutionStore,
    private readonly env: TaskEnvironment,
  ) {}

  /** Runs a RUNNING execution from its first state (a fresh start or a re-drive after a restart). */
  start(record: ExecutionRecord): void {
    const machine = this.catalog.get(record.stateMachineArn);
    let compiled;
    try {
      if (!machine) throw new Error(`state machine ${record.stateMachineArn} is no longer defined`);
      compiled = this.catalog.compile(machine);
    } catch (error) {
      this.finish(record, { ok: false, error });
      return;
    }
    const runId = randomUUID();
    let detached = false;
    const aborter = new AbortController();
    const failedMaps = new Set<string>();
    const run: TaskRun = {
      runId,
      stopped: () => detached,
      signal: aborter.signal,
      failedMaps,
      record: (event: NewEvent) => {
        if (!detached) this.store.append(record, event);
      },
    };
    const execution = compiled.run(JSON.parse(record.input) as JsonValue, {
      overrides: {
        taskResourceLocalHandlers: { ...taskHandlers(this.env, machine.tasks, run), ...waitHandlers(machine.waits, run, this.env.waitChunkMs) },
        retryIntervalOverrides: waitRetryOverrides(machine.waits),
      },
      context: buildContext({
        executionArn: record.executionArn,
        executionName: record.name,
        stateMachineArn: machine.arn,
        stateMachineName: machine.name,
        roleArn: machine.roleArn,
        redriveCount: record.redriveCount,
      }),
    });
    const drained = (async () => {
      for await (const event of execution.eventLogs) {
        if (event.type === 'StateFailed' && event.Error === 'States.Timeout') this.env.callbacks.expireState(runId, event.state.name);
        if (event.type === 'MapIterationFailed') failedMaps.add(event.parentState.name);
        if (event.type === 'StateEntered' && event.state.type === 'Map') failedMaps.delete(event.state.name);
        const mapped = fromLibraryEvent(event, machine.tasks, machine.waits);
        if (mapped) run.record(mapped);
      }
    })();
    const done = (async () => {
      const outcome: Outcome = await execution.result.then(
        (output) => ({ ok: true as const, output }),
        (error: unknown) => ({ ok: false as const, error }),
      );
      await within(drained, DRAIN_MS);
      aborter.abort();
      this.env.callbacks.cancelRun(runId);
      if (detached) return;
      detached = true;
      this.active.delete(record.executionArn);
      this.finish(record, outcome);
    })();
    this.active.set(record.executionArn, {
      runId,
      halt: () => {
        detached = true;
        aborter.abort();
        execution.abort();
        this.env.callbacks.cancelRun(runId);
      },
      done,
    });
  }

  private finish(record: ExecutionRecord, outcome: Outcome): void {
    if (record.status !== 'RUNNING') return;
    record.stopDate = Date.now();
    if (outcome.ok) {
      record.status = 'SUCCEEDED';
      record.output = JSON.stringify(outcome.output);
      this.store.append(record, executionEndEvent('ExecutionSucceeded', { output: record.output, outputDetails: { truncated: false } }));
      return;
    }
    const { error } = outcome;
    if (error instanceof ExecutionAbortedError) return; // only a halted run is aborted, and it writes nothing
    if (error instanceof ExecutionTimeoutError) {
      record.status = 'TIMED_OUT';
      record.error = 'States.Timeout';
      record.cause = 'The execution timed out';
      this.store.append(record, executionEndEvent('ExecutionTimedOut', { error: record.error, cause: record.cause }));
      return;
    }
    const failure = error instanceof ExecutionError && error.cause instanceof Error ? error.cause : error;
    record.status = 'FAILED';
    record.error = failure instanceof Error ? failure.name : 'States.Runtime';
    record.cause = failure instanceof Error ? failure.message : String(failure);
    this.store.append(record, executionEndEvent('ExecutionFailed', { error: record.error, cause: record.cause }));
  }

  isRunning(executionArn: string): boolean {
    return this.active.has(executionArn);
  }

  /** Halts one run (StopExecution has already written the ABORTED end). */
  halt(executionArn: string): void {
    const run = this.active.get(executionArn);
    if (!run) return;
    this.active.delete(executionArn);
    run.halt();
  }

  /** Halts every run without touching its record, so a restart re-drives it. */
  async haltAll(): Promise<void> {
    const runs = [...this.active.values()];
    this.active.clear();
    for (const run of runs) run.halt();
    await Promise.all(runs.map((run) => within(run.done, DRAIN_MS)));
  }
}
