import { z } from 'zod';
import { createAuditStore } from '#lib/adapters/dynamodb/audit';
import { roleCatalogue } from '#lib/runtime/catalogue';
import { documentClient } from '#lib/adapters/dynamodb/client';
import { loadConfig } from '#lib/runtime/config';
import { createEmployeeLookup } from '#lib/adapters/dynamodb/employees/lookup';
import { prepareAccessRequest } from '#lib/domain/time-bound/prepare-time-bound';
import { prepareAccessRequestInputSchema } from '#lib/domain/time-bound/schemas';
import { logger } from '#lib/runtime/logger';
import { createRequestRepository } from '#lib/adapters/dynamodb/requests';
import { taskHandler } from '#lib/runtime/task-handler';

/** Time-bound "Prepare Access Request": subject, entitlements, policy (kind time-bound), request record, audit. */
const config = loadConfig(
  z.object({
    EMPLOYEES_TABLE_NAME: z.string().min(1),
    REQUESTS_TABLE_NAME: z.string().min(1),
    AUDIT_TABLE_NAME: z.string().min(1),
    APPROVAL_TIMEOUT_SECONDS: z.coerce.number().int().min(1).max(365 * 24 * 60 * 60).default(259_200),
  }),
);
const clock = { now: () => new Date() };
const deps = {
  catalogue: roleCatalogue,
  employees: createEmployeeLookup({ client: documentClient, employeesTable: config.EMPLOYEES_TABLE_NAME, requestsTable: config.REQUESTS_TABLE_NAME }),
  requests: createRequestRepository({ client: documentClient, tableName: config.REQUESTS_TABLE_NAME }),
  audit: createAuditStore({ client: documentClient, tableName: config.AUDIT_TABLE_NAME, clock }),
  clock,
  approvalTimeoutSeconds: config.APPROVAL_TIMEOUT_SECONDS,
};

export const handler = taskHandler(prepareAccessRequestInputSchema, async (input) => {
  const prepared = await prepareAccessRequest(deps, input);
  logger.info('access request prepared', { requestId: prepared.requestId, decision: prepared.decision.decision });
  return prepared;
});
