import { z } from 'zod';
import { roleCatalogue } from '#lib/runtime/catalogue';
import { documentClient } from '#lib/adapters/dynamodb/client';
import { loadConfig } from '#lib/runtime/config';
import { createEmployeeLookup } from '#lib/adapters/dynamodb/employees/lookup';
import { createTimeBoundGrants } from '#lib/adapters/dynamodb/grants';
import { planTimeBoundRevocation } from '#lib/domain/time-bound/revoke';
import { planTimeBoundRevocationInputSchema } from '#lib/tasks/plan-time-bound-revocation';
import { logger } from '#lib/runtime/logger';
import { taskHandler } from '#lib/runtime/task-handler';

/** Plan Revocation, time-bound (contract and step: lib/tasks/plan-time-bound-revocation.ts). */
const config = loadConfig(
  z.object({ GRANTS_TABLE_NAME: z.string().min(1), EMPLOYEES_TABLE_NAME: z.string().min(1), REQUESTS_TABLE_NAME: z.string().min(1) }),
);
const deps = {
  grants: createTimeBoundGrants({ client: documentClient, tableName: config.GRANTS_TABLE_NAME }),
  employees: createEmployeeLookup({ client: documentClient, employeesTable: config.EMPLOYEES_TABLE_NAME, requestsTable: config.REQUESTS_TABLE_NAME }),
  catalogue: roleCatalogue,
  clock: { now: () => new Date() },
};

export const handler = taskHandler(planTimeBoundRevocationInputSchema, async (input) => {
  const plan = await planTimeBoundRevocation(deps, input);
  logger.info('revocation planned', { noop: plan.noop, revoke: plan.revoked });
  return plan;
});
