import { ExecutionError, StateMachine, type StateMachineDefinition } from 'aws-local-stepfunctions';
import { RunAbortedError, STATES_RUNTIME, describeError } from './errors.ts';
import { Frame } from './frame.ts';
import { event } from './history.ts';
import { failure, settleOutcome, type Outcome } from './journal.ts';
import type { MapSpec, StepSpec } from './prepare.ts';
import { isJsonObject, type JsonObject, type JsonValue } from './types.ts';

/**
 * Inline Map and Parallel states, run by us so that each iteration (branch) is a frame with a
 * path of its own (`<attempt>[i]`, `<attempt>{b}`) whose outcome is journaled when it ends:
 * after a restart, finished iterations are not run again, the running ones resume inside.
 * As on AWS, the first iteration (branch) to fail stops the others and fails the state with
 * its error; MaxConcurrency 0 (or none) runs up to 40 iterations at once, as the library does.
 */
const DEFAULT_CONCURRENCY = 40;
const selectors = new WeakMap<MapSpec, StateMachine>();

/** The iteration input: the item, or the ItemSelector evaluated with `$$.Map.Item`. */
export async function selectItem(context: Record<string, unknown>, map: MapSpec, input: JsonValue, item: JsonValue, index: number): Promise<JsonValue> {
  if (map.itemSelector === undefined) return item;
  let selector = selectors.get(map);
  if (!selector) {
    const definition = { StartAt: 'Select', States: { Select: { Type: 'Pass', Parameters: map.itemSelector, End: true } } };
    selector = new StateMachine(definition as unknown as StateMachineDefinition, { validationOptions: { noValidate: true } });
    selectors.set(map, selector);
  }
  try {
    return await selector.run(input, { context: { ...context, Map: { Item: { Index: index, Value: item } } } }).result;
  } catch (error) {
    throw error instanceof ExecutionError && error.cause instanceof Error ? error.cause : error;
  }
}

export const paramsOf = (given: JsonValue): JsonObject => (isJsonObject(given) ? given : {});
export const metaOf = (params: JsonObject): JsonObject => (isJsonObject(params.meta) ? params.meta : {});

/**
 * Runs `count` frames at most `concurrency` at a time; the first failure aborts the rest.
 * Each frame's outcome is journaled under `<akey><open>i<close>`.
 */
async function runGroup(parent: Frame, akey: string, brackets: string, count: number, concurrency: number, body: (index: number, signal: AbortSignal) => Promise<JsonValue>, events: { started(i: number): void; ended(i: number, ok: boolean): void }): Promise<JsonValue[]> {
  const { execution } = parent.scope;
  const group = new AbortController();
  const signal = AbortSignal.any([parent.signal, group.signal]);
  const outputs: JsonValue[] = new Array<JsonValue>(count).fill(null);
  let next = 0;
  let failed: Outcome | undefined;
  const worker = async () => {
    while (next < count && !failed && !signal.aborted) {
      const index = next++;
      const key = `${akey}${brackets[0]}${index}${brackets[1]}`;
      let outcome = execution.journalEntry<Outcome>(key);
      if (!outcome) {
        events.started(index);
        try {
          outcome = { ok: true, output: await body(index, signal) };
        } catch (error) {
          if (error instanceof RunAbortedError) {
            if (failed || group.signal.aborted) return;
            throw error;
          }
          outcome = failure(describeError(error).error, describeError(error).cause);
        }
        execution.setJournal(key, outcome);
      }
      events.ended(index, outcome.ok);
      if (outcome.ok) outputs[index] = outcome.output;
      else {
        failed ??= outcome;
        group.abort();
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(Math.max(concurrency, 1), Math.max(count, 1)) }, worker));
  if (failed) settleOutcome(failed);
  if (parent.signal.aborted) throw new RunAbortedError();
  return outputs;
}

export async function runInlineMap(frame: Frame, spec: StepSpec, akey: string, given: JsonValue): Promise<Outcome> {
  const map = spec.map!;
  const params = paramsOf(given);
  const items = params.items;
  const record = (type: string, suffix: string, details?: Record<string, unknown>) => frame.scope.record(event(type, details), `${akey}>${suffix}`);
  if (!Array.isArray(items)) return failure(STATES_RUNTIME, `Map "${spec.name}": the ItemsPath did not resolve to an array`);
  const limit = metaOf(params).maxConcurrency ?? map.maxConcurrency;
  const concurrency = typeof limit === 'number' && limit > 0 ? limit : DEFAULT_CONCURRENCY;
  record('MapStateStarted', 'started', { length: items.length });
  try {
    const outputs = await runGroup(
      frame,
      akey,
      '[]',
      items.length,
      concurrency,
      async (index, signal) => {
        const input = await selectItem(frame.scope.context, map, params.input ?? null, items[index] ?? null, index);
        return new Frame(frame.scope, `${akey}[${index}]`, map.processor, signal).run(input);
      },
      {
        started: (index) => record('MapIterationStarted', `[${index}]>start`, { name: spec.name, index }),
        ended: (index, ok) => record(ok ? 'MapIterationSucceeded' : 'MapIterationFailed', `[${index}]>end`, { name: spec.name, index }),
      },
    );
    record('MapStateSucceeded', 'end');
    return { ok: true, output: outputs };
  } catch (error) {
    if (error instanceof RunAbortedError) throw error;
    record('MapStateFailed', 'end');
    return failure(describeError(error).error, describeError(error).cause);
  }
}

export async function runParallel(frame: Frame, spec: StepSpec, akey: string, given: JsonValue): Promise<Outcome> {
  const branches = spec.branches ?? [];
  const input = paramsOf(given).input ?? null;
  const record = (type: string, suffix: string) => frame.scope.record(event(type), `${akey}>${suffix}`);
  record('ParallelStateStarted', 'started');
  try {
    const outputs = await runGroup(
      frame,
      akey,
      '{}',
      branches.length,
      branches.length,
      (index, signal) => new Frame(frame.scope, `${akey}{${index}}`, branches[index]!, signal).run(input),
      { started: () => undefined, ended: () => undefined },
    );
    record('ParallelStateSucceeded', 'end');
    return { ok: true, output: outputs };
  } catch (error) {
    if (error instanceof RunAbortedError) throw error;
    record('ParallelStateFailed', 'end');
    return failure(describeError(error).error, describeError(error).cause);
  }
}

