import { identitystoreClient } from '#lib/adapters/aws/clients/identitystore';
import { loadConfig } from '#lib/runtime/config';
import { createMembershipLister } from '#lib/adapters/aws/identitystore-memberships';
import { revokeIdentity } from '#lib/domain/leaver/revoke';
import { revokeIdentityInputSchema } from '#lib/tasks/revoke-identity';
import { identityConfigSchema } from '#lib/runtime/provision-config';
import { createIdentityStore } from '#lib/adapters/aws/identitystore';
import { logger } from '#lib/runtime/logger';
import { taskHandler } from '#lib/runtime/task-handler';

/** Revoke Group Memberships / Delete Identity Center User (contract and steps: lib/tasks/revoke-identity.ts). */
const config = loadConfig(identityConfigSchema);
const identity = createIdentityStore({ client: identitystoreClient, identityStoreId: config.IDENTITY_STORE_ID });
const memberships = createMembershipLister(identitystoreClient, config.IDENTITY_STORE_ID);

export const handler = taskHandler(revokeIdentityInputSchema, async (input) => {
  const result = await revokeIdentity({ identity, memberships }, input);
  logger.info('identity revoked', { action: input.action, outcome: result.outcome, removed: result.removed.length });
  return result;
});
