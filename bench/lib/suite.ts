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

/**
 * The rows of a run paced by the Identity Store rate: wall time, the floor the rate allows
 * (succeeded calls / rate), their ratio, the calls and the throttled calls retried.
 */
export function rateFloorRows(
  suite: string,
  metric: (what: string) => string,
  run: { wallMs: number; wallLabel: string; calls: number; throttled: number },
  extra: Row[] = [],
): Row[] {
  const floorMs = (run.calls / IDENTITY_STORE_RATE) * 1000;
  return [
    { suite, metric: metric(run.wallLabel), value: run.wallMs, unit: 'ms', n: 1 },
    { suite, metric: metric(`rate floor (Identity Store calls that succeeded / ${IDENTITY_STORE_RATE} per s)`), value: floorMs, unit: 'ms', n: 1 },
    { suite, metric: metric('wall / floor'), value: floorMs > 0 ? run.wallMs / floorMs : 0, unit: 'x', n: 1 },
    { suite, metric: metric('Identity Store calls that succeeded'), value: run.calls, unit: 'calls', n: 1 },
    ...extra,
    { suite, metric: metric('throttled calls retried'), value: run.throttled, unit: 'calls', n: 1 },
  ];
}
