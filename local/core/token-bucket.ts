/**
 * A token bucket as AWS describes its API throttling: a call takes one token; the bucket
 * refills continuously at `refillPerSecond` up to `capacity`; a call that finds it empty is
 * throttled and takes nothing ("You don't need to wait for the bucket to be completely full
 * before you can make API requests", EC2 API Reference, Request throttling).
 */
export class TokenBucket {
  private tokens: number;
  private last: number;

  constructor(
    readonly capacity: number,
    readonly refillPerSecond: number,
    now: number,
  ) {
    this.tokens = capacity;
    this.last = now;
  }

  /** Takes a token at time `now` (ms) if there is one; false when the call must be throttled. */
  take(now: number): boolean {
    const elapsed = Math.max(0, now - this.last);
    this.tokens = Math.min(this.capacity, this.tokens + (elapsed / 1000) * this.refillPerSecond);
    this.last = Math.max(this.last, now);
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }
}
