import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Context } from 'aws-lambda';
import { functionArn, functionFolderFromArn, LOCAL_REGION } from './core/arn.ts';

type LambdaHandler = (event: unknown, context: Context) => Promise<unknown>;

/**
 * How the local runtime fails, shaped as the Lambda service answers an Invoke, so the local
 * Step Functions names each failure as AWS does (local/sfn/lambda-errors.ts):
 * - a handler's own error keeps its `name` (Lambda's `errorType`);
 * - a timeout or a runtime crash (out of memory) is FunctionError "Unhandled" with a payload
 *   that has no error type, which Step Functions reports as `Lambda.Unknown`;
 * - an unknown function is the service's ResourceNotFoundException (`Lambda.ResourceNotFoundException`).
 */
export class FunctionNotFoundError extends Error {
  readonly lambdaServiceError = true;
  constructor(arn: string) {
    super(`Function not found: ${arn}`);
    this.name = 'ResourceNotFoundException';
  }
}

/** A function that failed without returning an error type: Lambda's FunctionError "Unhandled". */
export class UnhandledFunctionError extends Error {
  readonly functionError = 'Unhandled';
  constructor(
    name: string,
    readonly payload: { errorMessage: string },
  ) {
    super(payload.errorMessage);
    this.name = name;
  }
}

/** A handler that ran past its timeout. The payload is what Lambda returns (seen on AWS: `<time> <request id> Task timed out after 3.01 seconds`). */
export class FunctionTimeoutError extends UnhandledFunctionError {
  constructor(requestId: string, seconds: number) {
    super('FunctionTimeoutError', { errorMessage: `${new Date().toISOString()} ${requestId} Task timed out after ${seconds.toFixed(2)} seconds` });
  }
}

/** The runtime process died under the handler (out of memory): what Lambda returns for a killed runtime. */
export class FunctionCrashError extends UnhandledFunctionError {
  constructor(requestId: string) {
    super('FunctionCrashError', { errorMessage: `RequestId: ${requestId} Error: Runtime exited with error: signal: killed` });
  }
}

/** An injected failure: the next invocations of a function crash (as if out of memory). */
export type RuntimeFault = 'out-of-memory';

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
  private readonly faults = new Map<string, { fault: RuntimeFault; remaining: number }>();

  constructor(
    private readonly functionsDir: string,
    private readonly timeoutMs = 300_000,
    /** Per-folder timeouts (ms), as each function's own Lambda timeout. */
    private readonly timeouts: Record<string, number> = {},
  ) {}

  has(arnOrName: string): boolean {
    const folder = functionFolderFromArn(arnOrName);
    return folder !== undefined && existsSync(join(this.functionsDir, folder, 'handler.ts'));
  }

  /** Makes the next `times` invocations of `folder` fail with `fault` (fault injection for tests). */
  injectFault(folder: string, fault: RuntimeFault, times = 1): void {
    this.faults.set(folder, { fault, remaining: times });
  }

  async invoke(arnOrName: string, payload: unknown): Promise<unknown> {
    const folder = functionFolderFromArn(arnOrName);
    if (!folder || !this.has(arnOrName)) throw new FunctionNotFoundError(arnOrName);
    const handler = await this.load(folder);
    const timeoutMs = this.timeouts[folder] ?? this.timeoutMs;
    const context = lambdaContext(folder, timeoutMs);
    const fault = this.faults.get(folder);
    if (fault && fault.remaining > 0) {
      fault.remaining -= 1;
      throw new FunctionCrashError(context.awsRequestId);
    }
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_resolve, reject) => {
      timer = setTimeout(() => reject(new FunctionTimeoutError(context.awsRequestId, timeoutMs / 1000)), timeoutMs);
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
