/**
 * One place where every failure of a `gatehouse` command becomes one line on stderr and an exit
 * code. A newcomer sees what is wrong and what to do, never a stack trace for a failure we can
 * foresee (a typo, a missing `source`, a table that does not exist, a folder that cannot be written).
 * Only an error nobody foresaw keeps its stack, because that is a bug to report.
 */
export interface CliIo {
  stdout(text: string): void;
  stderr(text: string): void;
}

/** Exit codes shared by every command; a command documents the ones it uses. */
export const EXIT_USAGE = 2;
/** The environment or a service refused (not reachable, not found, not allowed). */
export const EXIT_SERVICE = 3;

/** An expected failure: its message is the whole story, `code` the exit code. */
export class CliError extends Error {
  override readonly name: string = 'CliError';
  constructor(
    message: string,
    readonly code: number = EXIT_SERVICE,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

/** The command line itself is wrong: exit 2, one line, with a pointer to --help. */
export class UsageError extends CliError {
  override readonly name = 'UsageError';
  constructor(message: string) {
    super(message, EXIT_USAGE);
  }
}

const isParseArgsError = (error: unknown): error is TypeError =>
  error instanceof TypeError && 'code' in error && String((error as { code: unknown }).code).startsWith('ERR_PARSE_ARGS');

interface SdkError extends Error {
  $metadata?: { httpStatusCode?: number };
  $fault?: string;
}
const isSdkError = (error: unknown): error is SdkError => error instanceof Error && '$metadata' in error;

const SOURCE_HINT = 'source .gatehouse/endpoints.env for the local cloud (npm start), or set AWS_REGION / AWS_PROFILE for AWS';

/** Node's system errors (fs, net) carry a code and usually a path or an address. */
function systemError(error: Error & { code?: string; path?: string; address?: string; port?: number }): CliError | undefined {
  const where = error.path ?? (error.address ? `${error.address}${error.port ? `:${error.port}` : ''}` : '');
  switch (error.code) {
    case 'ENOENT':
      return new CliError(`${where || 'a file'} does not exist`, EXIT_USAGE);
    case 'ENOTDIR':
      return new CliError(`${where || 'a path'}: a part of it is a file, not a folder`, EXIT_USAGE);
    case 'EISDIR':
      return new CliError(`${where || 'a path'} is a folder, a file was expected`, EXIT_USAGE);
    case 'EACCES':
    case 'EPERM':
    case 'EROFS':
      return new CliError(`${where || 'a path'} cannot be written or read here (${error.code})`, EXIT_USAGE);
    case 'ECONNREFUSED':
      return new CliError(`nothing answers at ${where || 'the endpoint'}: is the local cloud running (npm start), and is the sourced endpoints.env its current one?`);
    default:
      return undefined;
  }
}

/** What an error means to the person who typed the command; undefined for an unforeseen one. */
export function explain(error: unknown): CliError | undefined {
  if (error instanceof CliError) return error;
  if (isParseArgsError(error)) return new UsageError(error.message.replace(/\. To specify a positional argument.*$/s, ''));
  if (!(error instanceof Error)) return undefined;
  // The SDK's own configuration errors come before any request is sent.
  if (/Region is missing/.test(error.message)) return new CliError(`no AWS region configured: ${SOURCE_HINT}`, EXIT_USAGE);
  if (error.name === 'CredentialsProviderError') return new CliError(`no AWS credentials: ${SOURCE_HINT}`, EXIT_USAGE);
  const cause = (error as { cause?: unknown }).cause;
  const system = systemError(error) ?? (cause instanceof Error ? systemError(cause) : undefined);
  if (system) return system;
  if (isSdkError(error)) {
    const status = error.$metadata?.httpStatusCode;
    return new CliError(`AWS answered ${error.name}${status ? ` (HTTP ${status})` : ''}: ${error.message}`);
  }
  if (error.name === 'ExportFormatError' || error.name === 'RangeError') return new CliError(error.message, EXIT_USAGE);
  return undefined;
}

/**
 * Runs one command: `--help`/`-h` anywhere prints its usage (exit 0); any foreseen failure is one
 * line `gatehouse <command>: <what is wrong>` and its exit code. Returns the exit code.
 */
export async function runCommand(command: string, usage: string, argv: readonly string[], io: CliIo, body: () => Promise<number>): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    io.stdout(usage.endsWith('\n') ? usage : `${usage}\n`);
    return 0;
  }
  try {
    return await body();
  } catch (error) {
    const known = explain(error);
    if (!known) throw error;
    const hint = known.code === EXIT_USAGE && known instanceof UsageError ? ` (npm run gatehouse -- ${command} --help)` : '';
    io.stderr(`gatehouse ${command}: ${known.message.split('\n')[0]}${hint}\n`);
    return known.code;
  }
}
