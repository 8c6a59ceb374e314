import { spawn } from 'node:child_process';

/** The oldest Java that DynamoDB Local 1.25 runs on. */
export const MIN_JAVA_MAJOR = 17;

const INSTALL_HINT =
  'Install Java 17 or newer: Debian/Ubuntu `sudo apt-get install -y openjdk-17-jre-headless`, ' +
  'macOS `brew install openjdk@17` (then put its bin folder on PATH).';

/** Java is absent, unusable or too old to run DynamoDB Local. The message says how to install it. */
export class JavaMissingError extends Error {
  constructor(detail: string, options?: { cause?: unknown }) {
    super(`DynamoDB Local needs Java ${MIN_JAVA_MAJOR}+, but ${detail}. ${INSTALL_HINT}`, options);
    this.name = 'JavaMissingError';
  }
}

/** The major version in `java -version` output: `"17.0.15"` gives 17, the old `"1.8.0_422"` gives 8. */
export function parseJavaMajor(versionOutput: string): number | undefined {
  const match = /version "(\d+)(?:\.(\d+))?/.exec(versionOutput);
  if (!match?.[1]) return undefined;
  const first = Number(match[1]);
  return first === 1 && match[2] ? Number(match[2]) : first;
}

/** Runs `<javaCommand> -version` and resolves with the major version, or throws JavaMissingError. */
export async function requireJava(javaCommand: string, timeoutMs = 15_000): Promise<number> {
  const { code, output, error } = await new Promise<{ code: number | null; output: string; error?: Error }>((resolve) => {
    const child = spawn(javaCommand, ['-version'], { stdio: ['ignore', 'pipe', 'pipe'], timeout: timeoutMs });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    child.once('error', (spawnError) => resolve({ code: null, output, error: spawnError }));
    child.once('close', (exitCode) => resolve({ code: exitCode, output }));
  });
  if (error) {
    const notFound = (error as NodeJS.ErrnoException).code === 'ENOENT';
    throw new JavaMissingError(notFound ? `"${javaCommand}" was not found` : `"${javaCommand}" could not be run`, {
      cause: error,
    });
  }
  const major = parseJavaMajor(output);
  if (code !== 0 || major === undefined) {
    throw new JavaMissingError(`"${javaCommand} -version" failed (exit ${String(code)}): ${output.trim().slice(0, 300)}`);
  }
  if (major < MIN_JAVA_MAJOR) throw new JavaMissingError(`"${javaCommand}" is Java ${major}`);
  return major;
}
