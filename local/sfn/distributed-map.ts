import { setMaxListeners } from 'node:events';
import { RunAbortedError, STATES_RUNTIME, describeError } from './errors.ts';
import { derivedName } from './children.ts';
import type { Frame } from './frame.ts';
import { event } from './history.ts';
import { failure, type Outcome } from './journal.ts';
import { childArnOf, mapRunArnOf, type MapRunRecord } from './map-runs.ts';
import { metaOf, paramsOf, selectItem } from './map-step.ts';
import type { MapSpec, StepSpec } from './prepare.ts';
import type { JsonValue } from './types.ts';
import { MAX_PAYLOAD_BYTES } from './wire.ts';

/**
 * A Map state in DISTRIBUTED mode (https://docs.aws.amazon.com/step-functions/latest/dg/state-map-distributed.html):
 * each item (or batch, with ItemBatcher) runs as a child execution of its own STANDARD
 * workflow, with its own history, listed by ListExecutions with the Map Run's ARN.
 * - Items come from the input (ItemsPath); ItemReader and ResultWriter are not supported locally.
 * - ItemBatcher: `{ "Items": [...], "BatchInput": ... }` per child, at most MaxItemsPerBatch
 *   items and MaxInputBytesPerBatch bytes (default 256 KiB).
 * - MaxConcurrency 0 (or none) runs up to 10,000 children at once, as AWS does.
 * - The Map Run fails with States.ExceedToleratedFailureThreshold once more children failed
 *   (FAILED, TIMED_OUT, ABORTED) than ToleratedFailureCount allows or a greater share than
 *   ToleratedFailurePercentage (with neither set, at the first failure): the children still
 *   running are aborted.
 * - Output: the children's outputs in item order; a tolerated failure's place holds
 *   `{ Error, Cause }` (a local choice: AWS writes failures only through ResultWriter).
 * Resume: children are named after the parent's attempt and their index, so a resumed parent
 * finds the children it started (they resume on their own) instead of starting others.
 */
const DEFAULT_CONCURRENCY = 10_000;
const EXCEEDED = 'States.ExceedToleratedFailureThreshold';

/** Whether `failed` of `total` children break the threshold; with neither bound set, any failure does. */
function beyondTolerance(failed: number, total: number, count: number | undefined, percentage: number | undefined): boolean {
  if (count === undefined && percentage === undefined) return failed > 0;
  return (count !== undefined && failed > count) || (percentage !== undefined && (failed * 100) / total > percentage);
}

const numberOr = (value: JsonValue | undefined, fallback: number | undefined): number | undefined => (typeof value === 'number' ? value : fallback);

/** Groups the selected items into child inputs. */
function childInputs(map: MapSpec, items: JsonValue[], maxItems: number | undefined, maxBytes: number, batchInput: JsonValue | undefined): { input: JsonValue; count: number }[] {
  if (!map.batched) return items.map((item) => ({ input: item, count: 1 }));
  const batches: { input: JsonValue; count: number }[] = [];
  let current: JsonValue[] = [];
  const wrap = (batch: JsonValue[]): JsonValue => ({ Items: batch, ...(batchInput !== undefined ? { BatchInput: batchInput } : {}) });
  for (const item of items) {
    const candidate = [...current, item];
    const tooMany = maxItems !== undefined && candidate.length > maxItems;
    const tooBig = Buffer.byteLength(JSON.stringify(wrap(candidate)), 'utf8') > maxBytes;
    if (current.length > 0 && (tooMany || tooBig)) {
      batches.push({ input: wrap(current), count: current.length });
      current = [item];
    } else current = candidate;
  }
  if (current.length > 0) batches.push({ input: wrap(current), count: current.length });
  return batches;
}

export async function runDistributedMap(frame: Frame, spec: StepSpec, akey: string, given: JsonValue): Promise<Outcome> {
  const map = spec.map!;
  const { scope } = frame;
  const { execution, env } = scope;
  const params = paramsOf(given);
  const meta = metaOf(params);
  const items = params.items;
  if (!Array.isArray(items)) return failure(STATES_RUNTIME, `Map "${spec.name}": the ItemsPath did not resolve to an array`);
  const limit = numberOr(meta.maxConcurrency, map.maxConcurrency);
  const concurrency = limit !== undefined && limit > 0 ? limit : DEFAULT_CONCURRENCY;
  const percentage = numberOr(meta.toleratedFailurePercentage, map.toleratedFailurePercentage);
  const tolerated = numberOr(meta.toleratedFailureCount, map.toleratedFailureCount);
  if ((percentage !== undefined && (percentage < 0 || percentage > 100)) || (tolerated !== undefined && tolerated < 0)) return failure(STATES_RUNTIME, `Map "${spec.name}": tolerated failures must be a count >= 0 and a percentage from 0 to 100`);
  const selected: JsonValue[] = [];
  for (const [index, item] of items.entries()) selected.push(await selectItem(scope.context, map, params.input ?? null, item, index));
  const units = childInputs(map, selected, numberOr(meta.maxItemsPerBatch, map.maxItemsPerBatch), numberOr(meta.maxInputBytesPerBatch, map.maxInputBytesPerBatch) ?? MAX_PAYLOAD_BYTES, meta.batchInput);

  const parentArn = execution.record.executionArn;
  const childMachine = `${execution.record.stateMachineArn}/${map.label}`;
  const mapRunArn = mapRunArnOf(childMachine, derivedName(parentArn, akey));
  let run = execution.mapRuns.get(mapRunArn);
  if (!run) {
    const children = units.map((unit, i) => ({ executionArn: childArnOf(childMachine, derivedName(parentArn, `${akey}#${i}`)), itemCount: unit.count }));
    run = { mapRunArn, executionArn: parentArn, stateMachineArn: childMachine, status: 'RUNNING', startDate: Date.now(), maxConcurrency: limit ?? 0, toleratedFailurePercentage: percentage ?? 0, toleratedFailureCount: tolerated ?? 0, children };
    execution.putMapRun(run);
  }
  const record = (type: string, suffix: string, details?: Record<string, unknown>) => scope.record(event(type, details), `${akey}>${suffix}`);
  record('MapStateStarted', 'started', { length: items.length });
  record('MapRunStarted', 'run', { mapRunArn });
  const close = (status: MapRunRecord['status']) => execution.putMapRun({ ...run, status, stopDate: Date.now() });

  // Every child waited for listens to the frame's abort: up to MaxConcurrency listeners at once.
  setMaxListeners(0, frame.signal);
  const outputs: JsonValue[] = new Array<JsonValue>(units.length).fill(null);
  let failed = 0;
  let exceeded = false;
  let next = 0;
  const worker = async () => {
    while (next < units.length && !exceeded) {
      const index = next++;
      const child = env.children.start(
        { stateMachineArn: childMachine, name: derivedName(parentArn, `${akey}#${index}`), input: JSON.stringify(units[index]!.input), mapRunArn, itemCount: units[index]!.count },
        { executionArn: parentArn, key: `${akey}#${index}` },
      );
      const ended = await env.children.whenDone(child.executionArn, frame.signal);
      if (ended.status === 'SUCCEEDED') {
        outputs[index] = JSON.parse(ended.output ?? 'null') as JsonValue;
        continue;
      }
      outputs[index] = { Error: ended.error ?? ended.status, Cause: ended.cause ?? '' };
      failed += 1;
      if (beyondTolerance(failed, units.length, tolerated, percentage)) exceeded = true;
    }
  };
  try {
    await Promise.all(Array.from({ length: Math.min(concurrency, Math.max(units.length, 1)) }, worker));
  } catch (error) {
    if (error instanceof RunAbortedError) throw error;
    close('FAILED');
    record('MapRunFailed', 'end');
    return failure(describeError(error).error, describeError(error).cause);
  }
  if (exceeded) {
    for (const child of run.children) env.children.stop(child.executionArn, EXCEEDED, 'The Map Run failed');
    close('FAILED');
    record('MapRunFailed', 'end', { error: EXCEEDED, cause: `${failed} of ${units.length} child executions failed` });
    record('MapStateFailed', 'failed');
    return failure(EXCEEDED, `The Map Run ${mapRunArn} failed: ${failed} of ${units.length} child executions failed, more than tolerated (count ${tolerated ?? 'none'}, percentage ${percentage ?? 'none'})`);
  }
  close('SUCCEEDED');
  record('MapRunSucceeded', 'end');
  record('MapStateSucceeded', 'succeeded');
  return { ok: true, output: outputs };
}
