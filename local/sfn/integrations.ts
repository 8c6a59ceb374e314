import { LOCAL_ACCOUNT, LOCAL_REGION } from '../core/arn.ts';
import { startChild } from './children.ts';
import { TaskError } from './errors.ts';
import type { StoredExecution } from './executions.ts';
import { lambdaFailure } from './lambda-errors.ts';
import type { Integration } from './resources.ts';
import type { StepEnvironment } from './scope.ts';
import { integrationError } from './sdk-integrations.ts';
import { asText, httpMetadata, withMetadata } from './payloads.ts';
import { asJson, isJsonObject, type JsonValue } from './types.ts';

/** Who calls a service integration: the attempt (child executions are named after it). */
export interface CallContext {
  env: StepEnvironment;
  execution: StoredExecution;
  akey: string;
  signal: AbortSignal;
}

const functionArnOf = (name: string): string => {
  if (!name.startsWith('arn:')) return `arn:aws:lambda:${LOCAL_REGION}:${LOCAL_ACCOUNT}:function:${name}`;
  return name.split(':').slice(0, 7).join(':');
};

async function invokeLambda(env: StepEnvironment, functionName: unknown, payload: unknown): Promise<JsonValue> {
  if (typeof functionName !== 'string' || functionName === '') {
    throw new TaskError('States.Runtime', 'lambda:invoke needs Parameters.FunctionName');
  }
  try {
    return asJson(await env.invokeFunction(functionArnOf(functionName), payload));
  } catch (error) {
    throw lambdaFailure(error);
  }
}

/** Calls what a Task's Resource names, with the state's effective Parameters. */
export async function callIntegration(ctx: CallContext, integration: Integration, input: JsonValue): Promise<JsonValue> {
  const { env } = ctx;
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
      const result = await env.sdk.call('eventbridge', 'putEvents', { ...params, Entries }, (error) => integrationError('EventBridge', error));
      if (isJsonObject(result) && typeof result.FailedEntryCount === 'number' && result.FailedEntryCount > 0) {
        throw new TaskError('EventBridge.FailedEntry', JSON.stringify(result));
      }
      return result;
    }
    case 'states-start':
      return startChild(ctx, integration.pattern, params);
  }
}
