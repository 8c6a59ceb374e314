import { identitystoreClient } from '#lib/adapters/aws/clients/identitystore';
import { loadConfig } from '#lib/runtime/config';
import { revokeMemberships } from '#lib/domain/time-bound/revoke';
import { removeTimeBoundMembershipsInputSchema } from '#lib/tasks/remove-time-bound-memberships';
import { logger } from '#lib/runtime/logger';
import { identityConfigSchema } from '#lib/runtime/provision-config';
import { createIdentityStore } from '#lib/adapters/aws/identitystore';
import { taskHandler } from '#lib/runtime/task-handler';

/** Remove Memberships, time-bound (contract and step: lib/tasks/remove-time-bound-memberships.ts). */
const config = loadConfig(identityConfigSchema);
const identity = createIdentityStore({ client: identitystoreClient, identityStoreId: config.IDENTITY_STORE_ID });

export const handler = taskHandler(removeTimeBoundMembershipsInputSchema, async (input) => {
  const result = await revokeMemberships(identity, input);
  logger.info('memberships removed', { removed: result.removed.filter((r) => r.outcome === 'undone').length });
  return result;
});
