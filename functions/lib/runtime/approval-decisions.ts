import { z } from 'zod';
import { sfnClient } from '../adapters/aws/clients/sfn.ts';
import { createSfnCallbacks } from '../adapters/aws/sfn-task-callbacks.ts';
import { createApprovalRepository } from '../adapters/dynamodb/approvals.ts';
import { createAuditStore } from '../adapters/dynamodb/audit.ts';
import { documentClient } from '../adapters/dynamodb/client.ts';
import { createRequestRepository } from '../adapters/dynamodb/requests.ts';
import { systemClock } from '../domain/shared/clock.ts';
import { createPeopleDirectory } from '../adapters/dynamodb/employees/notified.ts';
import { notificationEnvSchema, notifier } from './notifications.ts';

/**
 * The wiring every place that decides an approval shares (the mailed page, the console, Slack):
 * the approvals, requests and audit tables, the Step Functions task callbacks, the wall clock, and
 * the notifier that tells the requester once the chain approved (kind `approved`).
 */

export const approvalDecisionEnvSchema = z.object({
  APPROVALS_TABLE_NAME: z.string().min(1),
  REQUESTS_TABLE_NAME: z.string().min(1),
  AUDIT_TABLE_NAME: z.string().min(1),
  EMPLOYEES_TABLE_NAME: z.string().min(1),
  ...notificationEnvSchema.shape,
});

export function approvalDecisionDeps(config: z.infer<typeof approvalDecisionEnvSchema>) {
  const requests = createRequestRepository({ client: documentClient, tableName: config.REQUESTS_TABLE_NAME });
  return {
    approvals: createApprovalRepository({ client: documentClient, tableName: config.APPROVALS_TABLE_NAME }),
    requests,
    notices: {
      notify: notifier(),
      people: createPeopleDirectory({ client: documentClient, employeesTable: config.EMPLOYEES_TABLE_NAME, requestsTable: config.REQUESTS_TABLE_NAME }),
      records: requests,
    },
    callbacks: createSfnCallbacks(sfnClient),
    audit: createAuditStore({ client: documentClient, tableName: config.AUDIT_TABLE_NAME, clock: systemClock }),
    clock: systemClock,
  };
}
