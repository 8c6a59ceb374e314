import type { AuditStore } from '../audit/ports.ts';
import type { Clock } from '../shared/clock.ts';
import { clip } from '../shared/ids.ts';
import { defaultDecisionSchema, type Campaign, campaignEntryOrigin } from './campaign.ts';
import { applyDefault } from './decide.ts';
import { CampaignNotFoundError } from './errors.ts';
import type { ReviewItem } from './items.ts';
import type { ReviewStore } from './ports.ts';
import { decidedDraft } from './record-decisions.ts';

/**
 * The deadline: "Apply Default Decisions" settles every pending item with the campaign's default
 * for its risk (audited as defaulted, a `flag` also raises a finding for the owner group); "Find
 * Revocations" pages through revoke decisions for the Map that removes them; "Close Campaign"
 * marks it closed and writes `review.closed` with the counts. Each is safe to run again.
 */

export interface DeadlineDeps {
  store: Pick<ReviewStore, 'getCampaign' | 'listItems' | 'replaceItem' | 'markClosed'>;
  audit: Pick<AuditStore, 'append'>;
  clock: Clock;
}

async function campaignOf(deps: Pick<DeadlineDeps, 'store'>, campaignId: string): Promise<Campaign> {
  const campaign = await deps.store.getCampaign(campaignId);
  if (!campaign) throw new CampaignNotFoundError(`no campaign ${campaignId}`);
  return campaign;
}

export async function applyDefaults(deps: DeadlineDeps, campaignId: string): Promise<{ defaulted: number }> {
  const campaign = await campaignOf(deps, campaignId);
  const pending = (await deps.store.listItems(campaignId)).filter((item) => item.status === 'pending');
  let defaulted = 0;
  for (const item of pending) {
    const decision = defaultDecisionSchema.parse(campaign.definition.defaults[item.risk]);
    const next = applyDefault(item, decision, deps.clock.now());
    // A reviewer who answered in the last moment wins; their decision is already audited.
    if (!(await deps.store.replaceItem(next, { status: 'pending', stage: item.stage }))) continue;
    defaulted += 1;
    const reviewer = item.escalated ? item.escalations[item.stage]! : item.reviewers[item.stage]!;
    await deps.audit.append(decidedDraft(campaign, item, { decision, reviewer, stage: item.stage, final: true, defaulted: true }));
    if (decision === 'flag') await deps.audit.append(flaggedDraft(campaign, item));
  }
  return { defaulted };
}

function flaggedDraft(campaign: Campaign, item: ReviewItem) {
  return {
    kind: 'review.finding' as const,
    subject: item.employeeId,
    entitlementId: item.entitlementId,
    actor: { type: 'system' as const, id: 'review-deadline' },
    requestId: campaign.campaignId,
    executionId: campaign.executionId,
    reason: clip(`${item.entitlementId} (${item.source}) of ${item.employeeId} was not reviewed in time: flagged for its owner group ${item.escalations.at(-1) ?? ''}`),
    idempotencyKey: `${campaign.campaignId}/review.finding/${item.itemId}`,
    detail: { finding: 'flagged' as const, source: item.source, owner: item.reviewers.at(-1)! },
  };
}

export const REVOCATION_PAGE = 40;

/** Revoke decisions not yet remediated, after `after` (an itemId), at most REVOCATION_PAGE. */
export async function findRevocations(deps: Pick<DeadlineDeps, 'store'>, campaignId: string, after?: string): Promise<{ itemIds: string[]; next?: string }> {
  const items = (await deps.store.listItems(campaignId))
    .filter((item) => item.status === 'decided' && item.decision === 'revoke' && (after === undefined || item.itemId > after))
    .sort((a, b) => (a.itemId < b.itemId ? -1 : 1));
  const page = items.slice(0, REVOCATION_PAGE).map((item) => item.itemId);
  return items.length > REVOCATION_PAGE ? { itemIds: page, next: page.at(-1)! } : { itemIds: page };
}

export interface CloseSummary {
  itemCount: number;
  keep: number;
  revoke: number;
  flag: number;
  defaulted: number;
  escalated: number;
}

export function countDecisions(items: readonly ReviewItem[]): CloseSummary {
  const count = (test: (item: ReviewItem) => boolean) => items.filter(test).length;
  return {
    itemCount: items.length,
    keep: count((item) => item.decision === 'keep'),
    revoke: count((item) => item.decision === 'revoke'),
    flag: count((item) => item.decision === 'flag'),
    defaulted: count((item) => item.defaulted === true),
    escalated: count((item) => item.escalated === true),
  };
}

export async function closeCampaign(deps: DeadlineDeps, campaignId: string): Promise<CloseSummary> {
  const campaign = await campaignOf(deps, campaignId);
  const summary = countDecisions(await deps.store.listItems(campaignId));
  await deps.store.markClosed(campaignId, deps.clock.now().toISOString());
  await deps.audit.append({
    kind: 'review.closed',
    ...campaignEntryOrigin(campaign),
    reason: `access review "${campaign.definition.name}" closed: ${summary.itemCount} items, ${summary.keep} kept, ${summary.revoke} revoked, ${summary.flag} flagged, ${summary.defaulted} by default`.slice(0, 500),
    idempotencyKey: `${campaignId}/review.closed`,
    detail: { snapshotHash: campaign.snapshotHash, ...summary },
  });
  return summary;
}
