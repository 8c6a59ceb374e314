import { z } from 'zod';
import { createAuditStore } from '#lib/adapters/dynamodb/audit';
import { documentClient } from '#lib/adapters/dynamodb/client';
import { loadConfig } from '#lib/runtime/config';
import { createApprovalLookup, createApprovalRepository } from '#lib/adapters/dynamodb/approvals';
import { createPeopleDirectory } from '#lib/adapters/dynamodb/employees/notified';
import { recordOutcome, type OutcomeResult } from '#lib/domain/outcomes/record-outcome';
import { recordOutcomeInputSchema } from '#lib/tasks/record-outcome';
import { createRequestRepository, createRequestStatusStore } from '#lib/adapters/dynamodb/requests';
import { notifier, slackEnvSchema } from '#lib/runtime/notifications';
import { slackConnection } from '#lib/runtime/slack';
import { showNewestClosedInSlack } from '#lib/domain/slack/closed-in-slack';
import { logger } from '#lib/runtime/logger';
import { taskHandler } from '#lib/runtime/task-handler';

/** Record Failure / Denial / Expiry / Rejection / Withdrawal (contract and steps: lib/tasks/record-outcome.ts). */
const config = loadConfig(
  z.object({
    REQUESTS_TABLE_NAME: z.string().min(1),
    APPROVALS_TABLE_NAME: z.string().min(1),
    AUDIT_TABLE_NAME: z.string().min(1),
    EMPLOYEES_TABLE_NAME: z.string().min(1),
  }).extend(slackEnvSchema.shape),
);
const clock = { now: () => new Date() };
const audit = createAuditStore({ client: documentClient, tableName: config.AUDIT_TABLE_NAME, clock });

const requests = createRequestStatusStore({ client: documentClient, tableName: config.REQUESTS_TABLE_NAME });
const lookup = createApprovalLookup({ client: documentClient, tableName: config.APPROVALS_TABLE_NAME });
const records = createRequestRepository({ client: documentClient, tableName: config.REQUESTS_TABLE_NAME });
const slackOf = slackConnection(config);
const inSlack = {
  slack: async () => (await slackOf())?.api,
  approvals: createApprovalRepository({ client: documentClient, tableName: config.APPROVALS_TABLE_NAME }),
  records,
  lookup,
};
const deps = {
  requests,
  approvals: lookup,
  audit,
  clock,
  notices: {
    notify: notifier(),
    people: createPeopleDirectory({ client: documentClient, employeesTable: config.EMPLOYEES_TABLE_NAME, requestsTable: config.REQUESTS_TABLE_NAME }),
    records,
    audit,
  },
};

export const handler = taskHandler(recordOutcomeInputSchema, async (input): Promise<OutcomeResult & { slack?: string }> => {
  const result = await recordOutcome(deps, input);
  const closed = input.outcome === 'approval.expired' ? 'expired' : input.outcome === 'request.withdrawn' ? 'withdrawn' : undefined;
  const slack = closed ? await showNewestClosedInSlack(inSlack, input.requestId, input.executionId, closed) : undefined;
  logger.info('outcome recorded', { outcome: result.outcome, marked: result.marked, error: input.error?.Error, notice: result.notice, ...(slack ? { slack } : {}) });
  return slack ? { ...result, slack } : result;
});
