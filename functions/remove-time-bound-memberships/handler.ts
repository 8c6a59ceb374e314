import { identitystoreClient } from '#lib/adapters/aws/clients/identitystore';
import { loadConfig } from '#lib/runtime/config';
import { revokeMemberships } from '#lib/domain/time-bound/revoke';
import { revokeMembershipsInputSchema } from '#lib/domain/time-bound/schemas';
import { logger } from '#lib/runtime/logger';
import { identityConfigSchema } from '#lib/runtime/provision-config';
import { createIdentityStore } from '#lib/adapters/aws/identitystore';
import { taskHandler } from '#lib/runtime/task-handler';

/** Remove Memberships (time-bound grants): exactly the planned group memberships; one already gone counts as done. */
const config = loadConfig(identityConfigSchema);
const identity = createIdentityStore({ client: identitystoreClient, identityStoreId: config.IDENTITY_STORE_ID });

export const handler = taskHandler(revokeMembershipsInputSchema, async (input) => {
  const result = await revokeMemberships(identity, input);
  logger.info('memberships removed', { removed: result.removed.filter((r) => r.outcome === 'undone').length });
  return result;
});
