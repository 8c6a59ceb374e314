import { z } from 'zod';
import { createAuditStore } from '#lib/adapters/dynamodb/audit';
import { roleCatalogue } from '#lib/runtime/catalogue';
import { documentClient } from '#lib/adapters/dynamodb/client';
import { loadConfig } from '#lib/runtime/config';
import { logger } from '#lib/runtime/logger';
import { createMoveStore } from '#lib/adapters/dynamodb/employees/move';
import { closeRoleGrants, planRevocation } from '#lib/domain/mover/revocation';
import { revokeOldRoleInputSchema } from '#lib/tasks/revoke-old-role';
import { taskHandler } from '#lib/runtime/task-handler';

/** Plan Revocation / Close Old Role Grants (contract and steps: lib/tasks/revoke-old-role.ts). */
const config = loadConfig(z.object({ GRANTS_TABLE_NAME: z.string().min(1), AUDIT_TABLE_NAME: z.string().min(1) }));
const clock = { now: () => new Date() };
const deps = {
  catalogue: roleCatalogue,
  store: createMoveStore({ client: documentClient, grantsTable: config.GRANTS_TABLE_NAME }),
  audit: createAuditStore({ client: documentClient, tableName: config.AUDIT_TABLE_NAME, clock }),
  clock,
};

export const handler = taskHandler(revokeOldRoleInputSchema, async (input) => {
  if (input.action === 'plan') {
    const plan = await planRevocation(deps, input);
    logger.info('revocation planned', { revoke: plan.revoke.length, stale: plan.stale.length, dropsWorkstation: plan.dropsWorkstation });
    return plan;
  }
  const closed = await closeRoleGrants(deps, input);
  logger.info('old role grants closed', { revoked: closed.revoked.length, closed: closed.closed });
  return closed;
});
