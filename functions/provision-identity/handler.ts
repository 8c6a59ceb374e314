import { z } from 'zod';
import { identitystoreClient } from '#lib/clients/identitystore';
import { loadConfig } from '#lib/config';
import { employeeSchema } from '#lib/events/employee-events';
import { identityConfigSchema } from '#lib/provision/config';
import { createIdentityStore } from '#lib/provision/identity';
import { provisionIdentity } from '#lib/provision/provision-identity';
import { provisionEntitlementSchema, taskIds, type IdentityResult } from '#lib/provision/schemas';
import { taskHandler } from '#lib/task-handler';

/**
 * Create Identity Center User: get-or-create the user (user name = email) and a membership
 * of each group entitlement. Returns { userId, userCreated, memberships } for $.results.identity.
 * GroupNotFoundError (not retried) when a catalogue group is missing; TransientError on throttling.
 */

const config = loadConfig(identityConfigSchema);
const identity = createIdentityStore({ client: identitystoreClient, identityStoreId: config.IDENTITY_STORE_ID });

const inputSchema = z.object({
  ...taskIds,
  employee: employeeSchema,
  entitlements: z.array(provisionEntitlementSchema),
});

export const handler = taskHandler(
  inputSchema,
  async (input): Promise<IdentityResult> => provisionIdentity(identity, input.employee, input.entitlements),
);
