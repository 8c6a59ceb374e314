import type { AuditStore } from '../audit/ports.ts';
import type { AuditDraft } from '../audit/entry.ts';
import type { Clock } from '../shared/clock.ts';
import { clip } from '../shared/ids.ts';
import { auditSubjectOf, type Campaign, type Decision } from './campaign.ts';
import { applyDecision } from './decide.ts';
import { CampaignNotFoundError, ItemDecidedError, ReviewItemNotFoundError, isRefusal, type RefusalCode } from './errors.ts';
import type { Remediation, ReviewItem } from './items.ts';
import type { ReviewStore } from './ports.ts';

/**
 * Reviewers' decisions (console bulk actions, the e-mailed link): each item is checked by the
 * decision rules, claimed by a conditional write (status and stage unchanged since it was read),
 * then audited as `review.decided`; a final revoke's access is removed right away when the caller
 * wires `remediate` (the deadline removes what is left). A refused decision changes no item and is audited as
 * `review.refused` (on the person's chain, or the campaign's when the item does not exist).
 */

export interface DecisionDeps {
  store: Pick<ReviewStore, 'getCampaign' | 'getItem' | 'replaceItem'>;
  audit: Pick<AuditStore, 'append'>;
  clock: Clock;
  /**
   * Removes a final revoke's access at once (remediate.ts through runtime/review-remediation.ts);
   * `pending` when it could not, and the deadline removes it. Without it, removal waits for the deadline.
   */
  remediate?: (campaignId: string, itemId: string) => Promise<{ remediation: Remediation | 'not-revoked' | 'pending' }>;
}

export interface DecisionsInput {
  campaignId: string;
  itemIds: readonly string[];
  reviewer: string;
  decision: Decision;
  justification?: string;
  channel: 'console' | 'link';
}

export type ItemResult = { itemId: string; outcome: 'decided'; final: boolean; remediation?: Remediation | 'not-revoked' | 'pending' } | { itemId: string; outcome: 'refused'; why: RefusalCode; message: string; error: Error };

const reviewerId = (email: string): string => email.trim().toLowerCase();

function refusedDraft(campaign: Pick<Campaign, 'campaignId' | 'executionId'>, item: ReviewItem | undefined, itemId: string, input: DecisionsInput, why: RefusalCode): AuditDraft {
  return {
    kind: 'review.refused',
    subject: item?.employeeId ?? auditSubjectOf(campaign.campaignId),
    actor: { type: 'reviewer', id: reviewerId(input.reviewer) },
    requestId: campaign.campaignId,
    executionId: campaign.executionId,
    ...(item ? { entitlementId: item.entitlementId } : {}),
    reason: clip(`${input.decision} on ${itemId} by ${reviewerId(input.reviewer)} refused: ${why}; nothing changed`),
    detail: { why, reviewer: reviewerId(input.reviewer), itemId: itemId.slice(0, 300), channel: input.channel },
  };
}

export function decidedDraft(campaign: Pick<Campaign, 'campaignId' | 'executionId'>, item: ReviewItem, entry: { decision: Decision | 'flag'; reviewer: string; stage: number; final: boolean; defaulted: boolean; justification?: string; channel?: 'console' | 'link' }): AuditDraft {
  const by = entry.defaulted ? `the deadline (default for ${item.risk} risk; ${entry.reviewer} did not answer)` : entry.reviewer;
  return {
    kind: 'review.decided',
    subject: item.employeeId,
    entitlementId: item.entitlementId,
    actor: entry.defaulted ? { type: 'system', id: 'review-deadline' } : { type: 'reviewer', id: entry.reviewer },
    requestId: campaign.campaignId,
    executionId: campaign.executionId,
    reason: clip(`${entry.decision} ${item.entitlementId} (${item.source}) of ${item.employeeId}, by ${by}${entry.final ? '' : `; goes to reviewer ${entry.stage + 2}`}`),
    idempotencyKey: `${campaign.campaignId}/review.decided/${item.itemId}/${entry.stage + 1}`,
    detail: {
      source: item.source,
      decision: entry.decision,
      reviewer: entry.reviewer,
      stage: entry.stage + 1,
      final: entry.final,
      defaulted: entry.defaulted,
      ...(entry.justification ? { justification: entry.justification } : {}),
      ...(entry.channel ? { channel: entry.channel } : {}),
    },
  };
}

async function decideOne(deps: DecisionDeps, campaign: Campaign, itemId: string, input: DecisionsInput): Promise<ItemResult> {
  const item = await deps.store.getItem(campaign.campaignId, itemId);
  try {
    if (!item) throw new ReviewItemNotFoundError(`campaign ${campaign.campaignId} has no item ${itemId}`);
    const outcome = applyDecision(campaign, item, { reviewer: input.reviewer, decision: input.decision, ...(input.justification ? { justification: input.justification } : {}) }, deps.clock.now());
    if (!(await deps.store.replaceItem(outcome.item, { status: item.status, stage: item.stage }))) {
      throw new ItemDecidedError(`item ${itemId} changed while it was being decided`);
    }
    await deps.audit.append(
      decidedDraft(campaign, item, {
        decision: input.decision,
        reviewer: reviewerId(input.reviewer),
        stage: outcome.stage,
        final: outcome.final,
        defaulted: false,
        ...(outcome.item.justification && outcome.final ? { justification: outcome.item.justification } : input.justification?.trim() ? { justification: input.justification.trim() } : {}),
        channel: input.channel,
      }),
    );
    if (outcome.final && input.decision === 'revoke' && deps.remediate) {
      return { itemId, outcome: 'decided', final: true, remediation: (await deps.remediate(campaign.campaignId, itemId)).remediation };
    }
    return { itemId, outcome: 'decided', final: outcome.final };
  } catch (error) {
    if (!isRefusal(error)) throw error;
    await deps.audit.append(refusedDraft(campaign, item, itemId, input, error.refusal));
    return { itemId, outcome: 'refused', why: error.refusal, message: error.message, error };
  }
}

/** Decides each item in turn; refusals are results, not exceptions (the caller maps a lone refusal to its status). */
export async function recordDecisions(deps: DecisionDeps, input: DecisionsInput): Promise<ItemResult[]> {
  const campaign = await deps.store.getCampaign(input.campaignId);
  if (!campaign) throw new CampaignNotFoundError(`no campaign ${input.campaignId}`);
  const results: ItemResult[] = [];
  for (const itemId of input.itemIds) results.push(await decideOne(deps, campaign, itemId, input));
  return results;
}
