import { fork, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { SuiteContext } from './suite.ts';

/**
 * Runs part of a suite in a child process (forked with this process's execArgv, so under
 * tsx too). Suites that boot a local cloud AND load function handlers need one process per
 * cloud: a handler module is a Lambda container, its module-level state outlives the cloud
 * it first met (SDK clients memoise the endpoint of their first call, Powertools caches the
 * signing secret, config is parsed at import). A second cloud in the same process would be
 * talked to through the first one's, long closed, ports and keys.
 *
 * The child is the suite file itself: it ends with `if (isWorkerEntry(import.meta.url)) serveWorker(fn)`.
 */

type Reply<T> = { ok: true; result: T } | { ok: false; error: string };

/** Output kept from a worker, shown only when it fails (Powertools logs go there too). */
const TAIL_BYTES = 8 * 1024;

/** True when `moduleUrl` is the file node was started with (`node file.ts task-json`). */
export function isWorkerEntry(moduleUrl: string): boolean {
  const entry = process.argv[1];
  return entry !== undefined && typeof process.send === 'function' && pathToFileURL(resolve(entry)).href === moduleUrl;
}

/** Cleanups a worker registers; run after its answer is sent, or on SIGTERM / SIGINT. */
export class WorkerCleanups {
  private readonly list: (() => Promise<void> | void)[] = [];
  private running: Promise<void> | undefined;

  defer(cleanup: () => Promise<void> | void): void {
    this.list.push(cleanup);
  }

  /** Runs every cleanup once, last registered first; a second call waits for the first. */
  run(): Promise<void> {
    this.running ??= this.runAll();
    return this.running;
  }

  private async runAll(): Promise<void> {
    for (const cleanup of this.list.splice(0).reverse()) {
      try {
        await cleanup();
      } catch (error) {
        console.error('[bench worker] cleanup failed:', error);
      }
    }
  }
}

function send<T>(reply: Reply<T>): Promise<void> {
  return new Promise((done) => {
    if (!process.send) return done();
    process.send(reply, undefined, {}, () => done());
  });
}

/** The child side: parses the task from argv, runs `fn`, answers the parent over IPC, cleans up, exits. */
export function serveWorker<Task, Result>(fn: (task: Task, cleanups: WorkerCleanups) => Promise<Result>): void {
  const cleanups = new WorkerCleanups();
  const stop = () => {
    void cleanups.run().finally(() => process.exit(143));
  };
  // `on`, not `once`: Ctrl-C reaches the worker twice (SIGINT from the terminal, SIGTERM from
  // the parent's cleanup), and a second signal must not end it before its cloud has stopped.
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  const run = async (): Promise<Reply<Result>> => {
    try {
      return { ok: true, result: await fn(JSON.parse(process.argv[2] ?? 'null') as Task, cleanups) };
    } catch (error) {
      return { ok: false, error: error instanceof Error ? (error.stack ?? error.message) : String(error) };
    }
  };
  void run()
    .then(send)
    .finally(async () => {
      await cleanups.run();
      process.exit(0);
    });
}

function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((done) => child.once('exit', () => done()));
}

/** The parent side: forks `moduleUrl` with `task`, answers its result. The child is killed if the suite ends first. */
export async function runWorker<Task, Result>(ctx: SuiteContext, moduleUrl: string, task: Task): Promise<Result> {
  const child = fork(fileURLToPath(moduleUrl), [JSON.stringify(task)], { stdio: ['ignore', 'pipe', 'pipe', 'ipc'] });
  ctx.defer(async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    await exited(child);
  });
  let tail = '';
  const keep = (chunk: Buffer) => {
    tail = (tail + chunk.toString('utf8')).slice(-TAIL_BYTES);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);

  const reply = await new Promise<Reply<Result> | undefined>((done) => {
    child.once('message', (message) => done(message as Reply<Result>));
    child.once('exit', () => done(undefined));
  });
  await exited(child);
  if (reply === undefined) throw new Error(`bench worker exited (${child.exitCode ?? child.signalCode}) without an answer; its last output:\n${tail}`);
  if (!reply.ok) throw new Error(`bench worker failed: ${reply.error}\nits last output:\n${tail}`);
  return reply.result;
}
