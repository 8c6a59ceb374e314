import { identitystoreClient } from '#lib/adapters/aws/clients/identitystore';
import { ssoAdminClient } from '#lib/adapters/aws/clients/sso-admin';
import { createIdentityStore } from '#lib/adapters/aws/identitystore';
import { createAccountAssignments } from '#lib/adapters/aws/sso-admin';
import { advanceAssignments } from '#lib/domain/account-assignments/advance';
import { loadConfig } from '#lib/runtime/config';
import { logger } from '#lib/runtime/logger';
import { taskHandler } from '#lib/runtime/task-handler';
import { accountAssignmentsEnvSchema, accountAssignmentsInputSchema } from '#lib/tasks/account-assignments';

/**
 * Assign Accounts / Check Account Assignments (and the removal twins): one turn of the Wait+check
 * loop over Identity Center's asynchronous CreateAccountAssignment / DeleteAccountAssignment.
 */
const config = loadConfig(accountAssignmentsEnvSchema);
const identity = createIdentityStore({ client: identitystoreClient, identityStoreId: config.IDENTITY_STORE_ID });
const deps = {
  sso: createAccountAssignments(ssoAdminClient, config.SSO_INSTANCE_ARN),
  principals: { userIdOf: (userName: string, employeeId: string) => identity.findUserId(userName, employeeId) },
  waitSeconds: config.ACCOUNT_ASSIGNMENT_POLL_SECONDS,
};

export const handler = taskHandler(accountAssignmentsInputSchema, async (input) => {
  const progress = await advanceAssignments(deps, input);
  logger.info('account assignments advanced', { state: progress.state, operations: progress.operations.length });
  return progress;
});
