import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { z } from 'zod';
import { createAuditStore } from '../adapters/dynamodb/audit.ts';
import { createTimeBoundGrants } from '../adapters/dynamodb/grants.ts';
import { createTimeBoundRequests } from '../adapters/dynamodb/requests.ts';

/**
 * The wiring the time-bound machine's two bookkeeping Tasks share (Record Time-Bound Grants,
 * Close Time-Bound Grants): the grants, requests and audit tables, and the wall clock.
 */

export const grantTaskEnvSchema = z.object({
  GRANTS_TABLE_NAME: z.string().min(1),
  REQUESTS_TABLE_NAME: z.string().min(1),
  AUDIT_TABLE_NAME: z.string().min(1),
});

export function grantTaskDeps(client: DynamoDBDocumentClient, config: z.infer<typeof grantTaskEnvSchema>) {
  const clock = { now: () => new Date() };
  return {
    grants: createTimeBoundGrants({ client, tableName: config.GRANTS_TABLE_NAME }),
    requests: createTimeBoundRequests({ client, tableName: config.REQUESTS_TABLE_NAME }),
    audit: createAuditStore({ client, tableName: config.AUDIT_TABLE_NAME, clock }),
    clock,
  };
}
