import { z } from 'zod';
import { AUDIT_LOG_PAGE, AUDIT_QUERIES } from '../domain/console/audit.ts';

/** The console API's inputs: query strings and bodies, one schema each (functions/console-*). */

const nextToken = z.string().max(2048).optional();

export const pageQuerySchema = z.strictObject({ nextToken });
export const approversQuerySchema = z.strictObject({ duration: z.string().min(2).max(32) });
export const peopleQuerySchema = z.strictObject({
  q: z.string().max(254).default(''),
  status: z.enum(['active', 'left']).default('active'),
  nextToken,
});
/** POST /api/approvals/{id}: a deny says why (kept in the audit trail); an approve may. */
export const decisionBodySchema = z
  .strictObject({
    decision: z.enum(['approve', 'deny']),
    reason: z.string().trim().max(500).optional(),
  })
  .refine((body) => body.decision !== 'deny' || (body.reason ?? '') !== '', { path: ['reason'], message: 'required to deny: say why (it is kept in the audit trail)' });
export const auditQueryNameSchema = z.enum(AUDIT_QUERIES);
export const auditQuerySchema = z.strictObject({
  entitlementId: z.string().max(200).optional(),
  at: z.iso.datetime({ offset: true }).optional(),
  approver: z.string().max(254).optional(),
  format: z.enum(['json', 'csv']).default('json'),
});
/** GET /api/audit/entries: one page of the log, by person, actor or UTC day (domain/console/audit.ts auditLogFilter). */
export const auditLogQuerySchema = z.strictObject({
  subject: z.string().max(128).optional(),
  actor: z.string().max(300).optional(),
  day: z.string().max(10).optional(),
  from: z.iso.datetime({ offset: true }).optional(),
  to: z.iso.datetime({ offset: true }).optional(),
  limit: z.coerce.number().int().min(1).max(AUDIT_LOG_PAGE.max).optional(),
  nextToken: z.string().max(2000).optional(),
});

/** GET /api/reviews: the signed-in reviewer's queue, filtered. */
export const reviewQueueQuerySchema = z.strictObject({
  campaignId: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/).optional(),
  risk: z.enum(['low', 'high']).optional(),
  entitlementId: z.string().max(200).optional(),
});
/** POST /api/reviews/{campaignId}/decisions: one decision over up to 100 items (bulk action). */
export const reviewDecisionBodySchema = z.strictObject({
  itemIds: z.array(z.string().regex(/^[\x21-\x7e]{1,300}$/, 'an item id')).min(1).max(100),
  decision: z.enum(['keep', 'revoke']),
  justification: z.string().max(1000).optional(),
});
/** POST /api/review-campaigns: start a campaign (operators); `campaign` is a campaign definition (domain/reviews/campaign.ts). */
export const startCampaignBodySchema = z.strictObject({
  campaignId: z.string().optional(),
  campaign: z.record(z.string(), z.unknown()),
  /** With it, nothing starts now: a recurring campaign (domain/reviews/recurring.ts) is created or updated. */
  recurring: z.strictObject({ name: z.string(), expression: z.string(), timezone: z.string().optional() }).optional(),
});
/**
 * POST /api/review-campaigns/{campaignId}/{action}: remind | close a campaign; pause | resume a
 * recurring campaign, whose name is then the path's {campaignId} (one route for all four keeps the
 * stack's resource count down).
 */
export const campaignActionSchema = z.strictObject({ campaignId: z.string(), action: z.enum(['remind', 'close', 'pause', 'resume']) });
/** GET /api/review-campaigns?view=recurring: the recurring campaigns instead of the recent ones. */
export const campaignListQuerySchema = z.strictObject({ view: z.enum(['recent', 'recurring']).default('recent') });
/** GET /api/review-campaigns/{campaignId}: the evidence as CSV (every item), JSON (summary and rows) or printable HTML. */
export const campaignReportQuerySchema = z.strictObject({ format: z.enum(['csv', 'json', 'html']).default('csv') });
