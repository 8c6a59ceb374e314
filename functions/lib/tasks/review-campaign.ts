import { z } from 'zod';
import { campaignIdSchema } from '../domain/reviews/campaign.ts';
import { executionIds } from '../domain/shared/ids.ts';

/**
 * Input of functions/review-campaign. One function serves the five bookkeeping Tasks of
 * statemachines/access-review.asl.json, picked by `task` (each Task's Parameters set it):
 *
 *   snapshot     "Take Snapshot"            campaign (the definition, checked here) -> CampaignSummary
 *   progress     "Check Progress"           -> { phase: waiting, nextAt } | { phase: deadline }
 *   defaults     "Apply Default Decisions"  -> { defaulted }
 *   revocations  "Find Revocations"         after (itemId cursor, "" = first page) -> { itemIds, next? }
 *   close        "Close Campaign"           -> counts
 *
 * The campaign id is always the execution's name. They share one function because they read
 * and write the same two tables and the campaign's clock; the remediation, which touches the
 * Identity Store and the grants, is its own function (revoke-reviewed-access).
 */
const campaignId = { campaignId: campaignIdSchema };

export const reviewCampaignInputSchema = z.discriminatedUnion('task', [
  z.strictObject({ task: z.literal('snapshot'), campaign: z.unknown(), ...executionIds }),
  z.strictObject({ task: z.literal('progress'), ...campaignId }),
  z.strictObject({ task: z.literal('defaults'), ...campaignId }),
  z.strictObject({ task: z.literal('revocations'), ...campaignId, after: z.string().max(400) }),
  z.strictObject({ task: z.literal('close'), ...campaignId }),
]);
export type ReviewCampaignInput = z.infer<typeof reviewCampaignInputSchema>;

const count = z.int().min(0);

/**
 * What the function returns, one shape per `task` (the Tasks' ResultPaths: $.snapshot, $.progress,
 * $.defaults, $.revocations, $.closed). The ASL paths read from them are checked against this union
 * (test/unit/architecture/task-outputs.test.ts): a key read must exist in one of the shapes.
 */
export const reviewCampaignOutputSchema = z.union([
  z.object({ campaignId: campaignIdSchema, itemCount: count, snapshotHash: z.string(), dueAt: z.iso.datetime(), deadlineAt: z.iso.datetime() }),
  z.discriminatedUnion('phase', [
    z.object({ phase: z.literal('waiting'), nextAt: z.iso.datetime(), pending: count }),
    z.object({ phase: z.literal('deadline'), pending: count }),
  ]),
  z.object({ defaulted: count }),
  z.object({ itemIds: z.array(z.string()), next: z.string().optional() }),
  z.object({ itemCount: count, keep: count, revoke: count, flag: count, defaulted: count, escalated: count }),
]);

/**
 * What `functions/review-campaign` does (its Lambda description, read by infra/spec/functions) and the ASL
 * Task states that run it (test/unit/architecture/task-contracts.test.ts checks both against the ASL).
 */
export const TASK = {
  description:
    'Access review "Take Snapshot" / "Check Progress" / "Apply Default Decisions" / "Find Revocations" / "Close Campaign" (lib/tasks/review-campaign.ts).',
  states: [
    'Take Snapshot',
    'Check Progress',
    'Apply Default Decisions',
    'Find Revocations',
    'Close Campaign',
  ],
} as const;
