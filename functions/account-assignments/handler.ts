import { identitystoreClient } from '#lib/adapters/aws/clients/identitystore';
import { ssoAdminClient } from '#lib/adapters/aws/clients/sso-admin';
import { createIdentityStore } from '#lib/adapters/aws/identitystore';
import { createAccountAssignments } from '#lib/adapters/aws/sso-admin';
import { advanceAssignments } from '#lib/domain/account-assignments/advance';
import { advanceUndo } from '#lib/domain/account-assignments/undo';
import { createAuditStore } from '#lib/adapters/dynamodb/audit';
import { documentClient } from '#lib/adapters/dynamodb/client';
import { loadConfig } from '#lib/runtime/config';
import { logger } from '#lib/runtime/logger';
import { taskHandler } from '#lib/runtime/task-handler';
import { accountAssignmentsEnvSchema, accountAssignmentsInputSchema } from '#lib/tasks/account-assignments';

/**
 * Assign Accounts / Check Account Assignments (and the removal twins): one turn of the Wait+check
 * loop over Identity Center's asynchronous CreateAccountAssignment / DeleteAccountAssignment;
 * with `undo`, the removal of what this request created after a later step failed for good.
 */
const config = loadConfig(accountAssignmentsEnvSchema);
const identity = createIdentityStore({ client: identitystoreClient, identityStoreId: config.IDENTITY_STORE_ID });
const deps = {
  sso: createAccountAssignments(ssoAdminClient, config.SSO_INSTANCE_ARN),
  principals: { userIdOf: (userName: string, employeeId: string) => identity.findUserId(userName, employeeId) },
  waitSeconds: config.ACCOUNT_ASSIGNMENT_POLL_SECONDS,
  ...(config.AUDIT_TABLE_NAME ? { audit: createAuditStore({ client: documentClient, tableName: config.AUDIT_TABLE_NAME, clock: { now: () => new Date() } }) } : {}),
};

export const handler = taskHandler(accountAssignmentsInputSchema, async (input) => {
  const { undo, executionId } = input;
  const progress = undo && executionId ? await advanceUndo(deps, { ...input, undo, executionId }) : await advanceAssignments(deps, input);
  logger.info('account assignments advanced', { state: progress.state, operations: progress.operations.length });
  return progress;
});
