/**
 * The clock an emulator that waits for wall-clock times runs on (the Scheduler's). Tests
 * compress time with `compressedClock`: a quarter of schedule time passes in seconds, and
 * timers wait the compressed real time, so nothing sleeps for real.
 */
export interface EmulatorClock {
  /** Epoch ms on this clock. */
  now(): number;
  /** How many real milliseconds `ms` of this clock's time take. */
  realMs(ms: number): number;
  /** Called after the clock jumps (fast-forward), so timers armed for the old time are re-armed. */
  onJump?(listener: () => void): void;
}

export interface FastForwardClock extends EmulatorClock {
  /** Moves the clock `ms` ahead at once: what fell due in between fires now. */
  advance(ms: number): void;
}

export const systemClock: EmulatorClock = { now: () => Date.now(), realMs: (ms) => ms };

/**
 * A clock that starts at `startMs` (default now) and runs `factor` times faster than real time:
 * `compressedClock(86_400)` passes a day each real second.
 */
export function compressedClock(factor: number, startMs = Date.now()): EmulatorClock {
  if (!(factor >= 1)) throw new Error(`a compressed clock runs at least at real speed, not ${factor}x`);
  const realStart = Date.now();
  return {
    now: () => startMs + (Date.now() - realStart) * factor,
    realMs: (ms) => Math.ceil(ms / factor),
  };
}

/** Real time plus whatever a test fast-forwarded (`advance`): a two-hour grant expires when the test says so. */
export function fastForwardClock(): FastForwardClock {
  let offset = 0;
  const listeners: (() => void)[] = [];
  return {
    now: () => Date.now() + offset,
    realMs: (ms) => ms,
    onJump: (listener) => void listeners.push(listener),
    advance(ms) {
      if (!(ms >= 0)) throw new Error(`a clock only moves forward, not by ${ms} ms`);
      offset += ms;
      for (const listener of listeners) listener();
    },
  };
}
