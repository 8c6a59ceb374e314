import type { Clock } from '../shared/clock.ts';
import { ConflictError, ValidationError } from '../shared/errors.ts';
import { campaignIdSchema, parseDefinition, type Campaign } from './campaign.ts';
import { countDecisions } from './close.ts';
import { CampaignClosedError, CampaignNotFoundError } from './errors.ts';
import type { CampaignRuns, ReviewStore } from './ports.ts';

/**
 * What an operator does with campaigns (the console's Reviews page; the CLI shares start and
 * close): start one (an access-review execution named after the campaign id), see the recent
 * ones with their progress, and ask one to close early (the defaults apply at its next check).
 */

export interface OperateDeps {
  store: Pick<ReviewStore, 'getCampaign' | 'listItems' | 'requestClose'>;
  runs: CampaignRuns;
  clock: Clock;
}

/** A campaign id from the start time when the operator gives none: `review-20261203182000`. */
export const newCampaignId = (at: Date): string => `review-${at.toISOString().slice(0, 19).replace(/[^0-9]/g, '')}`;

export class CampaignExistsError extends ConflictError {}

export async function startReview(deps: Pick<OperateDeps, 'runs' | 'clock'>, input: { campaignId?: string | undefined; campaign: unknown }): Promise<{ campaignId: string }> {
  const id = input.campaignId ?? newCampaignId(deps.clock.now());
  if (!campaignIdSchema.safeParse(id).success) throw new ValidationError('campaignId: 1-64 of A-Z a-z 0-9 _ -');
  const definition = parseDefinition(input.campaign);
  if ((await deps.runs.start(id, definition)) === 'exists') throw new CampaignExistsError(`a campaign with id ${id} was already started: choose another id`);
  return { campaignId: id };
}

export type CampaignState = 'taking snapshot' | 'open' | 'closing' | 'closed' | 'failed';

export interface CampaignRow {
  campaignId: string;
  name: string | null;
  state: CampaignState;
  run: string;
  startedAt: string;
  dueAt: string | null;
  deadlineAt: string | null;
  itemCount: number | null;
  counts: { pending: number; decided: number; remediated: number; keep: number; revoke: number; flag: number; defaulted: number } | null;
}

function stateOf(run: string, campaign: Campaign | undefined): CampaignState {
  if (campaign?.status === 'closed') return 'closed';
  if (run !== 'RUNNING') return run === 'SUCCEEDED' ? 'closed' : 'failed';
  if (!campaign) return 'taking snapshot';
  return campaign.closeRequestedAt ? 'closing' : 'open';
}

/** The `limit` newest campaigns, each with its progress (items are read per campaign: keep `limit` small). */
export async function recentCampaigns(deps: OperateDeps, limit = 10): Promise<CampaignRow[]> {
  const runs = await deps.runs.recent(limit);
  return Promise.all(
    runs.map(async (run): Promise<CampaignRow> => {
      const campaign = await deps.store.getCampaign(run.campaignId);
      const items = campaign ? await deps.store.listItems(run.campaignId) : [];
      const by = (status: string) => items.filter((item) => item.status === status).length;
      const counts = countDecisions(items);
      return {
        campaignId: run.campaignId,
        name: campaign?.definition.name ?? null,
        state: stateOf(run.status, campaign),
        run: run.status,
        startedAt: campaign?.startedAt ?? run.startedAt,
        dueAt: campaign?.dueAt ?? null,
        deadlineAt: campaign?.deadlineAt ?? null,
        itemCount: campaign?.itemCount ?? null,
        counts: campaign ? { pending: by('pending'), decided: by('decided'), remediated: by('remediated'), keep: counts.keep, revoke: counts.revoke, flag: counts.flag, defaulted: counts.defaulted } : null,
      };
    }),
  );
}

/** Ends a campaign early: its next check applies the defaults, revokes and closes. Asking twice is fine. */
export async function requestEarlyClose(deps: Pick<OperateDeps, 'store' | 'clock'>, campaignId: string): Promise<{ campaignId: string; closeRequestedAt: string }> {
  const at = deps.clock.now().toISOString();
  if (!(await deps.store.requestClose(campaignId, at))) {
    const campaign = await deps.store.getCampaign(campaignId);
    if (!campaign) throw new CampaignNotFoundError(`no campaign ${campaignId}: its snapshot may not be taken yet, try again in a moment`);
    throw new CampaignClosedError(`campaign ${campaignId} is already closed`);
  }
  const campaign = await deps.store.getCampaign(campaignId);
  return { campaignId, closeRequestedAt: campaign?.closeRequestedAt ?? at };
}
