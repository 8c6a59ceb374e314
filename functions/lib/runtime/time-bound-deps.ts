import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { z } from 'zod';
import { createAuditStore } from '../adapters/dynamodb/audit.ts';
import { createTimeBoundGrants } from '../adapters/dynamodb/grants.ts';
import { createTimeBoundRequests } from '../adapters/dynamodb/requests.ts';
import { createPeopleDirectory } from '../adapters/dynamodb/employees/notified.ts';
import { notifier } from './notifications.ts';

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
