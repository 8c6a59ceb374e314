import { randomBytes } from 'node:crypto';
import { AwsError } from '../core/aws-error.ts';
import { RunAbortedError, TaskError } from './types.ts';

/**
 * Task tokens of `.waitForTaskToken` states. A token is minted per attempt, parked until
 * SendTaskSuccess / SendTaskFailure settles it, and fails the state with
 * States.HeartbeatTimeout when HeartbeatSeconds pass without a heartbeat. TimeoutSeconds
 * is enforced by the interpreter; the runner then calls `expireState`. Tokens live in
 * memory only: a restarted emulator re-drives the execution, which mints new ones.
 */
const TOKEN_PREFIX = 'GHT1';
const TOKEN_PATTERN = /^GHT1[A-Za-z0-9_-]{64}$/;
/** Settled tokens remembered to tell TaskDoesNotExist from TaskTimedOut. */
const MAX_REMEMBERED = 10_000;
export const STATES_TIMEOUT = 'States.Timeout';
export const HEARTBEAT_TIMEOUT = 'States.HeartbeatTimeout';

interface Parked {
  runId: string;
  stateName: string;
  resolve(output: unknown): void;
  reject(error: Error): void;
  timeoutAt?: number;
  heartbeatMs?: number;
  heartbeatTimer?: NodeJS.Timeout;
}

export interface ParkOptions {
  runId: string;
  stateName: string;
  timeoutSeconds?: number;
  heartbeatSeconds?: number;
}

export class CallbackRegistry {
  private readonly parked = new Map<string, Parked>();
  private readonly timedOut = new Set<string>();

  /** Registers a fresh token; `result` settles when a client answers or a deadline passes. */
  park(options: ParkOptions): { token: string; result: Promise<unknown> } {
    const token = `${TOKEN_PREFIX}${randomBytes(48).toString('base64url')}`;
    const result = new Promise<unknown>((resolve, reject) => {
      const entry: Parked = {
        runId: options.runId,
        stateName: options.stateName,
        resolve,
        reject,
        ...(options.timeoutSeconds !== undefined ? { timeoutAt: Date.now() + options.timeoutSeconds * 1000 } : {}),
        ...(options.heartbeatSeconds !== undefined ? { heartbeatMs: options.heartbeatSeconds * 1000 } : {}),
      };
      this.parked.set(token, entry);
      this.armHeartbeat(token, entry);
    });
    return { token, result };
  }

  private armHeartbeat(token: string, entry: Parked): void {
    if (entry.heartbeatMs === undefined) return;
    clearTimeout(entry.heartbeatTimer);
    entry.heartbeatTimer = setTimeout(() => {
      this.finish(token, entry, true);
      entry.reject(new TaskError(HEARTBEAT_TIMEOUT, 'The task did not send a heartbeat in time'));
    }, entry.heartbeatMs);
  }

  private finish(token: string, entry: Parked, timedOut: boolean): void {
    clearTimeout(entry.heartbeatTimer);
    this.parked.delete(token);
    if (timedOut) {
      this.timedOut.add(token);
      if (this.timedOut.size > MAX_REMEMBERED) {
        const oldest = this.timedOut.values().next().value;
        if (oldest !== undefined) this.timedOut.delete(oldest);
      }
    }
  }

  /** The parked entry for a client call, or the AWS error that call must answer. */
  private claim(token: unknown): [string, Parked] {
    if (typeof token !== 'string' || !TOKEN_PATTERN.test(token)) throw new AwsError('InvalidToken', 'Invalid token');
    const entry = this.parked.get(token);
    if (entry?.timeoutAt !== undefined && Date.now() >= entry.timeoutAt) this.finish(token, entry, true);
    if (this.timedOut.has(token)) throw new AwsError('TaskTimedOut', 'Task Timed Out');
    const live = this.parked.get(token);
    if (!live) throw new AwsError('TaskDoesNotExist', 'Task does not exist anymore');
    return [token, live];
  }

  succeed(token: unknown, output: unknown): void {
    const [key, entry] = this.claim(token);
    this.finish(key, entry, false);
    entry.resolve(output);
  }

  fail(token: unknown, error: string, cause: string): void {
    const [key, entry] = this.claim(token);
    this.finish(key, entry, false);
    entry.reject(new TaskError(error, cause));
  }

  heartbeat(token: unknown): void {
    const [key, entry] = this.claim(token);
    this.armHeartbeat(key, entry);
  }

  /** Drops a token whose state failed without it (the function invoke threw). */
  discard(token: string): void {
    const entry = this.parked.get(token);
    if (entry) this.finish(token, entry, false);
  }

  /** The interpreter timed a state out: its tokens answer TaskTimedOut from now on. */
  expireState(runId: string, stateName: string): void {
    for (const [token, entry] of [...this.parked]) {
      if (entry.runId !== runId || entry.stateName !== stateName) continue;
      this.finish(token, entry, true);
      entry.reject(new TaskError(STATES_TIMEOUT, 'The task timed out'));
    }
  }

  /** A run ended or was stopped: its tokens no longer exist. */
  cancelRun(runId: string): void {
    for (const [token, entry] of [...this.parked]) {
      if (entry.runId !== runId) continue;
      this.finish(token, entry, false);
      entry.reject(new RunAbortedError());
    }
  }
}
