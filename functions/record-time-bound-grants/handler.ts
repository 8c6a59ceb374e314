import { documentClient } from '#lib/adapters/dynamodb/client';
import { loadConfig } from '#lib/runtime/config';
import { roleCatalogue } from '#lib/runtime/catalogue';
import { recordGrantsDeps, recordGrantsEnvSchema } from '#lib/runtime/time-bound-deps';
import { recordTimeBoundGrants } from '#lib/domain/time-bound/record-grants';
import { extendTimeBoundGrantsInputSchema, recordTimeBoundGrantsInputSchema } from '#lib/tasks/record-time-bound-grants';
import { extendTimeBoundGrants } from '#lib/domain/time-bound/extend';
import { z } from 'zod';
import { logger } from '#lib/runtime/logger';
import { taskHandler } from '#lib/runtime/task-handler';

/** Record Time-Bound Grants (contract and step: lib/tasks/record-time-bound-grants.ts). */
const deps = recordGrantsDeps(documentClient, loadConfig(recordGrantsEnvSchema), roleCatalogue);

/** Record Time-Bound Grants, and Extend Grants for an approved extension (issue #17). */
export const handler = taskHandler(z.union([extendTimeBoundGrantsInputSchema, recordTimeBoundGrantsInputSchema]), async (input) => {
  if ('extend' in input) {
    const extended = await extendTimeBoundGrants(deps, input);
    logger.info('time-bound grants extended', { grantRequestId: extended.grantRequestId, extended: extended.extended, expiresAt: extended.expiresAt });
    return extended;
  }
  const recorded = await recordTimeBoundGrants(deps, input);
  logger.info('time-bound grants recorded', { recorded: recorded.recorded, expiresAt: recorded.expiresAt, ...(recorded.breakGlassReview ? { breakGlassReview: recorded.breakGlassReview } : {}) });
  return recorded;
});
