import { appendFileSync } from 'node:fs';
import { AWS_QUOTAS } from '../../local/core/aws-quotas.ts';
import { summarize } from './stats.ts';

/** One measured figure: a line of the results table. */
export interface Row {
  suite: string;
  metric: string;
  value: number;
  unit: string;
  /** How many measurements the figure is computed from. */
  n: number;
}

/** What run.ts hands each suite. Everything registered here is undone when the suite ends. */
export interface SuiteContext {
  quick: boolean;
  /** The full-run count, or the smaller one under --quick. */
  size(full: number, quick: number): number;
  /** A fresh folder under the OS temp dir, removed when the suite ends. */
  tempDir(label: string): Promise<string>;
  /** Runs when the suite ends, even if it failed; last registered runs first. */
  defer(cleanup: () => Promise<void> | void): void;
}

/** A benchmark suite: one file under bench/suites/, listed in bench/suites/index.ts. */
export interface Suite {
  name: string;
  run(ctx: SuiteContext): Promise<Row[]>;
}

/** Median and p95 rows for a latency sample in milliseconds. */
export function latencyRows(suite: string, metric: string, samples: readonly number[]): Row[] {
  const { n, median, p95 } = summarize(samples);
  return [
    { suite, metric: `${metric} median`, value: median, unit: 'ms', n },
    { suite, metric: `${metric} p95`, value: p95, unit: 'ms', n },
  ];
}

/** AWS's Identity Store API rate (requests per second) the rate-limited suites run under, as the local cloud enforces it. */
export const IDENTITY_STORE_RATE = AWS_QUOTAS.identitystore!.quotas[0]!.refillPerSecond;

/** Identity Store calls a local cloud's fault layer counted (per `service:operation`): succeeded in all and per operation, and throttled. */
export interface IdentityStoreCalls {
  calls: number;
  throttled: number;
  /** Succeeded calls per operation (GetUserId, CreateGroupMembership, ...), largest first. */
  byOperation: Record<string, number>;
}

export function identityStoreCalls(faults: { calls: ReadonlyMap<string, number>; throttled: ReadonlyMap<string, number> }): IdentityStoreCalls {
  const PREFIX = 'identitystore:';
  const byOperation: Record<string, number> = {};
  let throttled = 0;
  for (const [key, n] of faults.calls) if (key.startsWith(PREFIX)) byOperation[key.slice(PREFIX.length)] = n;
  for (const [key, n] of faults.throttled) {
    if (!key.startsWith(PREFIX)) continue;
    throttled += n;
    const op = key.slice(PREFIX.length);
    byOperation[op] = (byOperation[op] ?? 0) - n;
  }
  const sorted = Object.fromEntries(Object.entries(byOperation).filter(([, n]) => n > 0).sort(([, a], [, b]) => b - a));
  return { calls: Object.values(sorted).reduce((total, n) => total + n, 0), throttled, byOperation: sorted };
}

/**
 * The rows of a run paced by the Identity Store rate: wall time, the floor the rate allows
 * (succeeded calls / rate), their ratio, the calls (in all, per person, per operation) and the
 * throttled calls retried.
 */
export function rateFloorRows(
  suite: string,
  metric: (what: string) => string,
  run: { wallMs: number; wallLabel: string; people: number; identity: IdentityStoreCalls },
  extra: Row[] = [],
): Row[] {
  const { calls, throttled, byOperation } = run.identity;
  const floorMs = (calls / IDENTITY_STORE_RATE) * 1000;
  return [
    { suite, metric: metric(run.wallLabel), value: run.wallMs, unit: 'ms', n: 1 },
    { suite, metric: metric(`rate floor (Identity Store calls that succeeded / ${IDENTITY_STORE_RATE} per s)`), value: floorMs, unit: 'ms', n: 1 },
    { suite, metric: metric('wall / floor'), value: floorMs > 0 ? run.wallMs / floorMs : 0, unit: 'x', n: 1 },
    { suite, metric: metric('Identity Store calls that succeeded'), value: calls, unit: 'calls', n: 1 },
    { suite, metric: metric('Identity Store calls per person'), value: run.people > 0 ? calls / run.people : 0, unit: 'calls', n: run.people },
    ...Object.entries(byOperation).map(([operation, n]) => ({ suite, metric: metric(`Identity Store calls that succeeded: ${operation}`), value: n, unit: 'calls', n: 1 })),
    ...extra,
    { suite, metric: metric('throttled calls retried'), value: throttled, unit: 'calls', n: 1 },
  ];
}

/**
 * A line of progress for long runs (the 10,000-person rows), appended to the file
 * GATEHOUSE_BENCH_PROGRESS names: a worker's own output is shown only when it fails, and a run
 * stopped before its end must still say how far it got and at what rate.
 */
export function progress(suite: string, line: string): void {
  const file = process.env.GATEHOUSE_BENCH_PROGRESS;
  if (file) appendFileSync(file, `${new Date().toISOString()} [${suite}] ${line}\n`);
}

/** Progress of a rate-paced run every `everyMs`: elapsed time and the Identity Store calls so far. Returns the stop function. */
export function rateProgress(suite: string, faults: Parameters<typeof identityStoreCalls>[0], what: (calls: IdentityStoreCalls) => string, everyMs = 60_000): () => void {
  const started = performance.now();
  const timer = setInterval(() => {
    const calls = identityStoreCalls(faults);
    const seconds = (performance.now() - started) / 1000;
    progress(suite, `${seconds.toFixed(0)} s: ${calls.calls} Identity Store calls succeeded (${(calls.calls / seconds).toFixed(2)}/s), ${calls.throttled} throttled; ${what(calls)}`);
  }, everyMs);
  timer.unref();
  return () => clearInterval(timer);
}
