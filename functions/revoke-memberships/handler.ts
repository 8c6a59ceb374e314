import { identitystoreClient } from '#lib/adapters/aws/clients/identitystore';
import { loadConfig } from '#lib/runtime/config';
import { logger } from '#lib/runtime/logger';
import { revokeMemberships } from '#lib/domain/mover/memberships';
import { revokeMembershipsInputSchema } from '#lib/tasks/revoke-memberships';
import { identityConfigSchema } from '#lib/runtime/provision-config';
import { createIdentityStore } from '#lib/adapters/aws/identitystore';
import { taskHandler } from '#lib/runtime/task-handler';

/** Remove Old Memberships (contract and step: lib/tasks/revoke-memberships.ts). */
const config = loadConfig(identityConfigSchema);
const identity = createIdentityStore({ client: identitystoreClient, identityStoreId: config.IDENTITY_STORE_ID });

export const handler = taskHandler(revokeMembershipsInputSchema, async (input) => {
  const result = await revokeMemberships(identity, input);
  logger.info('old memberships removed', { removed: result.removed.length, alreadyGone: result.alreadyGone });
  return result;
});
