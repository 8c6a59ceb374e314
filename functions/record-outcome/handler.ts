import { z } from 'zod';
import { createAuditStore } from '#lib/adapters/dynamodb/audit';
import { documentClient } from '#lib/adapters/dynamodb/client';
import { loadConfig } from '#lib/runtime/config';
import { createApprovalLookup } from '#lib/adapters/dynamodb/approvals';
import { createPeopleDirectory } from '#lib/adapters/dynamodb/employees/notified';
import { recordOutcome, type OutcomeResult } from '#lib/domain/outcomes/record-outcome';
import { recordOutcomeInputSchema } from '#lib/tasks/record-outcome';
import { createRequestRepository, createRequestStatusStore } from '#lib/adapters/dynamodb/requests';
import { notifier } from '#lib/runtime/notifications';
import { logger } from '#lib/runtime/logger';
import { taskHandler } from '#lib/runtime/task-handler';

/** Record Failure / Denial / Expiry / Rejection (contract and steps: lib/tasks/record-outcome.ts). */
const config = loadConfig(
  z.object({
    REQUESTS_TABLE_NAME: z.string().min(1),
    APPROVALS_TABLE_NAME: z.string().min(1),
    AUDIT_TABLE_NAME: z.string().min(1),
    EMPLOYEES_TABLE_NAME: z.string().min(1),
  }),
);
const clock = { now: () => new Date() };
const audit = createAuditStore({ client: documentClient, tableName: config.AUDIT_TABLE_NAME, clock });

const requests = createRequestStatusStore({ client: documentClient, tableName: config.REQUESTS_TABLE_NAME });
const deps = {
  requests,
  approvals: createApprovalLookup({ client: documentClient, tableName: config.APPROVALS_TABLE_NAME }),
  audit,
  clock,
  notices: {
    notify: notifier(),
    people: createPeopleDirectory({ client: documentClient, employeesTable: config.EMPLOYEES_TABLE_NAME, requestsTable: config.REQUESTS_TABLE_NAME }),
    records: createRequestRepository({ client: documentClient, tableName: config.REQUESTS_TABLE_NAME }),
    audit,
  },
};

export const handler = taskHandler(recordOutcomeInputSchema, async (input): Promise<OutcomeResult> => {
  const result = await recordOutcome(deps, input);
  logger.info('outcome recorded', { outcome: result.outcome, marked: result.marked, error: input.error?.Error, notice: result.notice });
  return result;
});
