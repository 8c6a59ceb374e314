/** Figures over a sample of timings in milliseconds. */
export interface Summary {
  n: number;
  median: number;
  p95: number;
  mean: number;
  /** Sequential calls per second at the mean latency (1000 / mean). */
  opsPerSec: number;
}

/** Nearest-rank percentile of an ascending sample. */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) throw new Error('percentile of an empty sample');
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1] ?? Number.NaN;
}

export function median(sorted: readonly number[]): number {
  if (sorted.length === 0) throw new Error('median of an empty sample');
  const mid = sorted.length / 2;
  if (Number.isInteger(mid)) return ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
  return sorted[Math.floor(mid)] ?? Number.NaN;
}

export function summarize(samples: readonly number[]): Summary {
  const sorted = [...samples].sort((a, b) => a - b);
  const mean = sorted.reduce((sum, x) => sum + x, 0) / sorted.length;
  return { n: sorted.length, median: median(sorted), p95: percentile(sorted, 95), mean, opsPerSec: 1000 / mean };
}

/** Milliseconds one call of `fn` takes, measured with performance.now(). */
export async function time(fn: () => Promise<unknown>): Promise<number> {
  const start = performance.now();
  await fn();
  return performance.now() - start;
}

export interface SampleSize {
  /** Calls made first and thrown away (connection set-up, JIT, lazy loading). */
  warmup: number;
  /** Calls kept. */
  n: number;
}

/** Times `n` sequential calls of `fn` after `warmup` discarded ones. */
export async function sample(fn: (i: number) => Promise<unknown>, size: SampleSize): Promise<number[]> {
  for (let i = 0; i < size.warmup; i++) await fn(i);
  const samples: number[] = [];
  for (let i = 0; i < size.n; i++) samples.push(await time(() => fn(size.warmup + i)));
  return samples;
}
