import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** The environment of a child process with nothing AWS_ from this process (the local cloud put its endpoints there). */
export const envWithoutAws = (): NodeJS.ProcessEnv => Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith('AWS_')));

/**
 * The CLI's environment: the user's own ~/.aws files kept out (a profile on the machine must not
 * point a call elsewhere), and every HTTPS request sent to a dead loopback proxy, so that a CLI
 * that ignored the endpoint variables could never reach AWS from a test (the local cloud is
 * plain http on 127.0.0.1, which bypasses the proxy).
 */
function cliEnv(): NodeJS.ProcessEnv {
  return {
    ...envWithoutAws(),
    AWS_CONFIG_FILE: '/nonexistent',
    AWS_SHARED_CREDENTIALS_FILE: '/nonexistent',
    HTTPS_PROXY: 'http://127.0.0.1:9',
    https_proxy: 'http://127.0.0.1:9',
    NO_PROXY: '127.0.0.1,localhost',
    no_proxy: '127.0.0.1,localhost',
  };
}

let checked: Promise<void> | undefined;

/** AWS CLI v1.29+ and v2.13+ read `AWS_ENDPOINT_URL_<SERVICE>`; older ones (Debian's v2.9) do not. */
function checkCliVersion(): Promise<void> {
  checked ??= run('aws', ['--version'], { env: cliEnv(), timeout: 30_000 }).then(
    ({ stdout, stderr }) => {
      const [, major = '0', minor = '0'] = /aws-cli\/(\d+)\.(\d+)/.exec(`${stdout}${stderr}`) ?? [];
      const [m, n] = [Number(major), Number(minor)];
      if (!((m === 1 && n >= 29) || (m === 2 && n >= 13) || m > 2)) {
        throw new Error(`the AWS CLI here is ${m}.${n}; one that reads AWS_ENDPOINT_URL_* is needed (v1.29+ or v2.13+): pip install 'awscli>=1.29'`);
      }
    },
    (error: unknown) => {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw new Error("the AWS CLI (`aws`) is not installed: pip install 'awscli>=1.29'", { cause: error });
      throw error;
    },
  );
  return checked;
}

/**
 * Runs the AWS CLI the way a user does after `source .gatehouse/endpoints.env`: a shell that
 * sources the file, then `aws <args> --output json`, with no --endpoint-url. It fails, saying
 * how to get one, when the CLI is missing or too old to read the endpoint variables (it is on
 * every machine of this project, CI included).
 */
export async function awsCli(endpointsEnv: string, args: string[]): Promise<unknown> {
  await checkCliVersion();
  try {
    const { stdout } = await run('bash', ['-c', 'source "$0" && exec aws "$@" --output json', endpointsEnv, ...args], { env: cliEnv(), timeout: 60_000 });
    return stdout.trim() === '' ? {} : JSON.parse(stdout);
  } catch (error) {
    const failure = error as NodeJS.ErrnoException & { stderr?: string };
    throw new Error(`aws ${args.join(' ')} failed: ${failure.stderr?.trim() ?? failure.message}`, { cause: error });
  }
}
