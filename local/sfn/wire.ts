import { z } from 'zod';
import { AwsError, validationError } from '../core/aws-error.ts';
import { paginate as pageOf, type Page } from '../core/pagination.ts';
import type { ExecutionRecord } from './executions.ts';

/** Limits and shapes of the Step Functions API, checked the way AWS checks them. */
export const MAX_PAYLOAD_BYTES = 256 * 1024;
/** "Maximum execution history size: 25,000 events ... If the execution history reaches this quota, the execution will fail." */
export const MAX_HISTORY_EVENTS = 25_000;
const EXECUTION_ARN = /^arn:aws:states:[a-z0-9-]+:\d{12}:execution:[^:]+:[^:]+$/;
const MAP_RUN_ARN = /^arn:aws:states:[a-z0-9-]+:\d{12}:mapRun:[^:]+\/[^:]+:[^:]+$/;
const STATE_MACHINE_ARN = /^arn:aws:states:[a-z0-9-]+:\d{12}:stateMachine:[^:]+$/;
// Whitespace, brackets, wildcards, special characters and control characters are refused.
// eslint-disable-next-line no-control-regex
const FORBIDDEN_NAME_CHARS = /[\s<>{}[\]?*"#%\\^|~`$&,;:/\u0000-\u001f\u007f-\u009f]/u;

/** Parses a request with a zod schema; the first problem becomes a ValidationException naming the field. */
export function parseRequest<T>(schema: z.ZodType<T>, input: unknown): T {
  const parsed = schema.safeParse(input);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const field = issue?.path.join('.') || 'request';
  throw validationError(`1 validation error detected: Value at '${field}' failed to satisfy constraint: ${issue?.message ?? 'invalid'}`);
}

export const maxResultsSchema = z.number().int().min(0).max(1000).optional();
export const nextTokenSchema = z.string().min(1).max(1024).optional();

export function checkExecutionArn(arn: string): void {
  if (!EXECUTION_ARN.test(arn)) throw new AwsError('InvalidArn', `Invalid Arn: 'Resource type not valid in this context: ${arn}'`);
}

export function checkMapRunArn(arn: string): void {
  if (!MAP_RUN_ARN.test(arn)) throw new AwsError('InvalidArn', `Invalid Arn: 'Resource type not valid in this context: ${arn}'`);
}

export function checkStateMachineArn(arn: string): void {
  if (!STATE_MACHINE_ARN.test(arn)) throw new AwsError('InvalidArn', `Invalid Arn: 'Resource type not valid in this context: ${arn}'`);
}

export function checkExecutionName(name: string): void {
  if (name.length < 1 || name.length > 80 || FORBIDDEN_NAME_CHARS.test(name)) {
    throw new AwsError('InvalidName', `Invalid Name: '${name}'`);
  }
}

/** Execution input: JSON (an object, unless `objectOnly` is false) of at most 256 KiB. */
export function checkExecutionInput(input: string, objectOnly = true): void {
  if (Buffer.byteLength(input, 'utf8') > MAX_PAYLOAD_BYTES) {
    throw new AwsError('InvalidExecutionInput', 'Input exceeds the maximum size of 262144 bytes');
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(input);
  } catch {
    throw new AwsError('InvalidExecutionInput', 'Invalid State Machine Execution Input: the input is not valid JSON');
  }
  if (objectOnly && (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))) {
    throw new AwsError('InvalidExecutionInput', 'Invalid State Machine Execution Input: the input must be a JSON object');
  }
}

/** One page of a listing; tokens are opaque to clients and bound to `scope`. */
export function paginate<T>(items: T[], scope: string, maxResults: number | undefined, nextToken: string | undefined): Page<T> {
  return pageOf(items, { scope, maxResults, nextToken, invalidToken: () => new AwsError('InvalidToken', 'Invalid pagination token') });
}

const seconds = (ms: number | undefined): number | undefined => (ms === undefined ? undefined : ms / 1000);

/** A ListExecutions entry; a Map Run's child carries its Map Run and item count. */
export const executionListItem = (record: ExecutionRecord): Record<string, unknown> => ({
  executionArn: record.executionArn,
  stateMachineArn: record.stateMachineArn,
  name: record.name,
  status: record.status,
  startDate: seconds(record.startDate),
  stopDate: seconds(record.stopDate),
  ...(record.mapRunArn !== undefined ? { mapRunArn: record.mapRunArn, itemCount: record.itemCount ?? 1 } : {}),
  redriveCount: record.redriveCount,
});

/** DescribeExecution's answer: the list entry, with input, output, error and redrive status. */
export function describeExecution(record: ExecutionRecord): Record<string, unknown> {
  return {
    ...executionListItem(record),
    input: record.input,
    inputDetails: { included: true },
    ...(record.output !== undefined ? { output: record.output, outputDetails: { included: true } } : {}),
    error: record.error,
    cause: record.cause,
    ...(record.mapRunArn !== undefined ? { mapRunArn: record.mapRunArn } : {}),
    redriveStatus: 'NOT_REDRIVABLE',
  };
}
