import { randomUUID } from 'node:crypto';
import { setImmediate as nextMacrotask } from 'node:timers/promises';
import { LOCAL_ACCOUNT, LOCAL_REGION } from '../core/arn.ts';
import { HEARTBEAT_TIMEOUT, STATES_TIMEOUT, type CallbackRegistry } from './callbacks.ts';
import { TASK_TOKEN_PLACEHOLDER, TIMEOUT_FIELD } from './context.ts';
import { lambdaEvent, taskEvent, taskOutputEvent, taskScheduledEvent, type NewEvent } from './history.ts';
import type { TaskStateInfo } from './machines.ts';
import { SUPPORTED_RESOURCES, parseResource, type Integration } from './resources.ts';
import { integrationError, type SdkIntegrations } from './sdk-integrations.ts';
import { RunAbortedError, TaskError, isJsonObject, type JsonValue, type SfnOptions, type TaskHandler } from './types.ts';

/** What the Task handlers share across executions. */
export interface TaskEnvironment {
  invokeFunction: SfnOptions['invokeFunction'];
  sdk: SdkIntegrations;
  callbacks: CallbackRegistry;
  /** See SfnOptions.waitChunkMs. */
  waitChunkMs?: number;
}

/** The run a Task handler works for. */
export interface TaskRun {
  runId: string;
  stopped(): boolean;
  /** Aborted when the run is halted or has ended. */
  signal: AbortSignal;
  /** Map states whose current run has failed: their remaining iterations must not start work (AWS stops them). */
  failedMaps: ReadonlySet<string>;
  record(event: NewEvent): void;
}

const asJson = (value: unknown): JsonValue => (value === undefined ? null : (JSON.parse(JSON.stringify(value)) as JsonValue));

function lambdaFailure(error: unknown): TaskError {
  const err = error instanceof Error ? error : new Error(String(error));
  const cause = { errorMessage: err.message, errorType: err.name, ...(err.stack ? { trace: err.stack.split('\n') } : {}) };
  return new TaskError(err.name, JSON.stringify(cause));
}

const functionArnOf = (name: string): string => {
  if (!name.startsWith('arn:')) return `arn:aws:lambda:${LOCAL_REGION}:${LOCAL_ACCOUNT}:function:${name}`;
  return name.split(':').slice(0, 7).join(':');
};

async function invokeLambda(env: TaskEnvironment, functionName: unknown, payload: unknown): Promise<JsonValue> {
  if (typeof functionName !== 'string' || functionName === '') {
    throw new TaskError('States.Runtime', 'lambda:invoke needs Parameters.FunctionName');
  }
  try {
    return asJson(await env.invokeFunction(functionArnOf(functionName), payload));
  } catch (error) {
    throw lambdaFailure(error);
  }
}

function httpMetadata(): JsonValue {
  const requestId = randomUUID();
  const headers = { 'Content-Type': 'application/json', 'x-amzn-RequestId': requestId, 'X-Amz-Executed-Version': '$LATEST' };
  return {
    SdkHttpMetadata: {
      AllHttpHeaders: Object.fromEntries(Object.entries(headers).map(([key, value]) => [key, [value]])),
      HttpHeaders: headers,
      HttpStatusCode: 200,
    },
    SdkResponseMetadata: { RequestId: requestId },
  };
}

const withMetadata = (result: JsonValue): JsonValue => ({ ...(isJsonObject(result) ? result : {}), ...(httpMetadata() as object) });

/** An Entries / Input member given as JSON in ASL is sent as text, as AWS does. */
const asText = (value: JsonValue | undefined): JsonValue | undefined =>
  value === undefined || typeof value === 'string' ? value : JSON.stringify(value);

async function callIntegration(env: TaskEnvironment, integration: Integration, input: JsonValue): Promise<JsonValue> {
  const params = isJsonObject(input) ? input : {};
  switch (integration.kind) {
    case 'lambda-function':
      return invokeLambda(env, integration.functionArn, input);
    case 'lambda-invoke': {
      const payload = await invokeLambda(env, params.FunctionName, params.Payload ?? {});
      return { ExecutedVersion: '$LATEST', Payload: payload, StatusCode: 200, ...(httpMetadata() as object) };
    }
    case 'dynamodb':
      return withMetadata(await env.sdk.call('dynamodb', integration.action, input, (error) => integrationError('DynamoDB', error)));
    case 'aws-sdk':
      return env.sdk.call(integration.service, integration.action, input);
    case 'events-put': {
      const entries = Array.isArray(params.Entries) ? params.Entries : [];
      const Entries = entries.map((entry) => (isJsonObject(entry) ? { ...entry, Detail: asText(entry.Detail) ?? '{}' } : entry));
      const result = await env.sdk.call('eventbridge', 'putEvents', { ...params, Entries }, (error) =>
        integrationError('EventBridge', error),
      );
      if (isJsonObject(result) && typeof result.FailedEntryCount === 'number' && result.FailedEntryCount > 0) {
        throw new TaskError('EventBridge.FailedEntry', JSON.stringify(result));
      }
      return result;
    }
    case 'states-start': {
      const startInput = asText(params.Input);
      const call = { ...params, ...(startInput !== undefined ? { Input: startInput } : {}) };
      return withMetadata(await env.sdk.call('sfn', 'startExecution', call, (error) => integrationError('StepFunctions', error)));
    }
  }
}

function replaceToken(value: JsonValue, token: string): JsonValue {
  if (typeof value === 'string') return value.replaceAll(TASK_TOKEN_PLACEHOLDER, token);
  if (Array.isArray(value)) return value.map((member) => replaceToken(member, token));
  if (isJsonObject(value)) return Object.fromEntries(Object.entries(value).map(([key, member]) => [key, replaceToken(member, token)]));
  return value;
}

const errorFields = (error: unknown) =>
  error instanceof Error ? { error: error.name, cause: error.message } : { error: 'States.TaskFailed', cause: String(error) };

async function runRequest(env: TaskEnvironment, run: TaskRun, task: TaskStateInfo, integration: Integration, input: JsonValue) {
  const bare = integration.kind === 'lambda-function';
  run.record(bare ? lambdaEvent('Scheduled', { resource: task.resource, input: JSON.stringify(input) }) : taskScheduledEvent(task, input));
  run.record(bare ? lambdaEvent('Started') : taskEvent('TaskStarted', task));
  try {
    const output = await callIntegration(env, integration, input);
    run.record(bare ? lambdaEvent('Succeeded', { output: JSON.stringify(output) }) : taskOutputEvent('TaskSucceeded', task, output));
    return output;
  } catch (error) {
    run.record(bare ? lambdaEvent('Failed', errorFields(error)) : taskEvent('TaskFailed', task, errorFields(error)));
    throw error;
  }
}

async function runCallback(env: TaskEnvironment, run: TaskRun, task: TaskStateInfo, integration: Integration, input: JsonValue) {
  const { token, result } = env.callbacks.park({
    runId: run.runId,
    stateName: task.name,
    ...(task.timeoutSeconds !== undefined ? { timeoutSeconds: task.timeoutSeconds } : {}),
    ...(task.heartbeatSeconds !== undefined ? { heartbeatSeconds: task.heartbeatSeconds } : {}),
  });
  result.catch(() => undefined); // settled below, or abandoned if the invoke fails first
  const payload = replaceToken(input, token);
  run.record(taskScheduledEvent(task, payload));
  run.record(taskEvent('TaskStarted', task));
  try {
    run.record(taskOutputEvent('TaskSubmitted', task, await callIntegration(env, integration, payload)));
  } catch (error) {
    env.callbacks.discard(token);
    run.record(taskEvent('TaskFailed', task, errorFields(error)));
    throw error;
  }
  let output: JsonValue;
  try {
    output = asJson(await result);
  } catch (error) {
    const name = error instanceof Error ? error.name : '';
    if (name === HEARTBEAT_TIMEOUT) run.record(taskEvent('TaskTimedOut', task, errorFields(error)));
    else if (name !== STATES_TIMEOUT && !(error instanceof RunAbortedError)) run.record(taskEvent('TaskFailed', task, errorFields(error)));
    throw error;
  }
  run.record(taskOutputEvent('TaskSucceeded', task, output));
  return output;
}

/** One local handler per Task state, as the interpreter's `taskResourceLocalHandlers`. */
export function taskHandlers(env: TaskEnvironment, tasks: Map<string, TaskStateInfo>, run: TaskRun): Record<string, TaskHandler> {
  const handlers: Record<string, TaskHandler> = {};
  for (const task of tasks.values()) {
    const parsed = parseResource(task.resource);
    handlers[task.name] = async (given: JsonValue): Promise<JsonValue> => {
      const input = isJsonObject(given) && TIMEOUT_FIELD in given ? Object.fromEntries(Object.entries(given).filter(([key]) => key !== TIMEOUT_FIELD)) : given;
      // Let the interpreter's queued events (this state's entry) reach the history first.
      await nextMacrotask();
      if (run.stopped()) throw new RunAbortedError();
      // The interpreter starts the next queued Map iteration before it aborts them all on a failure.
      if (task.map !== undefined && run.failedMaps.has(task.map)) throw new RunAbortedError();
      if (typeof parsed === 'string') {
        const error = new TaskError('States.TaskFailed', `${parsed}. Supported: ${SUPPORTED_RESOURCES}`);
        run.record(taskScheduledEvent(task, input));
        run.record(taskEvent('TaskFailed', task, errorFields(error)));
        throw error;
      }
      return parsed.callback
        ? runCallback(env, run, task, parsed.integration, input)
        : runRequest(env, run, task, parsed.integration, input);
    };
  }
  return handlers;
}
