import type { Catalogue } from '../catalogue/schema.ts';
import { csrfToken, verifyCsrf } from '../approvals/csrf.ts';
import { CsrfRejectedError } from '../approvals/errors.ts';
import type { Decision } from './campaign.ts';
import { CampaignNotFoundError, ReviewLinkExpiredError } from './errors.ts';
import { csrfSubject, isExpired, linkIdSchema, type ReviewLink } from './links.ts';
import type { ReviewStore } from './ports.ts';
import { queueOf, type QueueEntry } from './queue.ts';
import { recordDecisions, type DecisionDeps, type ItemResult } from './record-decisions.ts';

/**
 * The reviewer's e-mailed page, under the approval link rules: GET (`viewLink`) reads only and,
 * while the link is valid, hands out the CSRF token; POST (`decideByLink`) checks the token and
 * its cookie (domain/approvals/csrf.ts) before anything is read for writing, then decides as the
 * reviewer the link was mailed to (never as whoever holds it: the reviewer is the link's).
 */

export interface LinkPageDeps extends DecisionDeps {
  store: DecisionDeps['store'] & Pick<ReviewStore, 'getLink' | 'queueOf'>;
  catalogue: Catalogue;
}

export interface LinkView {
  link: ReviewLink;
  campaignName: string;
  open: boolean;
  items: QueueEntry[];
  csrf?: string;
}

async function load(deps: LinkPageDeps, campaignId: string, linkId: string): Promise<ReviewLink> {
  const link = linkIdSchema.safeParse(linkId).success ? await deps.store.getLink(campaignId, linkId) : undefined;
  if (!link) throw new CampaignNotFoundError('no such review link');
  return link;
}

export async function viewLink(deps: LinkPageDeps, campaignId: string, linkId: string): Promise<LinkView> {
  const link = await load(deps, campaignId, linkId);
  const campaign = await deps.store.getCampaign(campaignId);
  const open = campaign?.status === 'open' && !isExpired(link, deps.clock.now());
  const items = open ? await queueOf(deps, link.reviewer, { campaignId }) : [];
  return { link, campaignName: campaign?.definition.name ?? campaignId, open, items, ...(open ? { csrf: csrfToken(csrfSubject(link)) } : {}) };
}

export interface LinkDecision {
  campaignId: string;
  linkId: string;
  itemIds: string[];
  decision: Decision;
  justification?: string;
  csrf: string;
  csrfCookie: string | undefined;
}

export async function decideByLink(deps: LinkPageDeps, input: LinkDecision): Promise<ItemResult[]> {
  const link = await load(deps, input.campaignId, input.linkId);
  if (verifyCsrf(csrfSubject(link), input.csrf, input.csrfCookie) !== 'ok') throw new CsrfRejectedError('the form did not come from this page; open the link again');
  if (isExpired(link, deps.clock.now())) throw new ReviewLinkExpiredError('this review link has expired');
  return recordDecisions(deps, { campaignId: input.campaignId, itemIds: input.itemIds, reviewer: link.reviewer, decision: input.decision, channel: 'link', ...(input.justification ? { justification: input.justification } : {}) });
}
