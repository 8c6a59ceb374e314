import { z } from 'zod';
import { riskSchema } from '../catalogue/schema.ts';
import { ValidationError } from '../shared/errors.ts';
import { describeIssues } from '../shared/validation.ts';

/**
 * An access review campaign, as an operator (CLI, console) or a recurring schedule defines it.
 * Durations are seconds so a test can compress a quarter into a minute without a second code
 * path: production campaigns say 1,209,600 (14 days) where a test says 20.
 */

/** The campaign id is the access-review execution's name: 1-64 of A-Z a-z 0-9 _ -, so `review.<id>` is a valid audit subject. */
export const campaignIdSchema = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'campaignId must be 1-64 of A-Z a-z 0-9 _ -');

export const scopeSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('all') }),
  z.strictObject({ kind: z.literal('entitlements'), entitlementIds: z.array(z.string().regex(/^[a-z]+(-[a-z]+)*:[^#\s]{1,120}$/, 'an entitlement id <kind>:<name>')).min(1).max(200) }),
  /** `low` is everything; `high` only high-risk entitlements. */
  z.strictObject({ kind: z.literal('risk'), atLeast: riskSchema }),
  z.strictObject({ kind: z.literal('department'), department: z.string().min(1).max(100) }),
  /** The grants of one time-bound request (source `time-bound:<requestId>`): the after-the-fact review of a break-glass use. */
  z.strictObject({ kind: z.literal('request'), requestId: z.string().regex(/^[A-Za-z0-9_-]{1,128}$/, 'requestId must be 1-128 of A-Z a-z 0-9 _ -') }),
]);
export type Scope = z.infer<typeof scopeSchema>;

/** Who reviews an item: the person's manager, the entitlement's owner group, or both in that order. */
export const reviewerRuleSchema = z.enum(['manager', 'owner', 'manager-then-owner']);
export type ReviewerRule = z.infer<typeof reviewerRuleSchema>;

export const decisionSchema = z.enum(['keep', 'revoke']);
export type Decision = z.infer<typeof decisionSchema>;
/** What an unanswered item becomes at the deadline: `flag` keeps the access and raises a finding for the owner. */
export const defaultDecisionSchema = z.enum(['keep', 'revoke', 'flag']);
export type DefaultDecision = z.infer<typeof defaultDecisionSchema>;

const seconds = (min: number, max: number) => z.int().min(min).max(max);
const YEAR = 366 * 86_400;

export const campaignDefinitionSchema = z.strictObject({
  name: z.string().regex(/^[^\p{Cc}]{1,100}$/u, 'name must be 1-100 characters, no control characters'),
  scope: scopeSchema,
  reviewers: z.strictObject({ low: reviewerRuleSchema.default('manager'), high: reviewerRuleSchema.default('manager-then-owner') }).default({ low: 'manager', high: 'manager-then-owner' }),
  /** Reviewers answer within this many seconds of the start. */
  dueInSeconds: seconds(10, YEAR),
  /** A reminder to each reviewer with open items, this often until the due date. */
  remindEverySeconds: seconds(5, YEAR),
  /** After the due date, open items go to the escalation reviewer for this long, then the default applies. */
  escalationSeconds: seconds(5, YEAR),
  /** Revoke is recommended (and the default) for high risk. */
  defaults: z.strictObject({ low: defaultDecisionSchema.default('keep'), high: defaultDecisionSchema.default('revoke') }).default({ low: 'keep', high: 'revoke' }),
});
export type CampaignDefinition = z.infer<typeof campaignDefinitionSchema>;

export function parseDefinition(input: unknown): CampaignDefinition {
  const parsed = campaignDefinitionSchema.safeParse(input);
  if (!parsed.success) throw new ValidationError(`invalid campaign: ${describeIssues(parsed.error)}`);
  return parsed.data;
}

export type CampaignStatus = 'open' | 'closed';

export interface Campaign {
  campaignId: string;
  /** The access-review execution's id (`$$.Execution.Id`): every audit entry of the campaign names it. */
  executionId: string;
  definition: CampaignDefinition;
  status: CampaignStatus;
  startedAt: string;
  dueAt: string;
  /** dueAt + escalationSeconds: the default decision applies here. */
  deadlineAt: string;
  snapshotHash: string;
  itemCount: number;
  /** Set by `review close`: the next check ends the campaign early (defaults apply now). */
  closeRequestedAt?: string;
  closedAt?: string;
}

export const auditSubjectOf = (campaignId: string): string => `review.${campaignId}`;

/** What every campaign-level audit entry says of where it comes from: the campaign's own subject, the workflow as actor. */
export const campaignEntryOrigin = (campaign: Pick<Campaign, 'campaignId' | 'executionId'>) => ({
  subject: auditSubjectOf(campaign.campaignId),
  actor: { type: 'system', id: 'access-review' } as const,
  requestId: campaign.campaignId,
  executionId: campaign.executionId,
});

/** The instants a campaign started at `startedAt` runs on. */
export function timelineOf(definition: CampaignDefinition, startedAt: Date): { dueAt: string; deadlineAt: string } {
  const due = startedAt.getTime() + definition.dueInSeconds * 1000;
  return { dueAt: new Date(due).toISOString(), deadlineAt: new Date(due + definition.escalationSeconds * 1000).toISOString() };
}

export function describeScope(scope: Scope): string {
  switch (scope.kind) {
    case 'all':
      return 'all entitlements';
    case 'entitlements':
      return `entitlements ${scope.entitlementIds.join(', ')}`;
    case 'risk':
      return scope.atLeast === 'high' ? 'high-risk entitlements' : 'all entitlements (risk low and above)';
    case 'department':
      return `department ${scope.department}`;
    case 'request':
      return `the grants of request ${scope.requestId}`;
  }
}
