import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { z } from 'zod';
import { createAuditStore } from '../adapters/dynamodb/audit.ts';
import { createTimeBoundGrants } from '../adapters/dynamodb/grants.ts';
import { createTimeBoundRequests } from '../adapters/dynamodb/requests.ts';
import { createPeopleDirectory } from '../adapters/dynamodb/employees/notified.ts';
import { createCampaignRuns } from '../adapters/aws/sfn-access-review.ts';
import { sfnClient } from '../adapters/aws/clients/sfn.ts';
import type { Catalogue } from '../domain/catalogue/schema.ts';
import type { RecordTimeBoundGrantsDeps } from '../domain/time-bound/record-grants.ts';
import type { ExtendGrantsDeps } from '../domain/time-bound/extend.ts';
import { followUpBreakGlass } from '../domain/reviews/break-glass.ts';
import { channelNotifier, notifier } from './notifications.ts';

/**
 * The wiring the time-bound machine's two bookkeeping Tasks share (Record Time-Bound Grants,
 * Close Time-Bound Grants): the grants, requests and audit tables, the wall clock, and the notifier.
 */

export const grantTaskEnvSchema = z.object({
  GRANTS_TABLE_NAME: z.string().min(1),
  REQUESTS_TABLE_NAME: z.string().min(1),
  AUDIT_TABLE_NAME: z.string().min(1),
  EMPLOYEES_TABLE_NAME: z.string().min(1),
});

export function grantTaskDeps(client: DynamoDBDocumentClient, config: z.infer<typeof grantTaskEnvSchema>) {
  const clock = { now: () => new Date() };
  const requests = createTimeBoundRequests({ client, tableName: config.REQUESTS_TABLE_NAME });
  return {
    grants: createTimeBoundGrants({ client, tableName: config.GRANTS_TABLE_NAME }),
    requests,
    // The holder and the requester are told (time-bound-granted, access-revoked, access-expired), once each.
    notices: {
      notify: notifier(),
      people: createPeopleDirectory({ client, employeesTable: config.EMPLOYEES_TABLE_NAME, requestsTable: config.REQUESTS_TABLE_NAME }),
      requests,
    },
    audit: createAuditStore({ client, tableName: config.AUDIT_TABLE_NAME, clock }),
    clock,
  };
}

/**
 * Record Time-Bound Grants (and Extend Grants, the same function): the shared wiring, plus what follows a break-glass grant (reviews/break-glass.ts):
 * the notifier that also posts to the Slack channel, and the access-review machine its review runs on.
 */
export const recordGrantsEnvSchema = grantTaskEnvSchema.extend({ ACCESS_REVIEW_STATE_MACHINE_ARN: z.string().min(1) });

export function recordGrantsDeps(client: DynamoDBDocumentClient, config: z.infer<typeof recordGrantsEnvSchema>, catalogue: Catalogue): RecordTimeBoundGrantsDeps & ExtendGrantsDeps {
  const base = grantTaskDeps(client, config);
  const notices = { ...base.notices, notify: channelNotifier() };
  const reviews = createCampaignRuns(sfnClient, config.ACCESS_REVIEW_STATE_MACHINE_ARN);
  return { ...base, notices, breakGlass: (facts) => followUpBreakGlass({ notices, reviews, catalogue }, facts) };
}
