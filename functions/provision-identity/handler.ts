import { documentClient } from '#lib/adapters/dynamodb/client';
import { identitystoreBulkClient } from '#lib/adapters/aws/clients/identitystore';
import { loadConfig } from '#lib/runtime/config';
import { provisionIdentityConfigSchema } from '#lib/runtime/provision-config';
import { createIdentityStore } from '#lib/adapters/aws/identitystore';
import { provisionIdentity } from '#lib/domain/provision/provision-identity';
import type { IdentityResult } from '#lib/domain/provision/schemas';
import { provisionIdentityInputSchema } from '#lib/tasks/provision-identity';
import { createUserOwnership } from '#lib/adapters/dynamodb/employees/ownership';
import { taskHandler } from '#lib/runtime/task-handler';

/** Create Identity Center User / Grant New Role Memberships / Grant Access (contract and steps: lib/tasks/provision-identity.ts). */

const config = loadConfig(provisionIdentityConfigSchema);
// The bulk client: an adoption starts joiners by the hundred, all under the account's one Identity Store rate.
const identity = createIdentityStore({ client: identitystoreBulkClient, identityStoreId: config.IDENTITY_STORE_ID });
const ownership = createUserOwnership({ client: documentClient, tableName: config.EMPLOYEES_TABLE_NAME, clock: { now: () => new Date() } });

export const handler = taskHandler(
  provisionIdentityInputSchema,
  async (input): Promise<IdentityResult> => provisionIdentity({ identity, ownership }, input),
);
