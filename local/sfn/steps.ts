import { DATA_LIMIT_EXCEEDED, RunAbortedError, describeError } from './errors.ts';
import { runDistributedMap } from './distributed-map.ts';
import type { Frame } from './frame.ts';
import { attemptKey, failure, settleOutcome, type AttemptEntry, type Outcome } from './journal.ts';
import { runInlineMap, runParallel } from './map-step.ts';
import type { StepSpec } from './prepare.ts';
import { decideRetry } from './retry.ts';
import { replayTaskEnd, runTaskAttempt } from './task-attempt.ts';
import type { JsonValue } from './types.ts';
import { sleepUntil, waitTarget } from './wait-step.ts';
import { MAX_PAYLOAD_BYTES } from './wire.ts';
import { isJsonObject } from './types.ts';

/**
 * One entry of a Task, Wait, Map or Parallel state, with its retries: every attempt is
 * journaled before it starts (`startedAt`, so deadlines stay absolute) and when it ends
 * (`outcome`); a retry's deadline is journaled too. A resumed run walks the same attempts:
 * ended ones are not repeated, the one that was running is run again (at least once, as a
 * Lambda retry would), and a pending backoff waits only for what is left of it.
 */
export async function runStep(frame: Frame, spec: StepSpec, key: string, given: JsonValue): Promise<JsonValue> {
  const execution = frame.scope.execution;
  const done = execution.journalEntry<Outcome>(key);
  if (done) return settleOutcome(done);
  let counts = spec.retriers.map(() => 0);
  for (let attempt = 1; ; attempt += 1) {
    const akey = attemptKey(key, attempt);
    let entry = execution.journalEntry<AttemptEntry>(akey);
    if (!entry) {
      entry = { startedAt: Date.now() };
      execution.setJournal(akey, entry);
    }
    let outcome: Outcome;
    if (entry.outcome) {
      outcome = entry.outcome;
      if (spec.kind === 'task') replayTaskEnd(frame, spec, akey, outcome);
    } else {
      outcome = limited(spec, await attemptOnce(frame, spec, akey, entry, given));
      entry = { ...execution.journalEntry<AttemptEntry>(akey)!, outcome };
      execution.setJournal(akey, entry);
    }
    if (outcome.ok) return finish(frame, key, outcome);
    let retryAt = entry.retryAt;
    if (retryAt === undefined) {
      const decision = decideRetry(spec.retriers, counts, outcome.error, spec.kind === 'task');
      if (!decision.retry) return finish(frame, key, outcome);
      const next = counts.map((count, i) => (i === decision.retrier ? count + 1 : count));
      retryAt = Date.now() + Math.round(decision.delayMs * frame.scope.env.retryDelayScale);
      entry = { ...entry, retryAt, counts: next };
      execution.setJournal(akey, entry);
    }
    counts = entry.counts ?? counts;
    await sleepUntil(retryAt, frame.signal);
  }
}

function finish(frame: Frame, key: string, outcome: Outcome): JsonValue {
  frame.scope.execution.setJournal(key, outcome);
  return settleOutcome(outcome);
}

/** A result above the payload quota fails the state (https://docs.aws.amazon.com/step-functions/latest/dg/service-quotas.html). */
function limited(spec: StepSpec, outcome: Outcome): Outcome {
  if (!outcome.ok || Buffer.byteLength(JSON.stringify(outcome.output ?? null), 'utf8') <= MAX_PAYLOAD_BYTES) return outcome;
  return failure(DATA_LIMIT_EXCEEDED, `The state/task '${spec.name}' returned a result with a size exceeding the maximum number of bytes service limit.`);
}

async function attemptOnce(frame: Frame, spec: StepSpec, akey: string, entry: AttemptEntry, given: JsonValue): Promise<Outcome> {
  try {
    switch (spec.kind) {
      case 'task':
        return await runTaskAttempt(frame, spec, akey, entry, given);
      case 'wait':
        return await waitAttempt(frame, spec, akey, entry, given);
      case 'map':
        return await (spec.map?.distributed ? runDistributedMap(frame, spec, akey, given) : runInlineMap(frame, spec, akey, given));
      case 'parallel':
        return await runParallel(frame, spec, akey, given);
    }
  } catch (error) {
    if (error instanceof RunAbortedError) throw error;
    const { error: name, cause } = describeError(error);
    return failure(name, cause);
  }
}

async function waitAttempt(frame: Frame, spec: StepSpec, akey: string, entry: AttemptEntry, given: JsonValue): Promise<Outcome> {
  let until = entry.until;
  if (until === undefined) {
    until = waitTarget(spec.name, given, entry.startedAt);
    frame.scope.execution.setJournal(akey, { ...entry, until });
  }
  await sleepUntil(until, frame.signal);
  return { ok: true, output: isJsonObject(given) ? (given.input ?? null) : null };
}
