/**
 * `npm run bench [-- --only <suite>] [-- --quick]`: runs the suites in bench/suites/index.ts,
 * prints one table of everything measured in this run and writes bench/results/latest.json.
 * Never part of `npm test`; nothing here asserts a time.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { Row, Suite, SuiteContext } from './lib/suite.ts';
import { describeMachine, renderTable } from './lib/table.ts';
import { SUITES } from './suites/index.ts';

type Cleanup = () => Promise<void> | void;

const RESULTS_DIR = join(import.meta.dirname, 'results');

function parseFlags(): { only: string | undefined; quick: boolean } {
  const { values } = parseArgs({
    options: { only: { type: 'string' }, quick: { type: 'boolean', default: false } },
    strict: true,
    allowPositionals: false,
  });
  return { only: values.only, quick: values.quick };
}

function selectSuites(only: string | undefined): readonly Suite[] {
  if (only === undefined) return SUITES;
  const suite = SUITES.find((s) => s.name === only);
  if (!suite) throw new Error(`unknown suite "${only}" (suites: ${SUITES.map((s) => s.name).join(', ')})`);
  return [suite];
}

/** Cleanups of the suite now running; also run on Ctrl-C so no DynamoDB Local JVM is left behind. */
let pending: Cleanup[] = [];

async function runCleanups(): Promise<void> {
  const cleanups = pending.reverse();
  pending = [];
  for (const cleanup of cleanups) {
    try {
      await cleanup();
    } catch (error) {
      console.error('[bench] cleanup failed:', error);
    }
  }
}

function contextFor(quick: boolean): SuiteContext {
  return {
    quick,
    size: (full, small) => (quick ? small : full),
    tempDir: async (label) => {
      const dir = await mkdtemp(join(tmpdir(), `gatehouse-bench-${label}-`));
      pending.push(() => rm(dir, { recursive: true, force: true }));
      return dir;
    },
    defer: (cleanup) => {
      pending.push(cleanup);
    },
  };
}

async function runSuite(suite: Suite, quick: boolean): Promise<Row[]> {
  const started = performance.now();
  process.stderr.write(`[bench] ${suite.name} ...`);
  try {
    const rows = await suite.run(contextFor(quick));
    process.stderr.write(` ${((performance.now() - started) / 1000).toFixed(1)} s\n`);
    return rows;
  } catch (error) {
    process.stderr.write(' failed\n');
    console.error(error);
    process.exitCode = 1;
    return [];
  } finally {
    await runCleanups();
  }
}

async function main(): Promise<void> {
  // The local cloud sets this too, but only after its first SDK client has printed the warning.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const { only, quick } = parseFlags();
  const suites = selectSuites(only);
  const onInterrupt = () => {
    void runCleanups().finally(() => process.exit(130));
  };
  process.once('SIGINT', onInterrupt);

  const date = new Date();
  const rows: Row[] = [];
  for (const suite of suites) rows.push(...(await runSuite(suite, quick)));
  process.off('SIGINT', onInterrupt);

  const machine = describeMachine();
  const header =
    `Gatehouse bench  ${date.toISOString()}  |  ${machine.cpus} CPUs (${machine.cpuModel})  |  Node ${machine.node}  |  ` +
    `${machine.platform}${quick ? '  |  --quick' : ''}`;
  console.log(renderTable(rows, header));

  mkdirSync(RESULTS_DIR, { recursive: true });
  const file = join(RESULTS_DIR, 'latest.json');
  writeFileSync(file, `${JSON.stringify({ date: date.toISOString(), machine, quick, rows }, null, 2)}\n`);
  console.log(`\nwritten to ${file}`);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 2;
});
