import { identitystoreClient } from '#lib/adapters/aws/clients/identitystore';
import { loadConfig } from '#lib/runtime/config';
import { createMembershipLister } from '#lib/adapters/aws/identitystore-memberships';
import { revokeIdentity } from '#lib/domain/leaver/revoke';
import { identityTaskSchema } from '#lib/domain/leaver/schemas';
import { identityConfigSchema } from '#lib/runtime/provision-config';
import { createIdentityStore } from '#lib/adapters/aws/identitystore';
import { logger } from '#lib/runtime/logger';
import { taskHandler } from '#lib/runtime/task-handler';

/**
 * Revoke Group Memberships / Delete Identity Center User. Identity Store has no disabled state:
 * deleting the user ends access, but open sessions last until the permission set's session ends.
 */
const config = loadConfig(identityConfigSchema);
const identity = createIdentityStore({ client: identitystoreClient, identityStoreId: config.IDENTITY_STORE_ID });
const memberships = createMembershipLister(identitystoreClient, config.IDENTITY_STORE_ID);

export const handler = taskHandler(identityTaskSchema, async (input) => {
  const result = await revokeIdentity({ identity, memberships }, input);
  logger.info('identity revoked', { action: input.action, outcome: result.outcome, removed: result.removed.length });
  return result;
});
