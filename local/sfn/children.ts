import { createHash } from 'node:crypto';
import { AwsError } from '../core/aws-error.ts';
import { TASK_FAILED, TaskError } from './errors.ts';
import type { ExecutionRecord } from './executions.ts';
import type { CallContext } from './integrations.ts';
import { asText, withMetadata } from './payloads.ts';
import type { AttemptEntry } from './journal.ts';
import type { StartPattern } from './resources.ts';
import type { JsonObject, JsonValue } from './types.ts';

/**
 * `arn:aws:states:::states:startExecution[.sync|.sync:2]` run in-process
 * (https://docs.aws.amazon.com/step-functions/latest/dg/connect-stepfunctions.html):
 * - fire and forget answers `{ExecutionArn, StartDate}`;
 * - `.sync` waits for the child and answers its description with Input/Output as JSON text,
 *   `.sync:2` with Input/Output as parsed JSON; a child that does not succeed fails the task
 *   with States.TaskFailed, the cause being that description (with Error and Cause).
 * A child is named by the Name parameter or, without one, after the parent's attempt, so an
 * attempt repeated after a crash finds the child it started instead of starting another.
 * Pass `AWS_STEP_FUNCTIONS_STARTED_BY_EXECUTION_ID.$: $$.Execution.Id` in Input to hand the
 * child its parent's id, as on AWS.
 */
export interface ChildRequest {
  stateMachineArn: string;
  name: string;
  input: string;
  /** A Distributed Map's child: its Map Run and how many items it was given. */
  mapRunArn?: string;
  itemCount?: number;
}

export interface ChildExecutions {
  /** StartExecution for a parent attempt: the same attempt again gets the same child. Throws the API's AwsError. */
  start(request: ChildRequest, parent: { executionArn: string; key: string; stopWithParent?: boolean }): ExecutionRecord;
  /** Stops a running execution as StopExecution does (a failed Map Run aborts its children). */
  stop(executionArn: string, error: string, cause: string): void;
  /** Resolves once the execution has ended. */
  whenDone(executionArn: string, signal: AbortSignal): Promise<ExecutionRecord>;
}

/** A name (UUID-shaped) derived from a parent attempt and an index: the same on every run. */
export function derivedName(parentArn: string, key: string): string {
  const hex = createHash('sha256').update(`${parentArn}\n${key}`).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/** The error an optimized Step Functions call fails with: `StepFunctions.<Code>Exception`. */
function sfnError(error: AwsError): TaskError {
  const code = error.code.endsWith('Exception') ? error.code : `${error.code}Exception`;
  return new TaskError(`StepFunctions.${code}`, `${error.message} (Service: AWSStepFunctions; Status Code: ${error.status}; Error Code: ${error.code}; Request ID: local)`);
}

/** A child's description as the .sync patterns answer it; dates are epoch milliseconds. */
export function describeChild(child: ExecutionRecord, parsed: boolean): JsonObject {
  const data = (text: string): JsonValue => (parsed ? (JSON.parse(text) as JsonValue) : text);
  return {
    ExecutionArn: child.executionArn,
    Input: data(child.input),
    InputDetails: { Included: true },
    Name: child.name,
    StartDate: child.startDate,
    StateMachineArn: child.stateMachineArn,
    Status: child.status,
    ...(child.stopDate !== undefined ? { StopDate: child.stopDate } : {}),
    ...(child.output !== undefined ? { Output: data(child.output), OutputDetails: { Included: true } } : {}),
    ...(child.error !== undefined ? { Error: child.error } : {}),
    ...(child.cause !== undefined ? { Cause: child.cause } : {}),
  };
}

export async function startChild(ctx: CallContext, pattern: StartPattern, params: JsonObject): Promise<JsonValue> {
  const { execution, akey, env } = ctx;
  if (typeof params.StateMachineArn !== 'string') throw new TaskError('States.Runtime', 'states:startExecution needs Parameters.StateMachineArn');
  const parentArn = execution.record.executionArn;
  const name = typeof params.Name === 'string' ? params.Name : derivedName(parentArn, akey);
  let child: ExecutionRecord;
  try {
    child = env.children.start({ stateMachineArn: params.StateMachineArn, name, input: (asText(params.Input) as string | undefined) ?? '{}' }, { executionArn: parentArn, key: akey, stopWithParent: pattern !== 'fire' });
  } catch (error) {
    throw error instanceof AwsError ? sfnError(error) : error;
  }
  const entry = execution.journalEntry<AttemptEntry>(akey);
  if (entry && entry.child !== child.executionArn) execution.setJournal(akey, { ...entry, child: child.executionArn });
  if (pattern === 'fire') return withMetadata({ ExecutionArn: child.executionArn, StartDate: child.startDate });
  const ended = await env.children.whenDone(child.executionArn, ctx.signal);
  const description = describeChild(ended, pattern === 'sync2');
  if (ended.status !== 'SUCCEEDED') throw new TaskError(TASK_FAILED, JSON.stringify(description));
  return pattern === 'sync' ? withMetadata(description) : description;
}
