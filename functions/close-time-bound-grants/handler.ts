import { documentClient } from '#lib/adapters/dynamodb/client';
import { loadConfig } from '#lib/runtime/config';
import { grantTaskDeps, grantTaskEnvSchema } from '#lib/runtime/time-bound-deps';
import { closeTimeBoundGrants } from '#lib/domain/time-bound/revoke';
import { closeTimeBoundGrantsInputSchema } from '#lib/tasks/close-time-bound-grants';
import { logger } from '#lib/runtime/logger';
import { taskHandler } from '#lib/runtime/task-handler';

/** Close Time-Bound Grants (contract and step: lib/tasks/close-time-bound-grants.ts). */
const deps = grantTaskDeps(documentClient, loadConfig(grantTaskEnvSchema));

export const handler = taskHandler(closeTimeBoundGrantsInputSchema, async (input) => {
  const result = await closeTimeBoundGrants(deps, input);
  logger.info('time-bound grants closed', { closed: result.closed.length, noop: result.noop });
  return result;
});
