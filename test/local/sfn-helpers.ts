import {
  DescribeExecutionCommand,
  GetExecutionHistoryCommand,
  type DescribeExecutionOutput,
  type HistoryEvent,
  type SFNClient,
} from '@aws-sdk/client-sfn';
import { onTestFinished } from 'vitest';
import type { Emulator } from '../../local/core/emulator.ts';
import { startHttpServer } from '../../local/core/http.ts';
import { eventually } from '../support/poll.ts';

export { eventually };

export const FN_PREFIX = 'arn:aws:lambda:us-east-1:000000000000:function:';

/** ASL text for a machine made of `states`, starting at the first one. */
export function asl(states: Record<string, unknown>, extra: Record<string, unknown> = {}): string {
  return JSON.stringify({ StartAt: Object.keys(states)[0], States: states, ...extra });
}

export type FakeFunction = (payload: unknown) => unknown;

/** An in-process `invokeFunction` over named fakes; every call is recorded. */
export function fakeLambda(functions: Record<string, FakeFunction>) {
  const calls: { name: string; payload: unknown }[] = [];
  const invokeFunction = async (functionArn: string, payload: unknown): Promise<unknown> => {
    const name = functionArn.split(':')[6] ?? functionArn;
    calls.push({ name, payload });
    const fn = functions[name];
    if (!fn) throw Object.assign(new Error(`Function not found: ${functionArn}`), { name: 'ResourceNotFoundException' });
    return await fn(payload);
  };
  return { calls, invokeFunction };
}

export class DomainError extends Error {
  constructor(name: string, message: string) {
    super(message);
    this.name = name;
  }
}

/** Waits until the execution is no longer RUNNING and returns its description. */
export async function finished(client: SFNClient, executionArn: string, timeoutMs = 10_000): Promise<DescribeExecutionOutput> {
  return eventually(
    async () => {
      const description = await client.send(new DescribeExecutionCommand({ executionArn }));
      return description.status === 'RUNNING' ? undefined : description;
    },
    `${executionArn} to finish`,
    timeoutMs,
  );
}

/** The whole history of an execution, every page. */
export async function historyOf(client: SFNClient, executionArn: string): Promise<HistoryEvent[]> {
  const events: HistoryEvent[] = [];
  let nextToken: string | undefined;
  do {
    const page = await client.send(new GetExecutionHistoryCommand({ executionArn, maxResults: 1000, nextToken }));
    events.push(...(page.events ?? []));
    nextToken = page.nextToken;
  } while (nextToken);
  return events;
}

/** The error a call rejects with; a call that succeeds fails the test. */
export async function rejection(call: Promise<unknown>): Promise<unknown> {
  return call.then(
    () => {
      throw new Error('expected the call to be rejected');
    },
    (error: unknown) => error,
  );
}

/** Serves an emulator for one test only (restarts): stopped and closed when the test ends. */
export async function serveForThisTest(emulator: Emulator): Promise<string> {
  const server = await startHttpServer(0, emulator.handler);
  onTestFinished(async () => {
    await emulator.stop?.();
    await server.close();
  });
  return server.url;
}
