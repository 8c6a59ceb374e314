import { z } from 'zod';
import { documentClient } from '#lib/adapters/dynamodb/client';
import { identitystoreClient } from '#lib/adapters/aws/clients/identitystore';
import { loadConfig } from '#lib/runtime/config';
import { employeeSchema } from '#lib/domain/events/employee-events';
import { provisionIdentityConfigSchema } from '#lib/runtime/provision-config';
import { createIdentityStore } from '#lib/adapters/aws/identitystore';
import { provisionIdentity } from '#lib/domain/provision/provision-identity';
import { provisionEntitlementSchema, taskIds, type IdentityResult } from '#lib/domain/provision/schemas';
import { createUserOwnership } from '#lib/adapters/dynamodb/employees/ownership';
import { taskHandler } from '#lib/runtime/task-handler';

/**
 * Create Identity Center User: get-or-create the user (user name = email) and a membership
 * of each group entitlement. Returns { userId, userCreated, memberships } for $.results.identity;
 * userCreated stays true across retries of the request that created the user (the employees
 * item records the intent before CreateUser and the creator after).
 * GroupNotFoundError (not retried) when a catalogue group is missing; NotFoundError (not retried)
 * when the employees table does not know the employee; TransientError on throttling.
 */

const config = loadConfig(provisionIdentityConfigSchema);
const identity = createIdentityStore({ client: identitystoreClient, identityStoreId: config.IDENTITY_STORE_ID });
const ownership = createUserOwnership({ client: documentClient, tableName: config.EMPLOYEES_TABLE_NAME, clock: { now: () => new Date() } });

const inputSchema = z.object({
  ...taskIds,
  employee: employeeSchema,
  entitlements: z.array(provisionEntitlementSchema),
});

export const handler = taskHandler(
  inputSchema,
  async (input): Promise<IdentityResult> => provisionIdentity({ identity, ownership }, input),
);
