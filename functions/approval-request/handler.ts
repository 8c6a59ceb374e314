import { z } from 'zod';
import { approvalRequestInputSchema } from '#lib/tasks/approval-request';
import { createApprovalRepository } from '#lib/adapters/dynamodb/approvals';
import { createSesMailer } from '#lib/adapters/aws/ses-approval-mailer';
import { requestApproval } from '#lib/domain/approvals/request-approval';
import { createAuditStore } from '#lib/adapters/dynamodb/audit';
import { documentClient } from '#lib/adapters/dynamodb/client';
import { sesv2Client } from '#lib/adapters/aws/clients/sesv2';
import { loadConfig } from '#lib/runtime/config';
import { logger } from '#lib/runtime/logger';
import { createRequestRepository } from '#lib/adapters/dynamodb/requests';
import { taskHandler } from '#lib/runtime/task-handler';
import { slackConnection } from '#lib/runtime/slack';
import { approvalInSlack } from '#lib/domain/slack/request-in-slack';

/** "Ask Approver" (contract and step: lib/tasks/approval-request.ts). */
const config = loadConfig(
  z.object({
    APPROVALS_TABLE_NAME: z.string().min(1),
    REQUESTS_TABLE_NAME: z.string().min(1),
    AUDIT_TABLE_NAME: z.string().min(1),
    APPROVAL_BASE_URL: z.url({ protocol: /^https?$/ }),
    MAIL_FROM: z.email(),
    SLACK_SECRET_NAME: z.string().min(1).optional(),
    SLACK_API_URL: z.url({ protocol: /^https?$/ }).optional(),
  }),
);
const slack = slackConnection(config);
const clock = { now: () => new Date() };

const deps = {
  approvals: createApprovalRepository({ client: documentClient, tableName: config.APPROVALS_TABLE_NAME }),
  requests: createRequestRepository({ client: documentClient, tableName: config.REQUESTS_TABLE_NAME }),
  mailer: createSesMailer({ client: sesv2Client, from: config.MAIL_FROM }),
  audit: createAuditStore({ client: documentClient, tableName: config.AUDIT_TABLE_NAME, clock }),
  clock,
  baseUrl: config.APPROVAL_BASE_URL,
};

export const handler = taskHandler(approvalRequestInputSchema, async (input) => {
  const { requestId, employeeId, executionName, step } = input.approval;
  logger.appendKeys({ requestId, employeeId, executionName, step });
  const connection = await slack();
  const result = await requestApproval(connection ? { ...deps, slack: approvalInSlack({ slack: connection.api, approvals: deps.approvals, clock }) } : deps, input);
  logger.info('approval requested', { ...result });
  return result;
});
