import { remediateItem } from '#lib/domain/reviews/remediate';
import { logger } from '#lib/runtime/logger';
import { reviewAccountRemover, reviewRemediationDeps } from '#lib/runtime/review-remediation';
import { taskHandler } from '#lib/runtime/task-handler';
import { revokeReviewedAccessInputSchema } from '#lib/tasks/revoke-reviewed-access';

/** "Revoke Item" (contract and step: lib/tasks/revoke-reviewed-access.ts). */
const base = reviewRemediationDeps();
/** 60 s of polling inside the 90 s timeout (infra/spec/functions/reviews.ts). */
const deps = { ...base, accounts: reviewAccountRemover(base.identity, 60) };

export const handler = taskHandler(revokeReviewedAccessInputSchema, async (input) => {
  const result = await remediateItem(deps, input);
  logger.info('review item remediated', { campaignId: input.campaignId, remediation: result.remediation });
  return result;
});
