import { z } from 'zod';
import { createAuditStore } from '#lib/audit/audit-store';
import { documentClient } from '#lib/clients/dynamodb';
import { loadConfig } from '#lib/config';
import { createApprovalLookup } from '#lib/joiner/approval-lookup';
import { recordOutcome, recordOutcomeInputSchema, type OutcomeResult } from '#lib/joiner/record-outcome';
import { createRequestStatusStore } from '#lib/joiner/request-status';
import { logger } from '#lib/logger';
import { taskHandler } from '#lib/task-handler';

/**
 * Record Failure / Denial / Expiry / Rejection: audits the outcome (error name and a short,
 * redacted cause only) and marks the request finished without ever reopening it.
 */
const config = loadConfig(
  z.object({
    REQUESTS_TABLE_NAME: z.string().min(1),
    APPROVALS_TABLE_NAME: z.string().min(1),
    AUDIT_TABLE_NAME: z.string().min(1),
  }),
);
const clock = { now: () => new Date() };

const deps = {
  requests: createRequestStatusStore({ client: documentClient, tableName: config.REQUESTS_TABLE_NAME }),
  approvals: createApprovalLookup({ client: documentClient, tableName: config.APPROVALS_TABLE_NAME }),
  audit: createAuditStore({ client: documentClient, tableName: config.AUDIT_TABLE_NAME, clock }),
  clock,
};

export const handler = taskHandler(recordOutcomeInputSchema, async (input): Promise<OutcomeResult> => {
  const result = await recordOutcome(deps, input);
  logger.info('outcome recorded', { outcome: result.outcome, marked: result.marked, error: input.error?.Error });
  return result;
});
