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

/**
 * What `functions/revoke-reviewed-access` does (its Lambda description, read by infra/spec/functions) and the ASL
 * Task states that run it (test/unit/architecture/task-contracts.test.ts checks both against the ASL).
 */
export const TASK = {
  description:
    'Access review "Revoke Item": close the grant, remove the membership or account assignment (deletion polled) nothing else justifies, grant.revoked; finding for role-sourced items.',
  states: ['Revoke Item'],
} as const;
