import { identitystoreClient } from '#lib/clients/identitystore';
import { loadConfig } from '#lib/config';
import { logger } from '#lib/logger';
import { revokeMemberships } from '#lib/mover/memberships';
import { revokeMembershipsInputSchema } from '#lib/mover/schemas';
import { identityConfigSchema } from '#lib/provision/config';
import { createIdentityStore } from '#lib/provision/identity';
import { taskHandler } from '#lib/task-handler';

/** Mover "Remove Old Memberships": exactly the group memberships the plan revokes; the user stays. */
const config = loadConfig(identityConfigSchema);
const identity = createIdentityStore({ client: identitystoreClient, identityStoreId: config.IDENTITY_STORE_ID });

export const handler = taskHandler(revokeMembershipsInputSchema, async (input) => {
  const result = await revokeMemberships(identity, input);
  logger.info('old memberships removed', { removed: result.removed.length, alreadyGone: result.alreadyGone });
  return result;
});
