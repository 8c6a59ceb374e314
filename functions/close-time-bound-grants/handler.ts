import { z } from 'zod';
import { createAuditStore } from '#lib/audit/audit-store';
import { documentClient } from '#lib/clients/dynamodb';
import { loadConfig } from '#lib/config';
import { createJitGrants } from '#lib/jit/jit-grants';
import { createJitRequests } from '#lib/jit/jit-requests';
import { closeTimeBoundGrants } from '#lib/jit/revoke-time-bound';
import { closeTimeBoundGrantsInputSchema } from '#lib/jit/schemas';
import { logger } from '#lib/logger';
import { taskHandler } from '#lib/task-handler';

/** Close Time-Bound Grants: the request's grant items end (expired | revoked), grant.revoked audited, the request ended. */
const config = loadConfig(
  z.object({ GRANTS_TABLE_NAME: z.string().min(1), REQUESTS_TABLE_NAME: z.string().min(1), AUDIT_TABLE_NAME: z.string().min(1) }),
);
const clock = { now: () => new Date() };
const deps = {
  grants: createJitGrants({ client: documentClient, tableName: config.GRANTS_TABLE_NAME }),
  requests: createJitRequests({ client: documentClient, tableName: config.REQUESTS_TABLE_NAME }),
  audit: createAuditStore({ client: documentClient, tableName: config.AUDIT_TABLE_NAME, clock }),
  clock,
};

export const handler = taskHandler(closeTimeBoundGrantsInputSchema, async (input) => {
  const result = await closeTimeBoundGrants(deps, input);
  logger.info('time-bound grants closed', { closed: result.closed.length, noop: result.noop });
  return result;
});
