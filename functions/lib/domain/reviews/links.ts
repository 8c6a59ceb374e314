import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import type { ReviewLink, ReviewStore } from './ports.ts';

/**
 * A reviewer's e-mailed link: `/reviews/{campaignId}/{linkId}`, a 256-bit random id mailed only
 * to that reviewer, bound to them, expiring at the campaign's deadline. The page follows the
 * approval link rules and reuses their CSRF machinery (domain/approvals/csrf.ts): GET shows the
 * queue and changes nothing; POST decides, with the synchroniser token and its `__Host-` cookie.
 */

/** Declared beside the store that keeps it (ports.ts), so the two files do not import each other. */
export type { ReviewLink };

export const linkIdSchema = z.string().regex(/^[A-Za-z0-9_-]{43}$/, 'link id must be 43 base64url characters');

export function newLink(campaignId: string, reviewer: string, expiresAt: string): ReviewLink {
  return { campaignId, linkId: randomBytes(32).toString('base64url'), reviewer: reviewer.trim().toLowerCase(), csrfSecret: randomBytes(32).toString('base64url'), expiresAt };
}

/** The shape the approval CSRF helpers take: the link id stands in for the approval id, the reviewer for the approver. */
export const csrfSubject = (link: ReviewLink) => ({ approvalId: `${link.campaignId}/${link.linkId}`, approver: { email: link.reviewer }, csrfSecret: link.csrfSecret });

export const linkPath = (link: Pick<ReviewLink, 'campaignId' | 'linkId'>): string => `/reviews/${encodeURIComponent(link.campaignId)}/${link.linkId}`;

export const isExpired = (link: ReviewLink, now: Date): boolean => Date.parse(link.expiresAt) <= now.getTime();

/**
 * The mails' link maker (the machine's checks, an operator's reminder): a fresh link per mail,
 * bound to the reviewer, valid until the campaign's deadline, under `base` (the front door).
 */
export function reviewLinkFor(store: Pick<ReviewStore, 'getCampaign' | 'putLink'>, base: string, now: () => Date = () => new Date()) {
  const root = base.replace(/\/$/, '');
  return async (campaignId: string, reviewer: string): Promise<string> => {
    const campaign = await store.getCampaign(campaignId);
    const link = newLink(campaignId, reviewer, campaign?.deadlineAt ?? now().toISOString());
    await store.putLink(link);
    return `${root}${linkPath(link)}`;
  };
}
