import { z } from 'zod';
import { createAuditStore } from '#lib/adapters/dynamodb/audit';
import { roleCatalogue } from '#lib/runtime/catalogue';
import { documentClient } from '#lib/adapters/dynamodb/client';
import { loadConfig } from '#lib/runtime/config';
import { createEmployeeLookup } from '#lib/adapters/dynamodb/employees/lookup';
import { prepareAccessRequest } from '#lib/domain/time-bound/prepare-time-bound';
import { prepareTimeBoundInputSchema } from '#lib/tasks/prepare-time-bound';
import { logger } from '#lib/runtime/logger';
import { createRequestRepository, createTimeBoundRequests } from '#lib/adapters/dynamodb/requests';
import { prepareExtension } from '#lib/domain/time-bound/extend';
import { taskHandler } from '#lib/runtime/task-handler';

/** Prepare Access Request (contract and step: lib/tasks/prepare-time-bound.ts). */
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
  grantRequests: createTimeBoundRequests({ client: documentClient, tableName: config.REQUESTS_TABLE_NAME }),
};

export const handler = taskHandler(prepareTimeBoundInputSchema, async (input) => {
  const { request } = input;
  // An extension (issue #17) goes through the same step: its own record, the same policy.
  const prepared = request.action === 'extend' ? await prepareExtension(deps, { ...input, request }) : await prepareAccessRequest(deps, { ...input, request });
  logger.info('access request prepared', { requestId: prepared.requestId, decision: prepared.decision.decision });
  return prepared;
});
