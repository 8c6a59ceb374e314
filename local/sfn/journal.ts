import { errorOf } from './errors.ts';
import type { JsonValue } from './types.ts';

/**
 * What a run writes down so that a restarted emulator resumes it where it was, as Step
 * Functions does, instead of starting it over. Keys are deterministic paths (frame.ts):
 * - `<step>` (e.g. `/Ask Approvers In Order#1`): the state's final outcome, after its retries;
 *   a resumed run hands it to the interpreter without doing anything;
 * - `<step>@<n>`: attempt n of that state (an AttemptEntry);
 * - `<step>@<n>[<i>]` / `<step>@<n>{<b>}`: the frame of Map iteration i / Parallel branch b.
 */
export type Outcome = { ok: true; output: JsonValue } | { ok: false; error: string; cause: string };

export interface AttemptEntry {
  /** Epoch ms: TimeoutSeconds runs from here, across restarts. */
  startedAt: number;
  outcome?: Outcome;
  /** After a failure a retrier takes: when the next attempt starts, and each retrier's count after this one. */
  retryAt?: number;
  counts?: number[];
  /** Callback tasks: the token handed out, whether the resource call returned, the last heartbeat. */
  token?: string;
  /** Epoch ms the token times out at (TimeoutSeconds from startedAt), and HeartbeatSeconds. */
  timeoutAt?: number;
  heartbeatSeconds?: number;
  submitted?: boolean;
  heartbeatAt?: number;
  /** Wait states: the instant the state ends (absolute, so a restart does not restart the wait). */
  until?: number;
  /** states:startExecution: the child execution this attempt started. */
  child?: string;
}

export const failure = (error: string, cause: string): Outcome => ({ ok: false, error, cause });

/** The value an outcome stands for, or the error it throws. */
export function settleOutcome(outcome: Outcome): JsonValue {
  if (outcome.ok) return outcome.output;
  throw errorOf(outcome.error, outcome.cause);
}

export const attemptKey = (step: string, attempt: number): string => `${step}@${attempt}`;
