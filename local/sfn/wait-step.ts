import { setTimeout as sleep } from 'node:timers/promises';
import { RunAbortedError, STATES_RUNTIME, TerminalError } from './errors.ts';
import { isJsonObject, type JsonObject, type JsonValue } from './types.ts';

/**
 * Wait states, run as steps of ours: the library sleeps a Wait with one setTimeout, which
 * Node fires after 1 ms past 2^31-1 ms (~24.8 days), and a restart would start the wait over.
 * The step computes the instant once, journals it (absolute), and sleeps until then.
 */
const MAX_SECONDS = 99_999_999;
const WAIT_FIELDS = ['Seconds', 'Timestamp', 'SecondsPath', 'TimestampPath'] as const;
/** RFC 3339 with a zone, as Step Functions requires of Wait timestamps. */
const RFC3339 = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])T([01]\d|2[0-3]):[0-5]\d:[0-5]\d(\.\d+)?(Z|[+-]([01]\d|2[0-3]):[0-5]\d)$/;
/** setTimeout's own ceiling. */
const MAX_TIMER_MS = 2_147_483_647;

const isSeconds = (value: unknown): value is number => typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= MAX_SECONDS;
const isTimestamp = (value: unknown): value is string => typeof value === 'string' && RFC3339.test(value) && !Number.isNaN(Date.parse(value));

/** The Parameters standing in for Wait `name`; throws if the Wait is malformed. */
export function waitParameters(name: string, wait: JsonObject): JsonObject {
  const given = WAIT_FIELDS.filter((field) => wait[field] !== undefined);
  if (given.length !== 1) throw new Error(`Wait state "${name}" needs exactly one of ${WAIT_FIELDS.join(', ')}`);
  const field = given[0];
  const value = wait[field as string];
  const parameters: JsonObject = { 'input.$': '$' };
  if (field === 'Seconds') {
    if (!isSeconds(value)) throw new Error(`Wait state "${name}": Seconds must be an integer from 0 to ${MAX_SECONDS}`);
    parameters.seconds = value;
  } else if (field === 'Timestamp') {
    if (!isTimestamp(value)) throw new Error(`Wait state "${name}": Timestamp must be an RFC 3339 timestamp with a zone`);
    parameters.timestamp = value;
  } else {
    if (typeof value !== 'string' || !value.startsWith('$')) throw new Error(`Wait state "${name}": ${field} must be a JSONPath`);
    parameters[field === 'SecondsPath' ? 'seconds.$' : 'timestamp.$'] = value;
  }
  return parameters;
}

/** The instant (epoch ms) a Wait ends, from its evaluated Parameters and the time it was entered. */
export function waitTarget(name: string, params: JsonValue, enteredAt: number): number {
  const given = isJsonObject(params) ? params : {};
  if (given.timestamp !== undefined) {
    if (!isTimestamp(given.timestamp)) {
      throw new TerminalError(STATES_RUNTIME, `The TimestampPath of Wait state "${name}" did not resolve to an RFC 3339 timestamp: ${JSON.stringify(given.timestamp)}`);
    }
    return Date.parse(given.timestamp);
  }
  if (!isSeconds(given.seconds)) {
    throw new TerminalError(STATES_RUNTIME, `The SecondsPath of Wait state "${name}" did not resolve to a non-negative integer: ${JSON.stringify(given.seconds)}`);
  }
  return enteredAt + given.seconds * 1000;
}

/** Sleeps until `instant`, however far (setTimeout alone overflows past ~24.8 days). */
export async function sleepUntil(instant: number, signal: AbortSignal): Promise<void> {
  for (let remaining = instant - Date.now(); remaining > 0; remaining = instant - Date.now()) {
    try {
      await sleep(Math.min(remaining, MAX_TIMER_MS), undefined, { signal });
    } catch {
      throw new RunAbortedError();
    }
  }
}
