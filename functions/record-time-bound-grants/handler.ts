import { z } from 'zod';
import { createAuditStore } from '#lib/audit/audit-store';
import { documentClient } from '#lib/clients/dynamodb';
import { loadConfig } from '#lib/config';
import { createJitGrants } from '#lib/jit/jit-grants';
import { createJitRequests } from '#lib/jit/jit-requests';
import { recordTimeBoundGrants } from '#lib/jit/record-time-bound-grants';
import { recordTimeBoundGrantsInputSchema } from '#lib/jit/schemas';
import { logger } from '#lib/logger';
import { taskHandler } from '#lib/task-handler';

/** Record Time-Bound Grants: expiresAt fixed once, grant items with source jit:<requestId>, grant.applied (basis jit). */
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

export const handler = taskHandler(recordTimeBoundGrantsInputSchema, async (input) => {
  const recorded = await recordTimeBoundGrants(deps, input);
  logger.info('time-bound grants recorded', { recorded: recorded.recorded, expiresAt: recorded.expiresAt });
  return recorded;
});
