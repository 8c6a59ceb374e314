import { setTimeout as sleep } from 'node:timers/promises';

/**
 * Polling with a deadline, for tests that wait on something asynchronous (an instance
 * settling, an execution finishing, a mail arriving).
 */

export interface PollOptions {
  /** Give up after this long. */
  timeoutMs?: number;
  /** Wait this long between reads. */
  everyMs?: number;
  /** What is awaited, for the timeout message; without it the message shows the last value read. */
  what?: string;
}

/** Reads until `done` holds for the value read, failing after the deadline. */
export async function until<T>(
  read: () => Promise<T> | T,
  done: (value: T) => boolean,
  { timeoutMs = 3000, everyMs = 20, what }: PollOptions = {},
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline) {
      throw new Error(
        what === undefined ? `condition not met within ${timeoutMs} ms: ${JSON.stringify(value)}` : `timed out after ${timeoutMs} ms waiting for ${what}`,
      );
    }
    await sleep(everyMs);
  }
}

/** Polls `probe` until it returns a value (not undefined) or the deadline passes. */
export async function eventually<T>(
  probe: () => Promise<T | undefined> | T | undefined,
  what: string,
  timeoutMs = 10_000,
  everyMs = 25,
): Promise<T> {
  return (await until(probe, (value) => value !== undefined, { timeoutMs, everyMs, what })) as T;
}
