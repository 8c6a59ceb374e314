import { buildContext } from './context.ts';
import type { CrashHook } from './crash.ts';
import { DATA_LIMIT_EXCEEDED, RunAbortedError, STATES_RUNTIME, STATES_TIMEOUT, describeError, prepareErrors } from './errors.ts';
import type { ExecutionRecord, ExecutionStore, StoredExecution } from './executions.ts';
import { Frame } from './frame.ts';
import { executionEndEvent, type NewEvent } from './history.ts';
import { failure, type Outcome } from './journal.ts';
import type { MachineCatalog, MachineInfo } from './machines.ts';
import type { RunScope, StepEnvironment } from './scope.ts';
import { runStep } from './steps.ts';
import type { JsonValue } from './types.ts';
import { sleepUntil } from './wait-step.ts';
import { MAX_HISTORY_EVENTS, MAX_PAYLOAD_BYTES } from './wire.ts';

interface ActiveRun {
  /** Stops the interpreter and detaches the run from its record: nothing more is written. */
  halt(): void;
  done: Promise<void>;
}

type End = Outcome | { timedOut: true };

/**
 * Drives executions: a run replays the execution's root frame from its first state, with the
 * journal answering every step that already ended (see frame.ts, steps.ts), so a run started
 * after a restart continues where the last one was. The same code starts and resumes.
 * Enforced here: the machine's TimeoutSeconds from the execution's start date, the history
 * quota (25,000 events) and the execution output quota (256 KiB)
 * (https://docs.aws.amazon.com/step-functions/latest/dg/service-quotas.html).
 */
export class ExecutionRunner {
  private readonly active = new Map<string, ActiveRun>();
  private readonly waiters = new Map<string, ((record: ExecutionRecord) => void)[]>();

  constructor(
    private readonly catalog: MachineCatalog,
    private readonly store: ExecutionStore,
    private readonly env: StepEnvironment,
    private readonly crash?: CrashHook,
  ) {}

  /** Runs (or resumes) a RUNNING execution. */
  start(stored: StoredExecution): void {
    const { record } = stored;
    const machine = this.catalog.get(record.stateMachineArn);
    let prepared;
    try {
      if (!machine) throw new Error(`state machine ${record.stateMachineArn} is no longer defined`);
      prepared = this.catalog.compile(machine);
    } catch (error) {
      const { cause } = describeError(error);
      this.finish(stored, failure(STATES_RUNTIME, cause));
      return;
    }
    const aborter = new AbortController();
    let detached = false;
    let forced: End | undefined;
    const force = (end: End) => {
      forced ??= end;
      aborter.abort();
    };
    const scope = this.scope(stored, machine, aborter.signal, () => detached, (error, cause) => force(failure(error, cause)));
    const frame = new Frame(scope, '', prepared);
    if (prepared.timeoutSeconds !== undefined) {
      sleepUntil(record.startDate + prepared.timeoutSeconds * 1000, aborter.signal).then(
        () => force({ timedOut: true }),
        () => undefined,
      );
    }
    const done = (async () => {
      await prepareErrors();
      let end: End;
      try {
        end = { ok: true, output: await frame.run(JSON.parse(record.input) as JsonValue) };
      } catch (error) {
        end = error instanceof RunAbortedError ? failure(STATES_RUNTIME, 'The run was aborted') : failure(describeError(error).error, describeError(error).cause);
      }
      aborter.abort();
      if (detached) return;
      detached = true;
      this.active.delete(record.executionArn);
      this.finish(stored, forced ?? end);
    })();
    this.active.set(record.executionArn, {
      halt: () => {
        detached = true;
        aborter.abort();
      },
      done,
    });
  }

  private scope(stored: StoredExecution, machine: MachineInfo, signal: AbortSignal, detached: () => boolean, fail: (error: string, cause: string) => void): RunScope {
    const { record } = stored;
    return {
      execution: stored,
      machine,
      env: this.env,
      signal,
      context: buildContext({
        executionArn: record.executionArn,
        executionName: record.name,
        executionInput: JSON.parse(record.input) as JsonValue,
        startDate: record.startDate,
        stateMachineArn: machine.arn,
        stateMachineName: machine.name,
        roleArn: machine.roleArn,
      }),
      record: (event: NewEvent, key: string) => {
        if (detached() || stored.hasEvent(key)) return false;
        // One event is kept for ExecutionFailed: "If the execution history reaches this quota, the execution will fail."
        if (record.events.length >= MAX_HISTORY_EVENTS - 1) {
          fail(STATES_RUNTIME, `The execution reached the maximum execution history size of ${MAX_HISTORY_EVENTS} events`);
          return false;
        }
        return stored.appendEvent(event, key);
      },
      entered: (stateName) => this.crash?.(machine.key, stateName, record.name),
      failExecution: fail,
      runStep,
    };
  }

  private finish(stored: StoredExecution, end: End): void {
    const { record } = stored;
    if (record.status !== 'RUNNING') return;
    const stopDate = Date.now();
    if ('timedOut' in end) {
      stored.update({ status: 'TIMED_OUT', stopDate, error: STATES_TIMEOUT, cause: 'The execution timed out' });
      stored.appendEvent(executionEndEvent('ExecutionTimedOut', { error: STATES_TIMEOUT, cause: 'The execution timed out' }));
    } else if (end.ok && Buffer.byteLength(JSON.stringify(end.output), 'utf8') <= MAX_PAYLOAD_BYTES) {
      const output = JSON.stringify(end.output);
      stored.update({ status: 'SUCCEEDED', stopDate, output });
      stored.appendEvent(executionEndEvent('ExecutionSucceeded', { output, outputDetails: { truncated: false } }));
    } else {
      const failed = end.ok ? { error: DATA_LIMIT_EXCEEDED, cause: 'The execution output exceeds the maximum number of bytes service limit.' } : end;
      stored.update({ status: 'FAILED', stopDate, error: failed.error, cause: failed.cause });
      stored.appendEvent(executionEndEvent('ExecutionFailed', { error: failed.error, cause: failed.cause }));
    }
    this.ended(stored);
  }

  /** An execution reached its end (here or through StopExecution): its tokens go, its waiters hear. */
  ended(stored: StoredExecution): void {
    this.env.callbacks.discardExecution(stored.record.executionArn);
    const waiting = this.waiters.get(stored.record.executionArn) ?? [];
    this.waiters.delete(stored.record.executionArn);
    for (const resolve of waiting) resolve(stored.record);
  }

  whenDone(executionArn: string, signal: AbortSignal): Promise<ExecutionRecord> {
    const stored = this.store.get(executionArn);
    if (!stored) return Promise.reject(new Error(`execution ${executionArn} is unknown`));
    if (stored.record.status !== 'RUNNING') return Promise.resolve(stored.record);
    return new Promise((resolve, reject) => {
      const onAbort = () => reject(new RunAbortedError());
      if (signal.aborted) return onAbort();
      signal.addEventListener('abort', onAbort, { once: true });
      const list = this.waiters.get(executionArn) ?? [];
      list.push((record) => {
        signal.removeEventListener('abort', onAbort);
        resolve(record);
      });
      this.waiters.set(executionArn, list);
    });
  }

  /** Halts one run (StopExecution has already written the ABORTED end). */
  halt(executionArn: string): void {
    const run = this.active.get(executionArn);
    if (!run) return;
    this.active.delete(executionArn);
    run.halt();
  }

  /** Halts every run without touching its record, so the next start resumes it. */
  async haltAll(): Promise<void> {
    const runs = [...this.active.values()];
    this.active.clear();
    for (const run of runs) run.halt();
    await Promise.all(runs.map((run) => run.done.catch(() => undefined)));
  }
}
