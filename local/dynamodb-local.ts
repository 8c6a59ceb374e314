import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer, type AddressInfo } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { requireJava } from './java.ts';

export { JavaMissingError } from './java.ts';
export { ensureTables, type LocalTableSpec } from './dynamodb-tables.ts';

export interface DynamoDbLocalOptions {
  /** Port to serve on; 0 picks a free one. */
  port: number;
  /** Folder for `-dbPath` (created if missing) so data survives restarts; omit to run `-inMemory`. */
  dataDir?: string;
  /** The Java executable (default `java` on PATH). */
  javaCommand?: string;
  /** How long to wait for the first successful ListTables (default 30 s). */
  readyTimeoutMs?: number;
}

export interface RunningDynamoDbLocal {
  endpoint: string;
  /** The Java process id (for measuring its memory). */
  pid: number;
  /** Stops the engine (SIGTERM, SIGKILL after 5 s); resolves once the process has exited. */
  stop(): Promise<void>;
}

/** DynamoDB Local died or never answered. The message carries the tail of its output. */
export class DynamoDbLocalStartError extends Error {
  constructor(message: string, readonly output: string) {
    super(output ? `${message}\n--- DynamoDB Local output (tail) ---\n${output}` : message);
    this.name = 'DynamoDbLocalStartError';
  }
}

const OUTPUT_TAIL_CHARS = 4_000;
const STOP_GRACE_MS = 5_000;
const PORT_RACE_RETRIES = 3;

/** The `emulator/` folder of the installed `amplify-dynamodb-simulator` package. */
export function dynamoDbLocalDir(): string {
  const pkg = createRequire(import.meta.url).resolve('amplify-dynamodb-simulator/package.json');
  const dir = join(dirname(pkg), 'emulator');
  if (!existsSync(join(dir, 'DynamoDBLocal.jar'))) {
    throw new Error(`DynamoDBLocal.jar is missing from ${dir}; reinstall the amplify-dynamodb-simulator package`);
  }
  return dir;
}

/** A port that was free on loopback a moment ago (`port` 0 picks one; otherwise rejects if it is taken). */
export async function pickFreePort(port = 0): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolvePort(port));
    });
  });
}

const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));

function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((done) => child.once('exit', () => done()));
}

/** Polls ListTables until it answers; rejects early if the process dies. */
async function waitUntilReady(endpoint: string, child: ChildProcess, timeoutMs: number): Promise<void> {
  const client = new DynamoDBClient({
    endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    maxAttempts: 1,
  });
  const deadline = Date.now() + timeoutMs;
  try {
    for (;;) {
      if (child.exitCode !== null || child.signalCode !== null) {
        throw new Error(`exited (${child.exitCode ?? child.signalCode}) before it was ready`);
      }
      try {
        await client.send(new ListTablesCommand({ Limit: 1 }), { abortSignal: AbortSignal.timeout(2_000) });
        return;
      } catch {
        if (Date.now() > deadline) throw new Error(`did not answer ListTables within ${timeoutMs} ms`);
        await sleep(100);
      }
    }
  } finally {
    client.destroy();
  }
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const done = exited(child);
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), STOP_GRACE_MS);
  await done;
  clearTimeout(timer);
}

async function launch(options: DynamoDbLocalOptions, javaCommand: string, port: number): Promise<RunningDynamoDbLocal> {
  const libDir = dynamoDbLocalDir();
  const storage = options.dataDir ? ['-dbPath', resolve(options.dataDir)] : ['-inMemory'];
  if (options.dataDir) mkdirSync(resolve(options.dataDir), { recursive: true });
  // The jar has no bind-address option (Jetty `new Server(port)`): it listens on every interface.
  const args = [`-Djava.library.path=${join(libDir, 'DynamoDBLocal_lib')}`, '-jar', join(libDir, 'DynamoDBLocal.jar')];
  args.push('-sharedDb', ...storage, '-port', String(port), '-disableTelemetry');
  const child = spawn(javaCommand, args, { cwd: libDir, stdio: ['ignore', 'pipe', 'pipe'] });

  let output = '';
  const collect = (chunk: Buffer) => (output = (output + chunk.toString('utf8')).slice(-OUTPUT_TAIL_CHARS));
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  let spawnError: Error | undefined;
  child.once('error', (error) => (spawnError = error));
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);

  const endpoint = `http://127.0.0.1:${port}`;
  try {
    await waitUntilReady(endpoint, child, options.readyTimeoutMs ?? 30_000);
    if (child.exitCode !== null || child.signalCode !== null) throw new Error('exited right after it answered');
  } catch (error) {
    await stopChild(child);
    process.off('exit', killOnExit);
    const reason = spawnError?.message ?? (error instanceof Error ? error.message : String(error));
    throw new DynamoDbLocalStartError(`DynamoDB Local on port ${port} ${reason}`, output.trim());
  }

  let stopping: Promise<void> | undefined;
  return {
    endpoint,
    pid: child.pid ?? -1,
    stop: () =>
      (stopping ??= stopChild(child).finally(() => {
        process.off('exit', killOnExit);
        child.stdout?.removeAllListeners('data');
        child.stderr?.removeAllListeners('data');
      })),
  };
}

/**
 * Runs the real DynamoDB Local engine (the jar inside `amplify-dynamodb-simulator`) with the
 * machine's Java, `-sharedDb` so every credential and region sees the same tables. Resolves once
 * ListTables answers. Throws JavaMissingError when Java 17+ is not available. The child is killed
 * when this process exits.
 */
export async function startDynamoDbLocal(options: DynamoDbLocalOptions): Promise<RunningDynamoDbLocal> {
  const javaCommand = options.javaCommand ?? 'java';
  await requireJava(javaCommand);
  for (let attempt = 1; ; attempt += 1) {
    // A fixed port is checked first, so a server already on it is not mistaken for ours.
    const port = await pickFreePort(options.port).catch((error: unknown) => {
      throw new DynamoDbLocalStartError(`DynamoDB Local cannot use port ${options.port}: ${String(error)}`, '');
    });
    try {
      return await launch(options, javaCommand, port);
    } catch (error) {
      // A free port picked by us can be taken before Java binds it: pick another.
      const portRace = error instanceof DynamoDbLocalStartError && /Could not start server on port/.test(error.output);
      if (options.port !== 0 || !portRace || attempt >= PORT_RACE_RETRIES) throw error;
    }
  }
}
