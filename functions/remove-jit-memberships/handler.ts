import { identitystoreClient } from '#lib/clients/identitystore';
import { loadConfig } from '#lib/config';
import { revokeMemberships } from '#lib/jit/revoke-time-bound';
import { revokeMembershipsInputSchema } from '#lib/jit/schemas';
import { logger } from '#lib/logger';
import { identityConfigSchema } from '#lib/provision/config';
import { createIdentityStore } from '#lib/provision/identity';
import { taskHandler } from '#lib/task-handler';

/** Remove Memberships (time-bound grants): exactly the planned group memberships; one already gone counts as done. */
const config = loadConfig(identityConfigSchema);
const identity = createIdentityStore({ client: identitystoreClient, identityStoreId: config.IDENTITY_STORE_ID });

export const handler = taskHandler(revokeMembershipsInputSchema, async (input) => {
  const result = await revokeMemberships(identity, input);
  logger.info('memberships removed', { removed: result.removed.filter((r) => r.outcome === 'undone').length });
  return result;
});
