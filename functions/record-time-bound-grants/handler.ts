import { documentClient } from '#lib/clients/dynamodb';
import { loadConfig } from '#lib/config';
import { grantTaskDeps, grantTaskEnvSchema } from '#lib/jit/grant-task-deps';
import { recordTimeBoundGrants } from '#lib/jit/record-time-bound-grants';
import { recordTimeBoundGrantsInputSchema } from '#lib/jit/schemas';
import { logger } from '#lib/logger';
import { taskHandler } from '#lib/task-handler';

/** Record Time-Bound Grants: expiresAt fixed once, grant items with source jit:<requestId>, grant.applied (basis jit). */
const deps = grantTaskDeps(documentClient, loadConfig(grantTaskEnvSchema));

export const handler = taskHandler(recordTimeBoundGrantsInputSchema, async (input) => {
  const recorded = await recordTimeBoundGrants(deps, input);
  logger.info('time-bound grants recorded', { recorded: recorded.recorded, expiresAt: recorded.expiresAt });
  return recorded;
});
