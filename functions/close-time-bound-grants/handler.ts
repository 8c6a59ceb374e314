import { documentClient } from '#lib/clients/dynamodb';
import { loadConfig } from '#lib/config';
import { grantTaskDeps, grantTaskEnvSchema } from '#lib/jit/grant-task-deps';
import { closeTimeBoundGrants } from '#lib/jit/revoke-time-bound';
import { closeTimeBoundGrantsInputSchema } from '#lib/jit/schemas';
import { logger } from '#lib/logger';
import { taskHandler } from '#lib/task-handler';

/** Close Time-Bound Grants: the request's grant items end (expired | revoked), grant.revoked audited, the request ended. */
const deps = grantTaskDeps(documentClient, loadConfig(grantTaskEnvSchema));

export const handler = taskHandler(closeTimeBoundGrantsInputSchema, async (input) => {
  const result = await closeTimeBoundGrants(deps, input);
  logger.info('time-bound grants closed', { closed: result.closed.length, noop: result.noop });
  return result;
});
