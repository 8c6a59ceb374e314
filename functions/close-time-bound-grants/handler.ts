import { z } from 'zod';
import { documentClient } from '#lib/adapters/dynamodb/client';
import { loadConfig } from '#lib/runtime/config';
import { grantTaskDeps, grantTaskEnvSchema } from '#lib/runtime/time-bound-deps';
import { closeTimeBoundGrants } from '#lib/domain/time-bound/revoke';
import { closeTimeBoundGrantsInputSchema, remindAccessEndingInputSchema } from '#lib/tasks/close-time-bound-grants';
import { tellEndingSoon } from '#lib/domain/time-bound/notices';
import { logger } from '#lib/runtime/logger';
import { taskHandler } from '#lib/runtime/task-handler';

/** Close Time-Bound Grants and Remind Access Ending (contract and steps: lib/tasks/close-time-bound-grants.ts). */
const deps = grantTaskDeps(documentClient, loadConfig(grantTaskEnvSchema));

export const handler = taskHandler(z.union([remindAccessEndingInputSchema, closeTimeBoundGrantsInputSchema]), async (input) => {
  if ('remind' in input) {
    const reminded = await tellEndingSoon(deps.notices, input.remind);
    logger.info('access ending soon', { requestId: input.remind.requestId, ...reminded });
    return reminded;
  }
  const result = await closeTimeBoundGrants(deps, input);
  logger.info('time-bound grants closed', { closed: result.closed.length, noop: result.noop });
  return result;
});
