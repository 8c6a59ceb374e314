import { z } from 'zod';
import { documentClient } from '#lib/adapters/dynamodb/client';
import { loadConfig } from '#lib/runtime/config';
import { logger } from '#lib/runtime/logger';
import { createMoveStore } from '#lib/adapters/dynamodb/employees/move';
import { recordMove } from '#lib/domain/mover/record-move';
import { recordMoveInputSchema } from '#lib/tasks/record-move';
import { taskHandler } from '#lib/runtime/task-handler';

/** Update Employee Role / Record Employee Change (contract and steps: lib/tasks/record-move.ts). */
const config = loadConfig(z.object({ EMPLOYEES_TABLE_NAME: z.string().min(1) }));
const store = createMoveStore({ client: documentClient, employeesTable: config.EMPLOYEES_TABLE_NAME });
const clock = { now: () => new Date() };

export const handler = taskHandler(recordMoveInputSchema, async (input) => {
  const result = await recordMove({ store, clock }, input);
  logger.info('employee change recorded', { employee: result.employee });
  return result;
});
