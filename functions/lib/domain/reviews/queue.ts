import type { Catalogue } from '../catalogue/schema.ts';
import type { Campaign } from './campaign.ts';
import type { ReviewItem } from './items.ts';
import type { ReviewStore } from './ports.ts';

/**
 * A reviewer's queue (the console page, the e-mailed link): every pending item routed to them,
 * with what they need to decide (who, what, why they hold it, risk), optionally filtered.
 */

export interface QueueEntry {
  campaignId: string;
  campaignName: string;
  /** When the reviewer must have answered (then the item is escalated; the default applies at the deadline). */
  dueAt: string;
  itemId: string;
  employeeId: string;
  /** The person's name at the snapshot; their employee id when none was kept. */
  personName: string;
  personEmail: string;
  entitlementId: string;
  description: string;
  /** When the grant was applied (null: not recorded). */
  since: string | null;
  source: string;
  risk: 'low' | 'high';
  stage: number;
  stages: number;
  escalated: boolean;
}

export interface QueueFilter {
  campaignId?: string;
  risk?: 'low' | 'high';
  entitlementId?: string;
}

export function queueEntry(item: ReviewItem, catalogue: Catalogue, campaign: Pick<Campaign, 'definition' | 'dueAt' | 'deadlineAt'>): QueueEntry {
  const description = catalogue.entitlements.find((entitlement) => entitlement.id === item.entitlementId)?.description ?? '';
  return {
    campaignId: item.campaignId,
    campaignName: campaign.definition.name,
    dueAt: item.escalated ? campaign.deadlineAt : campaign.dueAt,
    itemId: item.itemId,
    employeeId: item.employeeId,
    personName: item.personName ?? item.employeeId,
    personEmail: item.personEmail,
    entitlementId: item.entitlementId,
    description,
    since: item.since ?? null,
    source: item.source,
    risk: item.risk,
    stage: item.stage + 1,
    stages: item.reviewers.length,
    escalated: item.escalated === true,
  };
}

export async function queueOf(deps: { store: Pick<ReviewStore, 'queueOf' | 'getCampaign'>; catalogue: Catalogue }, reviewer: string, filter: QueueFilter = {}): Promise<QueueEntry[]> {
  const items = await deps.store.queueOf(reviewer);
  const campaigns = new Map<string, Campaign>();
  for (const campaignId of new Set(items.map((item) => item.campaignId))) {
    const campaign = await deps.store.getCampaign(campaignId);
    if (campaign) campaigns.set(campaignId, campaign);
  }
  return items
    .filter((item) => campaigns.has(item.campaignId))
    .filter((item) => (filter.campaignId === undefined || item.campaignId === filter.campaignId) && (filter.risk === undefined || item.risk === filter.risk) && (filter.entitlementId === undefined || item.entitlementId === filter.entitlementId))
    .sort((a, b) => (a.campaignId === b.campaignId ? (a.itemId < b.itemId ? -1 : 1) : a.campaignId < b.campaignId ? -1 : 1))
    .map((item) => queueEntry(item, deps.catalogue, campaigns.get(item.campaignId)!));
}
