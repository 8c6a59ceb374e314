import type { Catalogue } from '../catalogue/schema.ts';
import type { ReviewItem } from './items.ts';
import type { ReviewStore } from './ports.ts';

/**
 * A reviewer's queue (the console page, the e-mailed link): every pending item routed to them,
 * with what they need to decide (who, what, why they hold it, risk), optionally filtered.
 */

export interface QueueEntry {
  campaignId: string;
  itemId: string;
  employeeId: string;
  entitlementId: string;
  description: string;
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

export function queueEntry(item: ReviewItem, catalogue: Catalogue): QueueEntry {
  const description = catalogue.entitlements.find((entitlement) => entitlement.id === item.entitlementId)?.description ?? '';
  return {
    campaignId: item.campaignId,
    itemId: item.itemId,
    employeeId: item.employeeId,
    entitlementId: item.entitlementId,
    description,
    source: item.source,
    risk: item.risk,
    stage: item.stage + 1,
    stages: item.reviewers.length,
    escalated: item.escalated === true,
  };
}

export async function queueOf(deps: { store: Pick<ReviewStore, 'queueOf'>; catalogue: Catalogue }, reviewer: string, filter: QueueFilter = {}): Promise<QueueEntry[]> {
  return (await deps.store.queueOf(reviewer))
    .filter((item) => (filter.campaignId === undefined || item.campaignId === filter.campaignId) && (filter.risk === undefined || item.risk === filter.risk) && (filter.entitlementId === undefined || item.entitlementId === filter.entitlementId))
    .sort((a, b) => (a.campaignId === b.campaignId ? (a.itemId < b.itemId ? -1 : 1) : a.campaignId < b.campaignId ? -1 : 1))
    .map((item) => queueEntry(item, deps.catalogue));
}
