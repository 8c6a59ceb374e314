import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Context } from 'aws-lambda';
import { functionArn, functionFolderFromArn, LOCAL_REGION } from './core/arn.ts';

type LambdaHandler = (event: unknown, context: Context) => Promise<unknown>;

/** Thrown for an ARN that names no function folder; `name` mirrors Lambda's error. */
export class FunctionNotFoundError extends Error {
  constructor(arn: string) {
    super(`Function not found: ${arn}`);
    this.name = 'ResourceNotFoundException';
  }
}

/** A handler that ran past its timeout, as Lambda reports it. */
export class FunctionTimeoutError extends Error {
  constructor(folder: string, seconds: number) {
    super(`gatehouse-${folder} timed out after ${seconds} seconds`);
    this.name = 'Sandbox.Timedout';
  }
}

/** The context Lambda hands `gatehouse-<folder>`, with `timeoutMs` left from now. */
export function lambdaContext(folder: string, timeoutMs: number): Context {
  const deadline = Date.now() + timeoutMs;
  const name = `gatehouse-${folder}`;
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName: name,
    functionVersion: '$LATEST',
    invokedFunctionArn: functionArn(folder),
    memoryLimitInMB: '512',
    awsRequestId: randomUUID(),
    logGroupName: `/aws/lambda/${name}`,
    logStreamName: `local/${LOCAL_REGION}/${randomUUID()}`,
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}

/** JSON round trip: what crosses the Lambda boundary is serialised, so nothing else leaks. */
export const overTheWire = (value: unknown): unknown => (value === undefined ? null : JSON.parse(JSON.stringify(value)));

/**
 * Runs the production handlers in `functions/<folder>/handler.ts` in-process, with a
 * Lambda-shaped context, serialised input and output, and a timeout. Modules load once
 * (a warm container); errors keep their `name`, which Step Functions matches on.
 */
export class LocalLambdaRuntime {
  private readonly loaded = new Map<string, Promise<LambdaHandler>>();

  constructor(
    private readonly functionsDir: string,
    private readonly timeoutMs = 300_000,
  ) {}

  has(arnOrName: string): boolean {
    const folder = functionFolderFromArn(arnOrName);
    return folder !== undefined && existsSync(join(this.functionsDir, folder, 'handler.ts'));
  }

  async invoke(arnOrName: string, payload: unknown): Promise<unknown> {
    const folder = functionFolderFromArn(arnOrName);
    if (!folder || !this.has(arnOrName)) throw new FunctionNotFoundError(arnOrName);
    const handler = await this.load(folder);
    const context = lambdaContext(folder, this.timeoutMs);
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_resolve, reject) => {
      timer = setTimeout(() => reject(new FunctionTimeoutError(folder, this.timeoutMs / 1000)), this.timeoutMs);
    });
    try {
      return overTheWire(await Promise.race([handler(overTheWire(payload), context), timeout]));
    } finally {
      clearTimeout(timer);
    }
  }

  private load(folder: string): Promise<LambdaHandler> {
    let pending = this.loaded.get(folder);
    if (!pending) {
      const file = pathToFileURL(join(this.functionsDir, folder, 'handler.ts')).href;
      pending = import(file).then((module: { handler?: LambdaHandler }) => {
        if (typeof module.handler !== 'function') throw new Error(`functions/${folder}/handler.ts exports no handler`);
        return module.handler;
      });
      this.loaded.set(folder, pending);
    }
    return pending;
  }
}
