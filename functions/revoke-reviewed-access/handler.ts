import { identitystoreClient } from '#lib/adapters/aws/clients/identitystore';
import { createIdentityStore } from '#lib/adapters/aws/identitystore';
import { createAuditStore } from '#lib/adapters/dynamodb/audit';
import { documentClient } from '#lib/adapters/dynamodb/client';
import { createTimeBoundGrants } from '#lib/adapters/dynamodb/grants';
import { createReviewStore } from '#lib/adapters/dynamodb/reviews';
import { remediateItem } from '#lib/domain/reviews/remediate';
import { roleCatalogue } from '#lib/runtime/catalogue';
import { loadConfig } from '#lib/runtime/config';
import { logger } from '#lib/runtime/logger';
import { taskHandler } from '#lib/runtime/task-handler';
import { revokeReviewedAccessInputSchema } from '#lib/tasks/review-campaign';
import { z } from 'zod';
import { identityStoreIdSchema } from '#lib/runtime/provision-config';

/** "Revoke Item": one revoke decision through the shared revocation path (domain/reviews/remediate.ts). */
const config = loadConfig(
  z.object({
    REVIEWS_TABLE_NAME: z.string().min(1),
    GRANTS_TABLE_NAME: z.string().min(1),
    AUDIT_TABLE_NAME: z.string().min(1),
    IDENTITY_STORE_ID: identityStoreIdSchema,
  }),
);
const clock = { now: () => new Date() };
const deps = {
  store: createReviewStore({ client: documentClient, tableName: config.REVIEWS_TABLE_NAME }),
  grants: createTimeBoundGrants({ client: documentClient, tableName: config.GRANTS_TABLE_NAME }),
  identity: createIdentityStore({ client: identitystoreClient, identityStoreId: config.IDENTITY_STORE_ID }),
  catalogue: roleCatalogue,
  audit: createAuditStore({ client: documentClient, tableName: config.AUDIT_TABLE_NAME, clock }),
  clock,
};

export const handler = taskHandler(revokeReviewedAccessInputSchema, async (input) => {
  const result = await remediateItem(deps, input);
  logger.info('review item remediated', { campaignId: input.campaignId, remediation: result.remediation });
  return result;
});
