import type { AuditStore } from '../audit/ports.ts';
import type { Catalogue } from '../catalogue/schema.ts';
import type { Clock } from '../shared/clock.ts';
import { describeScope, timelineOf, type Campaign, type CampaignDefinition, campaignEntryOrigin } from './campaign.ts';
import { snapshotHash } from '../audit/snapshot.ts';
import { snapshotItems, tripleOf } from './items.ts';
import type { Population, ReviewStore } from './ports.ts';

/**
 * "Take Snapshot": freeze the population (every active grant in scope, by source), write one
 * item per grant, then the campaign, then `review.started` with the snapshot's hash. A retry
 * after the campaign exists changes nothing and returns the same campaign; a retry before it
 * takes the snapshot again and deletes the first attempt's items it no longer holds.
 */

export interface StartDeps {
  store: Pick<ReviewStore, 'getCampaign' | 'createCampaign' | 'putItems' | 'listItems' | 'deleteItems'>;
  population: Population;
  catalogue: Catalogue;
  audit: Pick<AuditStore, 'append'>;
  clock: Clock;
}

export interface StartInput {
  campaignId: string;
  executionId: string;
  definition: CampaignDefinition;
}

export interface CampaignSummary {
  campaignId: string;
  itemCount: number;
  snapshotHash: string;
  dueAt: string;
  deadlineAt: string;
}

const summaryOf = (campaign: Campaign): CampaignSummary => ({
  campaignId: campaign.campaignId,
  itemCount: campaign.itemCount,
  snapshotHash: campaign.snapshotHash,
  dueAt: campaign.dueAt,
  deadlineAt: campaign.deadlineAt,
});

export async function startCampaign(deps: StartDeps, input: StartInput): Promise<CampaignSummary> {
  let campaign = await deps.store.getCampaign(input.campaignId);
  if (!campaign) {
    const [grants, people] = await Promise.all([deps.population.activeGrants(), deps.population.people()]);
    const items = snapshotItems({ campaignId: input.campaignId, definition: input.definition, catalogue: deps.catalogue, grants, people });
    // A retry after a crash between the items and the campaign record re-reads the population: items
    // of the first attempt that this snapshot no longer holds (a grant ended meanwhile) would be strays.
    const kept = new Set(items.map((item) => item.itemId));
    const strays = (await deps.store.listItems(input.campaignId)).filter((item) => !kept.has(item.itemId)).map((item) => item.itemId);
    if (strays.length > 0) await deps.store.deleteItems(input.campaignId, strays);
    await deps.store.putItems(items);
    const startedAt = deps.clock.now();
    campaign = {
      campaignId: input.campaignId,
      executionId: input.executionId,
      definition: input.definition,
      status: 'open',
      startedAt: startedAt.toISOString(),
      ...timelineOf(input.definition, startedAt),
      snapshotHash: snapshotHash(items.map(tripleOf)),
      itemCount: items.length,
    };
    if (!(await deps.store.createCampaign(campaign))) campaign = (await deps.store.getCampaign(input.campaignId)) ?? campaign;
  }
  const { definition } = campaign;
  await deps.audit.append({
    kind: 'review.started',
    ...campaignEntryOrigin(campaign),
    reason: `access review "${definition.name}" started over ${describeScope(definition.scope)}: ${campaign.itemCount} items frozen, due ${campaign.dueAt}`.slice(0, 500),
    idempotencyKey: `${campaign.campaignId}/review.started`,
    detail: {
      name: definition.name,
      scope: describeScope(definition.scope).slice(0, 300),
      snapshotHash: campaign.snapshotHash,
      itemCount: campaign.itemCount,
      dueAt: campaign.dueAt,
      deadlineAt: campaign.deadlineAt,
      defaults: definition.defaults,
    },
  });
  return summaryOf(campaign);
}
