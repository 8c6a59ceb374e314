import { mintToken, type CallbackRegistry } from './callbacks.ts';
import { TASK_TOKEN_PLACEHOLDER } from './context.ts';
import { DATA_LIMIT_EXCEEDED, HEARTBEAT_TIMEOUT, RunAbortedError, STATES_RUNTIME, STATES_TIMEOUT, TASK_FAILED, describeError } from './errors.ts';
import type { StoredExecution } from './executions.ts';
import type { Frame } from './frame.ts';
import { lambdaEvent, taskEvent, taskOutputEvent, taskScheduledEvent, type NewEvent } from './history.ts';
import { callIntegration, type CallContext } from './integrations.ts';
import { failure, type AttemptEntry, type Outcome } from './journal.ts';
import type { StepSpec } from './prepare.ts';
import { SUPPORTED_RESOURCES, parseResource, type Integration } from './resources.ts';
import { isJsonObject, type JsonValue } from './types.ts';
import { sleepUntil } from './wait-step.ts';
import { MAX_PAYLOAD_BYTES } from './wire.ts';

/**
 * One attempt of a Task state: request-response (the call, raced against TimeoutSeconds from
 * the attempt's journaled start) or callback (`.waitForTaskToken`: the token is journaled
 * before the call, the call's return is journaled, then the decision). Events are keyed
 * `<attempt>>sch|start|sub|end`, so a repeated attempt after a crash adds none twice.
 */
const isBare = (integration: Integration | undefined) => integration?.kind === 'lambda-function';

function endEvent(spec: StepSpec, bare: boolean, outcome: Outcome): NewEvent {
  const resource = spec.resource ?? '';
  if (outcome.ok) return bare ? lambdaEvent('Succeeded', { output: JSON.stringify(outcome.output) }) : taskOutputEvent('TaskSucceeded', resource, outcome.output);
  const fields = { error: outcome.error, cause: outcome.cause };
  const timedOut = outcome.error === STATES_TIMEOUT || outcome.error === HEARTBEAT_TIMEOUT;
  if (bare) return lambdaEvent(timedOut ? 'TimedOut' : 'Failed', fields);
  return taskEvent(timedOut ? 'TaskTimedOut' : 'TaskFailed', resource, fields);
}

/** Records the end of an attempt that ended before a restart (its end event may not have been written). */
export function replayTaskEnd(frame: Frame, spec: StepSpec, akey: string, outcome: Outcome): void {
  const parsed = parseResource(spec.resource ?? '');
  frame.scope.record(endEvent(spec, typeof parsed !== 'string' && isBare(parsed.integration), outcome), `${akey}>end`);
}

/** Tracks a journaled token: decisions and heartbeats are journaled on arrival. */
export function trackToken(callbacks: CallbackRegistry, execution: StoredExecution, akey: string, entry: AttemptEntry): void {
  if (!entry.token) return;
  const latest = () => execution.journalEntry<AttemptEntry>(akey) ?? entry;
  callbacks.track(entry.token, {
    executionArn: execution.record.executionArn,
    ...(entry.timeoutAt !== undefined ? { timeoutAt: entry.timeoutAt } : {}),
    ...(entry.heartbeatSeconds !== undefined ? { heartbeatSeconds: entry.heartbeatSeconds } : {}),
    lastBeat: entry.heartbeatAt ?? entry.startedAt,
    onSettle: (outcome) => execution.setJournal(akey, { ...latest(), outcome }),
    onHeartbeat: (at) => execution.setJournal(akey, { ...latest(), heartbeatAt: at }),
  });
}

function positiveInteger(name: string, value: JsonValue | undefined, field: string): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value === 'number' && Number.isInteger(value) && value > 0) return value;
  throw Object.assign(new Error(`The ${field}Path of state "${name}" did not resolve to a positive integer: ${JSON.stringify(value)}`), { name: STATES_RUNTIME });
}

function replaceToken(value: JsonValue, token: string): JsonValue {
  if (typeof value === 'string') return value.replaceAll(TASK_TOKEN_PLACEHOLDER, token);
  if (Array.isArray(value)) return value.map((member) => replaceToken(member, token));
  if (isJsonObject(value)) return Object.fromEntries(Object.entries(value).map(([key, member]) => [key, replaceToken(member, token)]));
  return value;
}

/** The call's value, or 'timeout' once `deadline` passes first. */
async function beforeDeadline<T>(call: Promise<T>, deadline: number | undefined, signal: AbortSignal): Promise<{ value: T } | 'timeout'> {
  const stop = new AbortController();
  const both = AbortSignal.any([signal, stop.signal]);
  const aborted = new Promise<never>((_, reject) => both.addEventListener('abort', () => reject(new RunAbortedError()), { once: true }));
  aborted.catch(() => undefined);
  const racers: Promise<{ value: T } | 'timeout'>[] = [call.then((value) => ({ value })), aborted];
  if (deadline !== undefined) racers.push(sleepUntil(deadline, both).then(() => 'timeout' as const));
  try {
    return await Promise.race(racers);
  } finally {
    stop.abort();
  }
}

export async function runTaskAttempt(frame: Frame, spec: StepSpec, akey: string, entry: AttemptEntry, given: JsonValue): Promise<Outcome> {
  const { scope } = frame;
  const params = isJsonObject(given) ? given : {};
  const input = params.args ?? null;
  const meta = isJsonObject(params.meta) ? params.meta : {};
  const resource = spec.resource ?? '';
  const parsed = parseResource(resource);
  const record = (event: NewEvent, suffix: string) => scope.record(event, `${akey}>${suffix}`);
  const bare = typeof parsed !== 'string' && isBare(parsed.integration);
  const end = (outcome: Outcome): Outcome => {
    record(endEvent(spec, bare, outcome), 'end');
    return outcome;
  };
  const timeoutSeconds = spec.timeoutSeconds ?? positiveInteger(spec.name, meta.timeoutSeconds, 'TimeoutSeconds');
  const heartbeatSeconds = spec.heartbeatSeconds ?? positiveInteger(spec.name, meta.heartbeatSeconds, 'HeartbeatSeconds');
  const scheduled = (payload: JsonValue) =>
    bare ? lambdaEvent('Scheduled', { resource, input: JSON.stringify(payload) }) : taskScheduledEvent(resource, payload, timeoutSeconds, heartbeatSeconds);
  if (typeof parsed === 'string') {
    record(scheduled(input), 'sch');
    return end(failure(TASK_FAILED, `${parsed}. Supported: ${SUPPORTED_RESOURCES}`));
  }
  if (Buffer.byteLength(JSON.stringify(input), 'utf8') > MAX_PAYLOAD_BYTES) {
    return end(failure(DATA_LIMIT_EXCEEDED, `The state/task '${spec.name}' has an input (after Parameters) larger than the maximum number of bytes service limit.`));
  }
  const deadline = timeoutSeconds !== undefined ? entry.startedAt + timeoutSeconds * 1000 : undefined;
  const ctx: CallContext = { env: scope.env, execution: scope.execution, akey, signal: frame.signal };
  if (!parsed.callback) {
    record(scheduled(input), 'sch');
    record(bare ? lambdaEvent('Started') : taskEvent('TaskStarted', resource), 'start');
    try {
      const result = await beforeDeadline(callIntegration(ctx, parsed.integration, input), deadline, frame.signal);
      return end(result === 'timeout' ? failure(STATES_TIMEOUT, 'The task timed out') : { ok: true, output: result.value });
    } catch (error) {
      if (error instanceof RunAbortedError) throw error;
      const { error: name, cause } = describeError(error);
      return end(failure(name, cause));
    }
  }
  return runCallback(frame, spec, akey, { ctx, integration: parsed.integration, input, deadline, heartbeatSeconds, scheduled, record, end });
}

interface CallbackParts {
  ctx: CallContext;
  integration: Integration;
  input: JsonValue;
  deadline: number | undefined;
  heartbeatSeconds: number | undefined;
  scheduled(payload: JsonValue): NewEvent;
  record(event: NewEvent, suffix: string): boolean;
  end(outcome: Outcome): Outcome;
}

async function runCallback(frame: Frame, spec: StepSpec, akey: string, parts: CallbackParts): Promise<Outcome> {
  const { execution, env } = parts.ctx;
  let entry = execution.journalEntry<AttemptEntry>(akey)!;
  if (!entry.token) {
    entry = {
      ...entry,
      token: mintToken(),
      ...(parts.deadline !== undefined ? { timeoutAt: parts.deadline } : {}),
      ...(parts.heartbeatSeconds !== undefined ? { heartbeatSeconds: parts.heartbeatSeconds } : {}),
    };
    execution.setJournal(akey, entry);
  }
  const token = entry.token!;
  trackToken(env.callbacks, execution, akey, entry);
  const decided = env.callbacks.wait(token);
  decided.catch(() => undefined);
  if (!entry.submitted) {
    const payload = replaceToken(parts.input, token);
    parts.record(parts.scheduled(payload), 'sch');
    parts.record(taskEvent('TaskStarted', spec.resource ?? ''), 'start');
    try {
      const output = await callIntegration(parts.ctx, parts.integration, payload);
      parts.record(taskOutputEvent('TaskSubmitted', spec.resource ?? '', output), 'sub');
      execution.setJournal(akey, { ...execution.journalEntry<AttemptEntry>(akey)!, submitted: true });
    } catch (error) {
      if (error instanceof RunAbortedError) throw error;
      env.callbacks.discard(token);
      const settled = execution.journalEntry<AttemptEntry>(akey)?.outcome;
      if (settled) return parts.end(settled);
      const { error: name, cause } = describeError(error);
      return parts.end(failure(name, cause));
    }
  }
  try {
    const result = await beforeDeadline(decided, undefined, frame.signal);
    return parts.end(result === 'timeout' ? failure(STATES_TIMEOUT, 'The task timed out') : result.value);
  } catch (error) {
    env.callbacks.discard(token);
    throw error;
  }
}
