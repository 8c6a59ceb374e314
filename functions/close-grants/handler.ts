import { z } from 'zod';
import { documentClient } from '#lib/clients/dynamodb';
import { loadConfig } from '#lib/config';
import { createLeaveStore } from '#lib/leaver/leave-store';
import { closeGrants } from '#lib/leaver/record-leave';
import { closeGrantsInputSchema } from '#lib/leaver/schemas';
import { logger } from '#lib/logger';
import { taskHandler } from '#lib/task-handler';

/** Close Grants: every active grant of the person becomes `revoked` (conditional update). */
const config = loadConfig(z.object({ GRANTS_TABLE_NAME: z.string().min(1) }));
const store = createLeaveStore({ client: documentClient, grantsTable: config.GRANTS_TABLE_NAME });
const clock = { now: () => new Date() };

export const handler = taskHandler(closeGrantsInputSchema, async (input) => {
  const result = await closeGrants({ store, clock }, input);
  logger.info('grants closed', { closed: result.closed.length });
  return result;
});
