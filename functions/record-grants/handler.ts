import { z } from 'zod';
import { createAuditStore } from '#lib/adapters/dynamodb/audit';
import { documentClient } from '#lib/adapters/dynamodb/client';
import { loadConfig } from '#lib/runtime/config';
import { createGrantStore } from '#lib/adapters/dynamodb/grants';
import { recordGrants } from '#lib/domain/joiner/record-grants';
import { recordGrantsInputSchema, type RecordGrantsResult } from '#lib/tasks/record-grants';
import { logger } from '#lib/runtime/logger';
import { taskHandler } from '#lib/runtime/task-handler';

/** Record Grants (contract and step: lib/tasks/record-grants.ts). */
const config = loadConfig(z.object({ GRANTS_TABLE_NAME: z.string().min(1), AUDIT_TABLE_NAME: z.string().min(1) }));
const clock = { now: () => new Date() };

const deps = {
  grants: createGrantStore({ client: documentClient, tableName: config.GRANTS_TABLE_NAME }),
  audit: createAuditStore({ client: documentClient, tableName: config.AUDIT_TABLE_NAME, clock }),
  clock,
};

export const handler = taskHandler(recordGrantsInputSchema, async (input): Promise<RecordGrantsResult> => {
  const result = await recordGrants(deps, input);
  logger.info('grants recorded', { recorded: result.recorded, alreadyRecorded: result.alreadyRecorded });
  return result;
});
