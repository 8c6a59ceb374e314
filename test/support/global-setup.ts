import type { TestProject } from 'vitest/node';
import { ensureConsoleBuilt } from '../../tools/console-build.ts';
import { startDynamoDbLocal } from '../../local/dynamodb-local.ts';

/**
 * Global test setup: one in-memory DynamoDB Local for the whole run, its endpoint provided to
 * tests as `inject('dynamodbEndpoint')`. Set GATEHOUSE_TEST_DYNAMODB_ENDPOINT to reuse one that
 * is already running (saves its ~4 s start while iterating).
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  // vitest's `test.env` reaches the workers only; this process makes SDK calls too (readiness check).
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  // The console's browser tests and the front door serve web/dist; build it once, before any worker starts.
  await ensureConsoleBuilt();
  const reuse = process.env.GATEHOUSE_TEST_DYNAMODB_ENDPOINT;
  if (reuse) {
    project.provide('dynamodbEndpoint', reuse);
    return async () => {};
  }
  const dynamodb = await startDynamoDbLocal({ port: 0 });
  project.provide('dynamodbEndpoint', dynamodb.endpoint);
  return () => dynamodb.stop();
}
