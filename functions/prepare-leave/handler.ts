import { z } from 'zod';
import { createAuditStore } from '#lib/adapters/dynamodb/audit';
import { documentClient } from '#lib/adapters/dynamodb/client';
import { loadConfig } from '#lib/runtime/config';
import { createLeaveStore } from '#lib/adapters/dynamodb/employees/leave';
import { prepareLeave } from '#lib/domain/leaver/prepare-leave';
import { prepareLeaveInputSchema } from '#lib/tasks/prepare-leave';
import { logger } from '#lib/runtime/logger';
import { taskHandler } from '#lib/runtime/task-handler';

/** Prepare Leave (contract and step: lib/tasks/prepare-leave.ts). */
const config = loadConfig(z.object({ EMPLOYEES_TABLE_NAME: z.string().min(1), GRANTS_TABLE_NAME: z.string().min(1), AUDIT_TABLE_NAME: z.string().min(1) }));
const store = createLeaveStore({ client: documentClient, employeesTable: config.EMPLOYEES_TABLE_NAME, grantsTable: config.GRANTS_TABLE_NAME });
const clock = { now: () => new Date() };
const audit = createAuditStore({ client: documentClient, tableName: config.AUDIT_TABLE_NAME, clock });

export const handler = taskHandler(prepareLeaveInputSchema, async (input) => {
  logger.appendKeys({ employeeId: input.event.employeeId });
  const prepared = await prepareLeave({ directory: store, audit, clock }, input);
  logger.info('leave prepared', { grants: prepared.grants.length, deferred: prepared.deferred, revokeAt: prepared.revokeAt });
  return prepared;
});
