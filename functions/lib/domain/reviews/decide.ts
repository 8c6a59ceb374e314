import type { Campaign, Decision } from './campaign.ts';
import { CampaignClosedError, ItemDecidedError, JustificationRequiredError, NotReviewerError, SelfReviewError } from './errors.ts';
import type { ReviewItem } from './items.ts';

/**
 * The decision rules, pure: who may decide an item, and what a decision does to it. A keep on a
 * two-stage item moves it to the next reviewer; a revoke at any stage is final. Checks in this
 * order, so the refusal names the most important reason: closed campaign, self-review, item
 * already decided, not the item's reviewer, missing justification (every revoke; a keep of high risk).
 */

export interface DecisionRequest {
  /** The reviewer's e-mail (signed-in caller, or the one a link was mailed to). */
  reviewer: string;
  decision: Decision;
  justification?: string;
}

export interface DecisionOutcome {
  item: ReviewItem;
  /** true when the item is settled (revoke, or keep at the last stage). */
  final: boolean;
  /** The stage decided (0-based). */
  stage: number;
}

const normalise = (email: string): string => email.trim().toLowerCase();

/** Who may decide the item now: the stage's reviewer, and once escalated, the escalation reviewer too. */
export function mayDecide(item: ReviewItem, reviewer: string): boolean {
  const who = normalise(reviewer);
  if (who === item.personEmail) return false;
  return item.reviewers[item.stage] === who || (item.escalated === true && item.escalations[item.stage] === who);
}

export function applyDecision(campaign: Pick<Campaign, 'status'>, item: ReviewItem, request: DecisionRequest, at: Date): DecisionOutcome {
  const who = normalise(request.reviewer);
  if (campaign.status !== 'open') throw new CampaignClosedError(`campaign ${item.campaignId} is closed: decisions are no longer accepted`);
  if (who === item.personEmail) throw new SelfReviewError('a person cannot review their own access');
  if (item.status !== 'pending') throw new ItemDecidedError(`item ${item.itemId} was already decided (${item.decision ?? item.status})`);
  if (!mayDecide(item, who)) throw new NotReviewerError(`item ${item.itemId} is not yours to review`);
  const justification = request.justification?.trim();
  // A revoke takes access away from a colleague: the evidence says why. Keeping high-risk access needs a reason too.
  if (request.decision === 'revoke' && !justification) throw new JustificationRequiredError('justification: say why this access should be revoked');
  if (request.decision === 'keep' && item.risk === 'high' && !justification) {
    throw new JustificationRequiredError('justification: required to keep a high-risk entitlement');
  }
  const stage = item.stage;
  const last = stage >= item.reviewers.length - 1;
  const final = request.decision === 'revoke' || last;
  const next: ReviewItem = final
    ? { ...item, status: 'decided', decision: request.decision, decidedBy: who, decidedAt: at.toISOString(), ...(justification ? { justification } : {}) }
    : { ...item, stage: stage + 1, escalated: false };
  return { item: next, final, stage };
}

/** The deadline's decision for an item nobody settled: the campaign's default for its risk. */
export function applyDefault(item: ReviewItem, decision: Decision | 'flag', at: Date): ReviewItem {
  return { ...item, status: 'decided', decision, decidedBy: 'system:review-deadline', decidedAt: at.toISOString(), defaulted: true };
}
