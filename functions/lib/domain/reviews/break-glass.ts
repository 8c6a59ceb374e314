import { createHash } from 'node:crypto';
import type { Catalogue } from '../catalogue/schema.ts';
import { parseDefinition, type CampaignDefinition } from './campaign.ts';
import type { CampaignRuns } from './ports.ts';
import { personOrId } from '../notifications/people.ts';
import type { TimeBoundNotices } from '../time-bound/notices.ts';
import type { BreakGlassFacts, BreakGlassFollowUp } from '../time-bound/record-grants.ts';

/**
 * What follows a break-glass grant once it is recorded (issue #17): the operators and the owners
 * of what was taken are told at once (notification `break-glass-used`, mail and the Slack
 * channel), and an after-the-fact review is opened: an access-review campaign over exactly this
 * request's grants (scope `request`), reviewed by the owner group, which an owner closes by
 * keeping the record or revoking it as misuse (with a reason). Unanswered at the deadline, the
 * item is flagged (a finding for the owner), never silently kept. Both steps are idempotent: the
 * notification is sent once per request (send.ts), and the campaign id is derived from the
 * request id, so a retried task finds the execution already started. Record Time-Bound Grants
 * calls it through its `breakGlass` port (wired in runtime/time-bound-deps.ts).
 */

/** The review's timeline: a week to answer, a daily reminder, two more days with the escalation reviewer. */
export const BREAK_GLASS_REVIEW_TIMELINE = { dueInSeconds: 7 * 86_400, remindEverySeconds: 86_400, escalationSeconds: 2 * 86_400 } as const;

const PREFIX = 'break-glass-';

/** The review's campaign id (1-64 of A-Z a-z 0-9 _ -): the request id when it fits, else its hash. */
export function breakGlassReviewId(requestId: string): string {
  if (/^[A-Za-z0-9_-]+$/.test(requestId) && PREFIX.length + requestId.length <= 64) return `${PREFIX}${requestId}`;
  return `${PREFIX}${createHash('sha256').update(requestId).digest('hex').slice(0, 40)}`;
}

export function breakGlassReviewDefinition(requestId: string, employeeId: string): CampaignDefinition {
  return parseDefinition({
    name: `Break-glass use by ${employeeId} (request ${requestId})`.slice(0, 100),
    scope: { kind: 'request', requestId },
    reviewers: { low: 'owner', high: 'owner' },
    ...BREAK_GLASS_REVIEW_TIMELINE,
    defaults: { low: 'flag', high: 'flag' },
  });
}

export interface BreakGlassFollowUpDeps {
  notices: TimeBoundNotices;
  reviews: Pick<CampaignRuns, 'start'>;
  catalogue: Pick<Catalogue, 'entitlements'>;
}

/** Nothing for a request that is not break-glass (undefined); otherwise tells, then opens the review. */
export async function followUpBreakGlass(deps: BreakGlassFollowUpDeps, facts: BreakGlassFacts): ReturnType<BreakGlassFollowUp> {
  const request = await deps.notices.requests.get(facts.requestId);
  if (request?.breakGlass !== true) return undefined;
  const reviewId = breakGlassReviewId(facts.requestId);
  const byId = new Map(deps.catalogue.entitlements.map((entitlement) => [entitlement.id, entitlement]));
  const owners = [...new Set(facts.granted.map((id) => byId.get(id)?.ownerGroupEmail.toLowerCase()).filter((email): email is string => email !== undefined))];
  // Told first, at once: the review id is known before the campaign starts, and a failed start is retried without mailing again.
  const { status } = await deps.notices.notify({
    kind: 'break-glass-used',
    person: personOrId(await deps.notices.people.person(facts.employeeId), facts.employeeId),
    requestId: facts.requestId,
    ownerEmails: owners,
    granted: facts.granted.map((id) => {
      const description = byId.get(id)?.description;
      return description ? { id, description } : { id };
    }),
    reason: request.justification ?? 'no reason was recorded',
    endsAt: facts.endsAt,
    reviewId,
  });
  const review = await deps.reviews.start(reviewId, breakGlassReviewDefinition(facts.requestId, facts.employeeId));
  return { reviewId, review, notice: status };
}
