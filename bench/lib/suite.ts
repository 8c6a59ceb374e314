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
