import type { Campaign, CampaignDefinition } from './campaign.ts';
import type { ActiveGrant, PersonFacts, ReviewItem } from './items.ts';

/** A reviewer's e-mailed link (links.ts makes and checks them): bound to one reviewer, expiring at the campaign's deadline. */
export interface ReviewLink {
  campaignId: string;
  linkId: string;
  reviewer: string;
  csrfSecret: string;
  expiresAt: string;
}

/** What the review use cases need from storage and the outside world; implemented outside domain/. */
export interface ReviewStore {
  getCampaign(campaignId: string): Promise<Campaign | undefined>;
  /** Conditional create; false when the campaign already exists (a retried start). */
  createCampaign(campaign: Campaign): Promise<boolean>;
  /** Writes items of a campaign not yet written (a retried snapshot rewrites the same keys). */
  putItems(items: readonly ReviewItem[]): Promise<void>;
  /** Deletes items of a campaign whose record is not written yet (a retried snapshot's strays). */
  deleteItems(campaignId: string, itemIds: readonly string[]): Promise<void>;
  getItem(campaignId: string, itemId: string): Promise<ReviewItem | undefined>;
  /** Conditional update: only if the stored item still has `expected`'s status and stage. false otherwise. */
  replaceItem(next: ReviewItem, expected: Pick<ReviewItem, 'status' | 'stage'>): Promise<boolean>;
  listItems(campaignId: string): Promise<ReviewItem[]>;
  /** Pending items waiting for `reviewer`, over every open campaign. */
  queueOf(reviewer: string): Promise<ReviewItem[]>;
  /** Sets closeRequestedAt (open campaigns only); false when not open. */
  requestClose(campaignId: string, at: string): Promise<boolean>;
  /** open -> closed, once. */
  markClosed(campaignId: string, at: string): Promise<boolean>;
  putLink(link: ReviewLink): Promise<void>;
  getLink(campaignId: string, linkId: string): Promise<ReviewLink | undefined>;
}

/** Every active grant and every person, read once at the start. */
export interface Population {
  activeGrants(): Promise<ActiveGrant[]>;
  people(): Promise<Map<string, PersonFacts>>;
}

/** A reminder, an escalation or a link mail to one reviewer. */
export interface ReviewMail {
  kind: 'reminder' | 'escalation';
  campaignId: string;
  campaignName: string;
  reviewer: string;
  items: number;
  dueAt: string;
  /** The reviewer's own link (GET shows the queue, POST decides). */
  link: string;
}

export interface ReviewMailer {
  send(mail: ReviewMail): Promise<void>;
}

/** A campaign's run: the access-review execution named after the campaign id. */
export interface CampaignRun {
  campaignId: string;
  /** Step Functions' status: RUNNING, SUCCEEDED, FAILED, TIMED_OUT, ABORTED. */
  status: string;
  startedAt: string;
}

/** Starts and lists access-review executions (adapters/aws/sfn-access-review.ts). */
export interface CampaignRuns {
  /** `exists`: an execution of that name was already started (a campaign id is used once). */
  start(campaignId: string, definition: CampaignDefinition): Promise<'started' | 'exists'>;
  /** The newest runs first, at most `limit`. */
  recent(limit: number): Promise<CampaignRun[]>;
}
