import { z } from 'zod';
import { createAuditStore } from '#lib/adapters/dynamodb/audit';
import { catalogueVersionId, roleCatalogue } from '#lib/runtime/catalogue';
import { documentClient } from '#lib/adapters/dynamodb/client';
import { loadConfig } from '#lib/runtime/config';
import { createEmployeeDirectory } from '#lib/adapters/dynamodb/employees/hire';
import { prepareRequest, prepareRequestInputSchema, type IgnoredRequest, type PreparedRequest } from '#lib/domain/joiner/prepare-join';
import { logger } from '#lib/runtime/logger';
import { createRequestRepository } from '#lib/adapters/dynamodb/requests';
import { taskHandler } from '#lib/runtime/task-handler';

/**
 * Prepare Request: validate the hire, resolve the role, decide by policy, write the request
 * and the employee, audit request.received and policy.decided. Returns $.request.
 * ValidationError (bad event, unknown role) and MissingApproverError are not retried: the
 * state machine records them as a rejection.
 */
const config = loadConfig(
  z.object({
    REQUESTS_TABLE_NAME: z.string().min(1),
    EMPLOYEES_TABLE_NAME: z.string().min(1),
    AUDIT_TABLE_NAME: z.string().min(1),
    PROVISION_LEAD_HOURS: z.coerce.number().int().min(0).max(24 * 30).default(24),
    APPROVAL_TIMEOUT_SECONDS: z.coerce.number().int().min(1).max(365 * 24 * 60 * 60).default(259_200),
  }),
);
const clock = { now: () => new Date() };

const deps = {
  catalogue: roleCatalogue,
  catalogueVersion: catalogueVersionId,
  requests: createRequestRepository({ client: documentClient, tableName: config.REQUESTS_TABLE_NAME }),
  employees: createEmployeeDirectory({ client: documentClient, tableName: config.EMPLOYEES_TABLE_NAME }),
  audit: createAuditStore({ client: documentClient, tableName: config.AUDIT_TABLE_NAME, clock }),
  clock,
  settings: { provisionLeadHours: config.PROVISION_LEAD_HOURS, approvalTimeoutSeconds: config.APPROVAL_TIMEOUT_SECONDS },
};

export const handler = taskHandler(prepareRequestInputSchema, async (input): Promise<PreparedRequest | IgnoredRequest> => {
  logger.appendKeys({ employeeId: input.event.employee.employeeId, requestId: input.executionName });
  const request = await prepareRequest(deps, input);
  if ('ignored' in request) {
    logger.info('hire ignored: stale', { why: request.ignored.detail });
    return request;
  }
  for (const warning of request.warnings ?? []) logger.warn('hire accepted with a warning', { warning });
  logger.info('request prepared', { decision: request.decision.decision, provisionAt: request.provisionAt, endAt: request.endAt });
  return request;
});
