import { z } from 'zod';
import { documentClient } from '#lib/clients/dynamodb';
import { loadConfig } from '#lib/config';
import { logger } from '#lib/logger';
import { createMoveStore } from '#lib/mover/move-store';
import { recordMove } from '#lib/mover/record-move';
import { recordMoveInputSchema } from '#lib/mover/schemas';
import { taskHandler } from '#lib/task-handler';

/** Update Employee Role / Record Employee Change: the employees table takes the event's role and fields (conditional). */
const config = loadConfig(z.object({ EMPLOYEES_TABLE_NAME: z.string().min(1) }));
const store = createMoveStore({ client: documentClient, employeesTable: config.EMPLOYEES_TABLE_NAME });
const clock = { now: () => new Date() };

export const handler = taskHandler(recordMoveInputSchema, async (input) => {
  const result = await recordMove({ store, clock }, input);
  logger.info('employee change recorded', { employee: result.employee });
  return result;
});
