import { z } from 'zod';
import { setTimeout as pause } from 'node:timers/promises';
import { identitystoreClient } from '../adapters/aws/clients/identitystore.ts';
import { ssoAdminClient } from '../adapters/aws/clients/sso-admin.ts';
import { createAccountAssignments } from '../adapters/aws/sso-admin.ts';
import { createIdentityStore } from '../adapters/aws/identitystore.ts';
import { createAuditStore } from '../adapters/dynamodb/audit.ts';
import { documentClient } from '../adapters/dynamodb/client.ts';
import { createTimeBoundGrants } from '../adapters/dynamodb/grants.ts';
import { createReviewStore } from '../adapters/dynamodb/reviews.ts';
import { settleAssignments } from '../domain/account-assignments/settle.ts';
import { remediateItem, type AccountRemover, type RemediateDeps, type RemediateResult } from '../domain/reviews/remediate.ts';
import { accountAssignmentsEnvSchema } from '../tasks/account-assignments.ts';
import { roleCatalogue } from './catalogue.ts';
import { loadConfig } from './config.ts';
import { logger } from './logger.ts';
import { identityStoreIdSchema } from './provision-config.ts';

/**
 * The review revocation path's wiring (domain/reviews/remediate.ts), one home for the three
 * functions that run it: "Revoke Reviewed Access" (the deadline's Map) and, right after a final
 * revoke decision, the console and the e-mailed link.
 */
export function reviewRemediationDeps(): RemediateDeps {
  const config = loadConfig(
    z.object({
      REVIEWS_TABLE_NAME: z.string().min(1),
      GRANTS_TABLE_NAME: z.string().min(1),
      AUDIT_TABLE_NAME: z.string().min(1),
      IDENTITY_STORE_ID: identityStoreIdSchema,
    }),
  );
  const clock = { now: () => new Date() };
  return {
    store: createReviewStore({ client: documentClient, tableName: config.REVIEWS_TABLE_NAME }),
    grants: createTimeBoundGrants({ client: documentClient, tableName: config.GRANTS_TABLE_NAME }),
    identity: createIdentityStore({ client: identitystoreClient, identityStoreId: config.IDENTITY_STORE_ID }),
    catalogue: roleCatalogue,
    audit: createAuditStore({ client: documentClient, tableName: config.AUDIT_TABLE_NAME, clock }),
    clock,
  };
}

/**
 * "Revoke Item"'s account-assignment removal: the deletes started and their status polled every
 * ACCOUNT_ASSIGNMENT_POLL_SECONDS for at most `deadlineSeconds` (below the function's timeout; a
 * removal still settling then is retried by the ASL). DeleteAccountAssignment is asynchronous:
 * https://docs.aws.amazon.com/singlesignon/latest/APIReference/API_DeleteAccountAssignment.html
 */
export function reviewAccountRemover(identity: RemediateDeps['identity'], deadlineSeconds: number): AccountRemover {
  const config = loadConfig(accountAssignmentsEnvSchema.pick({ SSO_INSTANCE_ARN: true, ACCOUNT_ASSIGNMENT_POLL_SECONDS: true }));
  const sso = createAccountAssignments(ssoAdminClient, config.SSO_INSTANCE_ARN);
  return {
    remove: (employeeId, userName, targets) =>
      settleAssignments(
        {
          sso,
          principals: { userIdOf: (name, id) => identity.findUserId(name, id) },
          waitSeconds: config.ACCOUNT_ASSIGNMENT_POLL_SECONDS,
          pause: (seconds) => pause(seconds * 1000),
          deadlineSeconds,
          now: () => new Date(),
        },
        { employeeId, userName, action: 'delete', targets },
      ),
  };
}

/**
 * Removes a just-revoked item's access now. A failure leaves the decision recorded and the item
 * `decided`: the campaign's deadline runs the same removal again ("Find Revocations" pages through
 * every revoke not yet remediated), so the answer says `pending` and the cause is logged.
 */
export function remediateNow(deps: RemediateDeps) {
  return async (campaignId: string, itemId: string): Promise<RemediateResult | { itemId: string; remediation: 'pending' }> => {
    try {
      return await remediateItem(deps, { campaignId, itemId, executionName: campaignId });
    } catch (error) {
      logger.warn('review revoke recorded; access removal left to the deadline', { campaignId, error: error instanceof Error ? error.name : String(error) });
      return { itemId, remediation: 'pending' };
    }
  };
}
