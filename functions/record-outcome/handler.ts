import { z } from 'zod';
import { createAuditStore } from '#lib/adapters/dynamodb/audit';
import { documentClient } from '#lib/adapters/dynamodb/client';
import { loadConfig } from '#lib/runtime/config';
import { createApprovalLookup } from '#lib/adapters/dynamodb/approvals';
import { recordOutcome, recordOutcomeInputSchema, type OutcomeResult } from '#lib/domain/outcomes/record-outcome';
import { createRequestStatusStore } from '#lib/adapters/dynamodb/requests';
import { logger } from '#lib/runtime/logger';
import { taskHandler } from '#lib/runtime/task-handler';
import { sesv2Client } from '#lib/adapters/aws/clients/sesv2';
import { createOperatorMailer } from '#lib/adapters/aws/ses-operator-mailer';

/**
 * Record Failure / Denial / Expiry / Rejection: audits the outcome (error name and a short,
 * redacted cause only) and marks the request finished without ever reopening it; a hire stopped
 * on an identity conflict (two people, one e-mail) mails the operators once.
 */
const config = loadConfig(
  z.object({
    REQUESTS_TABLE_NAME: z.string().min(1),
    APPROVALS_TABLE_NAME: z.string().min(1),
    AUDIT_TABLE_NAME: z.string().min(1),
    MAIL_FROM: z.email(),
    OPERATOR_EMAIL: z.email(),
  }),
);
const clock = { now: () => new Date() };

const requests = createRequestStatusStore({ client: documentClient, tableName: config.REQUESTS_TABLE_NAME });
const deps = {
  requests,
  approvals: createApprovalLookup({ client: documentClient, tableName: config.APPROVALS_TABLE_NAME }),
  audit: createAuditStore({ client: documentClient, tableName: config.AUDIT_TABLE_NAME, clock }),
  // A hire stopped on an identity conflict: operators are mailed once (domain/outcomes/operator-mail.ts).
  operators: {
    mailer: createOperatorMailer({ client: sesv2Client, from: config.MAIL_FROM, to: config.OPERATOR_EMAIL, doing: 'mailing operators about an identity conflict' }),
    log: requests,
  },
  clock,
};

export const handler = taskHandler(recordOutcomeInputSchema, async (input): Promise<OutcomeResult> => {
  const result = await recordOutcome(deps, input);
  logger.info('outcome recorded', { outcome: result.outcome, marked: result.marked, error: input.error?.Error, operatorMail: result.operatorMail });
  return result;
});
