import { setImmediate as nextMacrotask, setTimeout as sleep } from 'node:timers/promises';
import { ExecutionAbortedError, ExecutionError, type StateMachine } from 'aws-local-stepfunctions';
import { DATA_LIMIT_EXCEEDED, RunAbortedError, TaskError } from './errors.ts';
import { dataDetails } from './history.ts';
import { STEP_CONTINUES, type PreparedMachine, type StepKind } from './prepare.ts';
import type { RunScope } from './scope.ts';
import type { JsonValue } from './types.ts';
import { MAX_PAYLOAD_BYTES } from './wire.ts';

type LibraryEvent = ReturnType<StateMachine['run']>['eventLogs'] extends AsyncGenerator<infer E> ? E : never;

/** How long the end of a frame waits for the interpreter's last events to drain. */
const DRAIN_MS = 2_000;
const DISPLAY: Record<StepKind, string | undefined> = { task: undefined, wait: 'Wait', map: 'Map', parallel: 'Parallel' };

async function within(promise: Promise<unknown>, ms: number): Promise<void> {
  const timer = new AbortController();
  await Promise.race([promise.catch(() => undefined), sleep(ms, undefined, { signal: timer.signal }).catch(() => undefined)]);
  timer.abort();
}

/**
 * One (sub-)machine run through aws-local-stepfunctions: the execution itself (path ``), a
 * Map iteration (`<map attempt>[i]`) or a Parallel branch (`<parallel attempt>{b}`). A frame
 * runs one state at a time, so "the k-th entry of state S in frame P" names an occurrence
 * the same way on every run: `P/S#k`. Steps journal under that key, history events carry it,
 * and a resumed run replays the frame from its start with every finished step answered from
 * the journal and every event already recorded skipped.
 */
export class Frame {
  private readonly entered = new Map<string, number>();
  private readonly occurrences = new Map<string, number>();
  private readonly jobs = new Map<string, Promise<JsonValue>>();
  private readonly aborter = new AbortController();
  readonly signal: AbortSignal;

  constructor(
    readonly scope: RunScope,
    readonly path: string,
    private readonly machine: PreparedMachine,
    parent: AbortSignal = scope.signal,
  ) {
    this.signal = AbortSignal.any([parent, this.aborter.signal]);
  }

  /** Stops this frame (a sibling iteration or branch failed): its steps end without journaling. */
  abort(): void {
    this.aborter.abort();
  }

  async run(input: JsonValue): Promise<JsonValue> {
    if (this.signal.aborted) throw new RunAbortedError();
    const names = [...this.machine.steps.keys()];
    const execution = this.machine.compiled.run(input, {
      overrides: {
        taskResourceLocalHandlers: Object.fromEntries(names.map((name) => [name, (given: JsonValue) => this.handle(name, given)])),
        retryIntervalOverrides: Object.fromEntries(names.map((name) => [name, 0])),
      },
      context: this.scope.context,
    });
    const onAbort = () => execution.abort();
    this.signal.addEventListener('abort', onAbort, { once: true });
    const drained = (async () => {
      for await (const event of execution.eventLogs) this.onEvent(event);
    })();
    try {
      const output = await execution.result;
      await within(drained, DRAIN_MS);
      return output;
    } catch (error) {
      await within(drained, DRAIN_MS);
      if (error instanceof ExecutionAbortedError || this.signal.aborted) throw new RunAbortedError();
      throw error instanceof ExecutionError && error.cause !== undefined ? error.cause : error;
    } finally {
      this.signal.removeEventListener('abort', onAbort);
    }
  }

  /** The local handler of every step: one job per entry, awaited in chunks (see STEP_CONTINUES). */
  private async handle(name: string, given: JsonValue): Promise<JsonValue> {
    let job = this.jobs.get(name);
    if (!job) {
      // Let the interpreter's queued events (this state's entry) reach the history first.
      await nextMacrotask();
      if (this.signal.aborted) throw new RunAbortedError();
      const k = (this.occurrences.get(name) ?? 0) + 1;
      this.occurrences.set(name, k);
      job = this.scope.runStep(this, this.machine.steps.get(name)!, `${this.path}/${name}#${k}`, given);
      job.catch(() => undefined);
      this.jobs.set(name, job);
    }
    const chunk = new AbortController();
    const done = await Promise.race([
      job.then(
        () => true,
        () => true,
      ),
      sleep(this.scope.env.waitChunkMs, false, { signal: chunk.signal }).catch(() => false),
    ]);
    chunk.abort();
    if (!done) throw new TaskError(STEP_CONTINUES, `state "${name}" continues`);
    this.jobs.delete(name);
    return job;
  }

  private onEvent(event: LibraryEvent): void {
    if (event.type !== 'StateEntered' && event.type !== 'StateExited') return;
    const { name } = event.state;
    const kind = this.machine.steps.get(name)?.kind;
    const type = `${(kind && DISPLAY[kind]) ?? event.state.type}State${event.type === 'StateEntered' ? 'Entered' : 'Exited'}`;
    if (event.type === 'StateEntered') {
      const k = (this.entered.get(name) ?? 0) + 1;
      this.entered.set(name, k);
      const details = { name, ...dataDetails('input', event.state.input) };
      if (this.scope.record({ type, detailsKey: 'stateEnteredEventDetails', details, timestamp: event.timestamp }, `${this.path}/${name}#${k}>in`)) {
        this.scope.entered(name);
      }
      return;
    }
    const output = JSON.stringify(event.state.output ?? null);
    if (Buffer.byteLength(output, 'utf8') > MAX_PAYLOAD_BYTES) {
      // https://docs.aws.amazon.com/step-functions/latest/dg/concepts-error-handling.html: "The state's output is larger than the payload size quota."
      this.scope.failExecution(DATA_LIMIT_EXCEEDED, `The state/task '${name}' returned a result with a size exceeding the maximum number of bytes service limit.`);
      return;
    }
    const details = { name, output, outputDetails: { truncated: false } };
    this.scope.record({ type, detailsKey: 'stateExitedEventDetails', details, timestamp: event.timestamp }, `${this.path}/${name}#${this.entered.get(name) ?? 0}>out`);
  }
}
