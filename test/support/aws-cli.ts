import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** The environment of a child process with nothing AWS_ from this process (the local cloud put its endpoints there). */
export const envWithoutAws = (): NodeJS.ProcessEnv => Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith('AWS_')));

/**
 * Runs the AWS CLI the way a user does after `source .gatehouse/endpoints.env`: a shell that
 * sources the file, then `aws <args> --output json`. No --endpoint-url: the CLI (v1.29+ and v2)
 * reads `AWS_ENDPOINT_URL_<SERVICE>` itself. The user's own ~/.aws files are kept out so a
 * profile on the machine cannot point the call elsewhere. Without the CLI the call fails saying
 * how to install it (it is on every machine of this project, CI included).
 */
export async function awsCli(endpointsEnv: string, args: string[]): Promise<unknown> {
  const env = { ...envWithoutAws(), AWS_CONFIG_FILE: '/nonexistent', AWS_SHARED_CREDENTIALS_FILE: '/nonexistent' };
  try {
    const { stdout } = await run('bash', ['-c', 'source "$0" && exec aws "$@" --output json', endpointsEnv, ...args], { env, timeout: 60_000 });
    return stdout.trim() === '' ? {} : JSON.parse(stdout);
  } catch (error) {
    const failure = error as NodeJS.ErrnoException & { stderr?: string };
    if (failure.stderr?.includes('aws: command not found')) throw new Error('the AWS CLI (`aws`) is not installed: pip install awscli', { cause: error });
    throw new Error(`aws ${args.join(' ')} failed: ${failure.stderr?.trim() ?? failure.message}`, { cause: error });
  }
}
