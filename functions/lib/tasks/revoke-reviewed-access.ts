import { z } from 'zod';
import { campaignIdSchema } from '../domain/reviews/campaign.ts';
import { executionIds } from '../domain/shared/ids.ts';

/**
 * functions/revoke-reviewed-access, access review "Revoke Item" (one Map iteration): one revoke
 * decision through the shared revocation path (domain/reviews/remediate.ts). The remediation
 * touches the Identity Store and the grants, so it is not one of review-campaign's tasks.
 */
export const revokeReviewedAccessInputSchema = z.strictObject({
  campaignId: campaignIdSchema,
  itemId: z.string().regex(/^[\x21-\x7e]{1,300}$/, 'itemId must be 1-300 printable characters'),
  executionName: executionIds.executionName,
});
export type RevokeReviewedAccessInput = z.infer<typeof revokeReviewedAccessInputSchema>;
