import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { HistoryEvent, SFNClient } from '@aws-sdk/client-sfn';
import { functionFolderFromArn } from '../../local/core/arn.ts';
import { historyOf } from '../../tools/cli/executions.ts';

/**
 * Peak memory of each Lambda step, measured honestly for a local cloud that runs every function
 * in one process (local/lambda-runtime.ts): there, all handlers share one heap, so no per-step
 * figure can be read off the run itself. Instead, after the run, each step's largest real input
 * (read from the executions' histories) is replayed once in a fresh Node process, as a cold
 * Lambda container would run it, against the same local cloud (its endpoints and tables are in
 * this process's environment, which the child inherits). The figure is that process's peak
 * resident set (`process.resourceUsage().maxRSS`), what Lambda's REPORT line calls "Max Memory
 * Used" (https://docs.aws.amazon.com/lambda/latest/dg/monitoring-cloudwatchlogs.html). It includes
 * the tsx loader, which a bundled Lambda does not carry: the `baseline` row is a child that loads
 * nothing else. Every step is idempotent by person and entitlement, so a replay changes no grant,
 * user or count (a replayed Notify may mail the local SES again; nothing here reads the mails).
 */

export interface StepInput {
  /** The state's name ("Apply Next Batch", "Create Identity Center User", ...). */
  state: string;
  /** functions/<folder>. */
  folder: string;
  input: string;
}

export interface StepMemory {
  state: string;
  folder: string;
  inputBytes: number;
  /** Peak RSS of the replaying process, MB; `loadedMb` after importing the handler, before the call. */
  peakMb: number;
  loadedMb: number;
  ok: boolean;
}

/** The largest input of each (state, function) the executions' Lambda tasks received (callback tasks are left out: a replay would wait). */
export async function stepInputs(sfn: SFNClient, executionArns: readonly string[]): Promise<StepInput[]> {
  const largest = new Map<string, StepInput>();
  for (const arn of executionArns) {
    let state = '';
    for (const event of await historyOf(sfn, arn)) {
      state = event.stateEnteredEventDetails?.name ?? state;
      const scheduled = lambdaScheduled(event);
      if (!scheduled) continue;
      const key = `${state}|${scheduled.folder}`;
      if ((largest.get(key)?.input.length ?? -1) < scheduled.input.length) largest.set(key, { state, ...scheduled });
    }
  }
  return [...largest.values()];
}

function lambdaScheduled(event: HistoryEvent): { folder: string; input: string } | undefined {
  const details = event.lambdaFunctionScheduledEventDetails;
  const folder = details?.resource ? functionFolderFromArn(details.resource) : undefined;
  return folder && details?.input ? { folder, input: details.input } : undefined;
}

const CHILD = `
const { pathToFileURL } = await import('node:url');
const { readFileSync } = await import('node:fs');
const mb = () => process.resourceUsage().maxRSS / 1024;
const [folder, inputFile] = process.argv.slice(-2);
let loadedMb = mb(), ok = true;
if (folder !== '-') {
  const { handler } = await import(pathToFileURL(process.env.GATEHOUSE_STEP_ROOT + '/functions/' + folder + '/handler.ts').href);
  const { lambdaContext } = await import(pathToFileURL(process.env.GATEHOUSE_STEP_ROOT + '/local/lambda-runtime.ts').href);
  loadedMb = mb();
  try { await handler(JSON.parse(readFileSync(inputFile, 'utf8')), lambdaContext(folder, 300000)); } catch (error) { ok = false; console.error(String(error)); }
}
process.stdout.write('STEP-MEMORY ' + JSON.stringify({ peakMb: mb(), loadedMb, ok }) + '\\n');
process.exit(0);
`;

async function replay(root: string, folder: string, inputFile: string): Promise<{ peakMb: number; loadedMb: number; ok: boolean }> {
  const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', CHILD, folder, inputFile], {
    cwd: root,
    env: { ...process.env, GATEHOUSE_STEP_ROOT: root, POWERTOOLS_LOG_LEVEL: 'ERROR' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString('utf8')));
  child.stderr.on('data', (chunk: Buffer) => (err = (err + chunk.toString('utf8')).slice(-2_000)));
  await new Promise((done) => child.once('exit', done));
  const line = out.split('\n').find((l) => l.startsWith('STEP-MEMORY '));
  if (!line) throw new Error(`step memory replay of ${folder} printed nothing\n${err}`);
  return JSON.parse(line.slice('STEP-MEMORY '.length)) as { peakMb: number; loadedMb: number; ok: boolean };
}

/** Replays each step once, one at a time; `baseline` first (a child that loads no handler). */
export async function stepMemory(root: string, steps: readonly StepInput[]): Promise<{ baselineMb: number; steps: StepMemory[] }> {
  const dir = await mkdtemp(join(tmpdir(), 'gatehouse-step-memory-'));
  try {
    const baseline = await replay(root, '-', '-');
    const measured: StepMemory[] = [];
    for (const [i, step] of steps.entries()) {
      const file = join(dir, `${i}.json`);
      await writeFile(file, step.input);
      const r = await replay(root, step.folder, file);
      measured.push({ state: step.state, folder: step.folder, inputBytes: Buffer.byteLength(step.input), ...r });
    }
    return { baselineMb: baseline.peakMb, steps: measured };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
