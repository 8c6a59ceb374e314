import { documentClient } from '#lib/adapters/dynamodb/client';
import { loadConfig } from '#lib/runtime/config';
import { roleCatalogue } from '#lib/runtime/catalogue';
import { recordGrantsDeps, recordGrantsEnvSchema } from '#lib/runtime/time-bound-deps';
import { recordTimeBoundGrants } from '#lib/domain/time-bound/record-grants';
import { recordTimeBoundGrantsInputSchema } from '#lib/domain/time-bound/schemas';
import { logger } from '#lib/runtime/logger';
import { taskHandler } from '#lib/runtime/task-handler';

/**
 * Record Time-Bound Grants: expiresAt fixed once, grant items with source time-bound:<requestId>,
 * grant.applied (basis time-bound); for break-glass, security told and the review opened.
 */
const deps = recordGrantsDeps(documentClient, loadConfig(recordGrantsEnvSchema), roleCatalogue);

export const handler = taskHandler(recordTimeBoundGrantsInputSchema, async (input) => {
  const recorded = await recordTimeBoundGrants(deps, input);
  logger.info('time-bound grants recorded', { recorded: recorded.recorded, expiresAt: recorded.expiresAt, ...(recorded.breakGlassReview ? { breakGlassReview: recorded.breakGlassReview } : {}) });
  return recorded;
});
