import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import type { LocalCloudOptions } from '../../../local/cloud.ts';
import { pickFreePort } from '../../../local/dynamodb-local.ts';

/**
 * The local cloud in a child process (crash-cloud.ts), for tests that kill it: SIGKILL from
 * outside, or GATEHOUSE_CRASH_AT from inside (local/sfn/crash.ts). DynamoDB Local and the SES
 * stand-in run elsewhere (the test run's DynamoDB Local, an SES in the test process), so they
 * survive the kill as DynamoDB and SES do on AWS.
 */
export interface ReadyInfo {
  endpoints: Record<string, string>;
  env: Record<string, string>;
  bootMs: number;
}

export interface CloudProcess {
  info: ReadyInfo;
  /** Resolves when the process has exited, with the signal that ended it (SIGKILL for a crash). */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  isAlive(): boolean;
  /** SIGTERM (a clean stop) and wait for the exit. */
  stop(): Promise<void>;
}

const SCRIPT = join(import.meta.dirname, 'crash-cloud.ts');
const READY_TIMEOUT_MS = 60_000;

export async function startCloudProcess(options: LocalCloudOptions, crashAt?: string): Promise<CloudProcess> {
  const env: NodeJS.ProcessEnv = { ...process.env, GATEHOUSE_CRASH_CLOUD_OPTIONS: JSON.stringify(options) };
  if (crashAt) env.GATEHOUSE_CRASH_AT = crashAt;
  else delete env.GATEHOUSE_CRASH_AT;
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', SCRIPT], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString('utf8')).slice(-4_000);
  });
  let alive = true;
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => {
      alive = false;
      resolve({ code, signal });
    }),
  );
  const info = await new Promise<ReadyInfo>((resolve, reject) => {
    let stdout = '';
    const timer = setTimeout(() => reject(new Error(`the cloud process did not boot in ${READY_TIMEOUT_MS} ms\n${stderr}`)), READY_TIMEOUT_MS);
    child.stdout?.on('data', (chunk: Buffer) => {
      stdout += chunk.toString('utf8');
      const line = stdout.split('\n').find((l) => l.startsWith('READY '));
      if (!line) return;
      clearTimeout(timer);
      resolve(JSON.parse(line.slice('READY '.length)) as ReadyInfo);
    });
    void exited.then(({ code, signal }) => {
      clearTimeout(timer);
      reject(new Error(`the cloud process exited before it was ready (code ${code}, signal ${signal})\n${stderr}`));
    });
  });
  return {
    info,
    exited,
    isAlive: () => alive,
    stop: async () => {
      if (!alive) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** A base port with base..base+8 free, drawn from lowest..lowest+10,000: each restart test file keeps its own range, so files running side by side rarely race for one base. */
export async function freePortBase(lowest = 42_000): Promise<number> {
  for (let attempt = 0; attempt < 30; attempt++) {
    const base = lowest + Math.floor(Math.random() * 1_000) * 10;
    const free = await Promise.all(Array.from({ length: 9 }, (_, i) => pickFreePort(base + i).then(() => true, () => false)));
    if (free.every(Boolean)) return base;
  }
  throw new Error(`no free run of 9 ports found between ${lowest} and ${lowest + 10_000}`);
}
