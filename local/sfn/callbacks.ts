import { randomBytes } from 'node:crypto';
import { AwsError } from '../core/aws-error.ts';
import { HEARTBEAT_TIMEOUT, STATES_TIMEOUT } from './errors.ts';
import { failure, type Outcome } from './journal.ts';
import type { JsonValue } from './types.ts';

/**
 * Task tokens of `.waitForTaskToken` states. A token is minted per attempt and journaled
 * before the resource is called, so a restart keeps it: the waiting task is not asked again,
 * and SendTaskSuccess with the token mailed before the restart still works. A decision is
 * journaled (`onSettle`) before SendTaskSuccess/Failure answers. TimeoutSeconds and
 * HeartbeatSeconds run from absolute instants (the attempt's start, the last heartbeat).
 */
const TOKEN_PREFIX = 'GHT1';
const TOKEN_PATTERN = /^GHT1[A-Za-z0-9_-]{64}$/;
/** Settled tokens remembered to tell TaskDoesNotExist from TaskTimedOut. */
const MAX_REMEMBERED = 10_000;
/** setTimeout's ceiling: a longer deadline is re-armed. */
const MAX_TIMER_MS = 2_147_483_647;

export const mintToken = (): string => `${TOKEN_PREFIX}${randomBytes(48).toString('base64url')}`;

export interface TokenSpec {
  executionArn: string;
  /** Epoch ms. */
  timeoutAt?: number;
  heartbeatSeconds?: number;
  /** Epoch ms of the last heartbeat (or of the attempt's start). */
  lastBeat: number;
  /** Journals the decision; called synchronously, once, before any waiter hears of it. */
  onSettle(outcome: Outcome): void;
  /** Journals a heartbeat. */
  onHeartbeat(at: number): void;
}

interface Tracked extends TokenSpec {
  waiters: ((outcome: Outcome) => void)[];
  timer?: NodeJS.Timeout;
}

export class CallbackRegistry {
  private readonly tracked = new Map<string, Tracked>();
  private readonly timedOut = new Set<string>();

  /** Starts tracking a token (idempotent: a token tracked already keeps its entry). */
  track(token: string, spec: TokenSpec): void {
    if (this.tracked.has(token)) return;
    const entry: Tracked = { ...spec, waiters: [] };
    this.tracked.set(token, entry);
    this.arm(token, entry);
  }

  /** Resolves with the token's outcome once it is decided or times out. */
  wait(token: string): Promise<Outcome> {
    const entry = this.tracked.get(token);
    if (!entry) return Promise.reject(new Error(`task token is not tracked`));
    return new Promise((resolve) => entry.waiters.push(resolve));
  }

  /** Remembers a token that timed out before a restart (so it answers TaskTimedOut). */
  rememberTimedOut(token: string): void {
    this.timedOut.add(token);
    if (this.timedOut.size > MAX_REMEMBERED) {
      const oldest = this.timedOut.values().next().value;
      if (oldest !== undefined) this.timedOut.delete(oldest);
    }
  }

  private deadline(entry: Tracked): { at: number; outcome: Outcome } | undefined {
    const beat = entry.heartbeatSeconds !== undefined ? entry.lastBeat + entry.heartbeatSeconds * 1000 : undefined;
    if (beat !== undefined && (entry.timeoutAt === undefined || beat < entry.timeoutAt)) {
      return { at: beat, outcome: failure(HEARTBEAT_TIMEOUT, 'The task did not send a heartbeat in time') };
    }
    return entry.timeoutAt !== undefined ? { at: entry.timeoutAt, outcome: failure(STATES_TIMEOUT, 'The task timed out') } : undefined;
  }

  private arm(token: string, entry: Tracked): void {
    clearTimeout(entry.timer);
    const due = this.deadline(entry);
    if (!due) return;
    const wait = due.at - Date.now();
    if (wait <= 0) {
      this.settle(token, entry, due.outcome, true);
      return;
    }
    entry.timer = setTimeout(() => this.arm(token, entry), Math.min(wait, MAX_TIMER_MS));
  }

  private settle(token: string, entry: Tracked, outcome: Outcome, timedOut: boolean): void {
    clearTimeout(entry.timer);
    this.tracked.delete(token);
    if (timedOut) this.rememberTimedOut(token);
    entry.onSettle(outcome);
    for (const waiter of entry.waiters) waiter(outcome);
  }

  /** The tracked entry for a client call, or the AWS error that call must answer. */
  private claim(token: unknown): [string, Tracked] {
    if (typeof token !== 'string' || !TOKEN_PATTERN.test(token)) throw new AwsError('InvalidToken', 'Invalid token');
    const entry = this.tracked.get(token);
    if (entry) {
      const due = this.deadline(entry);
      if (due && Date.now() >= due.at) this.settle(token, entry, due.outcome, true);
    }
    if (this.timedOut.has(token)) throw new AwsError('TaskTimedOut', 'Task Timed Out');
    const live = this.tracked.get(token);
    if (!live) throw new AwsError('TaskDoesNotExist', 'Task does not exist anymore');
    return [token, live];
  }

  succeed(token: unknown, output: unknown): void {
    const [key, entry] = this.claim(token);
    this.settle(key, entry, { ok: true, output: output as JsonValue }, false);
  }

  fail(token: unknown, error: string, cause: string): void {
    const [key, entry] = this.claim(token);
    this.settle(key, entry, failure(error, cause), false);
  }

  heartbeat(token: unknown): void {
    const [key, entry] = this.claim(token);
    entry.lastBeat = Date.now();
    entry.onHeartbeat(entry.lastBeat);
    this.arm(key, entry);
  }

  /** Stops tracking a token without a decision (its resource call failed, or its run was stopped). */
  discard(token: string): void {
    const entry = this.tracked.get(token);
    if (!entry) return;
    clearTimeout(entry.timer);
    this.tracked.delete(token);
  }

  /** An execution ended or was stopped: its tokens no longer exist. */
  discardExecution(executionArn: string): void {
    for (const [token, entry] of [...this.tracked]) if (entry.executionArn === executionArn) this.discard(token);
  }

  /** Stops every timer (emulator stop); the journal keeps the tokens for the next start. */
  clear(): void {
    for (const token of [...this.tracked.keys()]) this.discard(token);
  }
}
