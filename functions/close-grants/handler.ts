import { z } from 'zod';
import { documentClient } from '#lib/adapters/dynamodb/client';
import { loadConfig } from '#lib/runtime/config';
import { createLeaveStore } from '#lib/adapters/dynamodb/employees/leave';
import { closeGrants } from '#lib/domain/leaver/record-leave';
import { closeGrantsInputSchema } from '#lib/tasks/close-grants';
import { logger } from '#lib/runtime/logger';
import { taskHandler } from '#lib/runtime/task-handler';

/** Close Grants (contract and step: lib/tasks/close-grants.ts). */
const config = loadConfig(z.object({ GRANTS_TABLE_NAME: z.string().min(1) }));
const store = createLeaveStore({ client: documentClient, grantsTable: config.GRANTS_TABLE_NAME });
const clock = { now: () => new Date() };

export const handler = taskHandler(closeGrantsInputSchema, async (input) => {
  const result = await closeGrants({ store, clock }, input);
  logger.info('grants closed', { closed: result.closed.length });
  return result;
});
