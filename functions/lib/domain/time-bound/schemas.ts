import { z } from 'zod';
import { isoDurationToMinutes } from '../catalogue/duration.ts';
import { employeeIdSchema } from '../events/employee-events.ts';
import { requestIdSchema } from '../grants/grants.ts';
import { requesterSchema } from '../policy/schema.ts';

/**
 * Time-bound (just-in-time) access: the HTTP contract of POST /access-requests and the
 * time-bound state machine's input (grant or revoke). What it hands its Task functions is in
 * functions/lib/tasks/ (prepare-time-bound.ts, record-time-bound-grants.ts, ...).
 */

/** Bodies above this are refused before parsing (413), like the webhook's cap. */
export const MAX_BODY_BYTES = 8 * 1024;

const entitlementIdText = z.string().regex(/^[a-z]+(-[a-z]+)*:[A-Za-z0-9._+=@-]{1,128}$/, 'must be a catalogue entitlement id such as group:ProdReadOnly');

/** ISO-8601 W/D/H/M only (PT4H, P1D); the catalogue caps each entitlement. */
export const isoDurationSchema = z
  .string()
  .max(32)
  .refine((text) => (isoDurationToMinutes(text) ?? 0) > 0, 'must be a positive ISO-8601 duration in W/D/H/M, e.g. PT4H or P1D');

const justificationSchema = z
  .string()
  .regex(/^[^\p{Cc}]*$/u, 'must not contain control characters')
  .transform((text) => text.trim())
  .pipe(z.string().min(10, 'must be at least 10 characters').max(500, 'must be at most 500 characters'));

/** POST /access-requests: exactly one of entitlementIds / entitlementId; unknown fields are refused. */
export const accessRequestBodySchema = z
  .strictObject({
    entitlementIds: z.array(entitlementIdText).min(1).max(10).optional(),
    entitlementId: entitlementIdText.optional(),
    duration: isoDurationSchema,
    justification: justificationSchema,
    /** Whom the access is for; the caller when absent. */
    employeeId: employeeIdSchema.optional(),
    /** An emergency: granted at once without approval (entitlements marked break-glass only); `justification` is the reason audited. */
    breakGlass: z.literal(true).optional(),
  })
  .superRefine((body, ctx) => {
    const given = (body.entitlementIds ? 1 : 0) + (body.entitlementId ? 1 : 0);
    if (given !== 1) ctx.addIssue({ code: 'custom', path: ['entitlementIds'], message: 'give exactly one of entitlementIds or entitlementId' });
    const ids = body.entitlementIds ?? [];
    if (new Set(ids).size !== ids.length) ctx.addIssue({ code: 'custom', path: ['entitlementIds'], message: 'must not repeat an entitlement' });
  });
export type AccessRequestBody = z.infer<typeof accessRequestBodySchema>;

export const idempotencyKeySchema = z.string().regex(/^[A-Za-z0-9._:-]{8,128}$/, 'Idempotency-Key must be 8-128 of A-Z a-z 0-9 . _ : -');

/** The time-bound state machine's input for a new request (`action: 'grant'`). */
export const grantRequestSchema = z.object({
  action: z.literal('grant'),
  requestId: requestIdSchema,
  employeeId: employeeIdSchema,
  requester: requesterSchema,
  entitlementIds: z.array(entitlementIdText).min(1).max(10),
  duration: isoDurationSchema,
  justification: z.string().min(10).max(500),
  /** Break-glass (policy.ts): no approval, short, audited as such. */
  breakGlass: z.literal(true).optional(),
  /** SHA-256 of caller and body: a replayed key with another body is refused (409). */
  fingerprint: z.string().regex(/^[0-9a-f]{64}$/),
});
export type GrantRequest = z.infer<typeof grantRequestSchema>;

/**
 * POST /access-requests/{id}/extend: by how long (ISO-8601 W/D/H/M) and why. The total, from the
 * grant's start to its new end, stays within the entitlements' `maxTimeBoundDuration`.
 */
export const extendBodySchema = z.strictObject({ by: isoDurationSchema, reason: justificationSchema });
export type ExtendBody = z.infer<typeof extendBodySchema>;

/**
 * The time-bound state machine's input for an extension (`action: 'extend'`): a request of kind
 * `extension` with its own id (the execution name), naming the granted request it extends.
 */
export const extendRequestSchema = z.object({
  action: z.literal('extend'),
  requestId: requestIdSchema,
  /** The granted time-bound request whose end moves. */
  grantRequestId: requestIdSchema,
  employeeId: employeeIdSchema,
  requester: requesterSchema,
  by: isoDurationSchema,
  /** The reason, in the requester's words (shown to approvers, audited). */
  justification: z.string().min(10).max(500),
  /** SHA-256 of caller and body: a replayed key with another body is refused (409). */
  fingerprint: z.string().regex(/^[0-9a-f]{64}$/),
});
export type ExtendRequest = z.infer<typeof extendRequestSchema>;

export const revokeReasonSchema = z.enum(['expired', 'revoked']);

/** `action: 'revoke'`: from the expiry schedule (`expired`) or an early revoke (`revoked`, by whom). */
export const revokeRequestSchema = z.object({
  action: z.literal('revoke'),
  requestId: requestIdSchema,
  employeeId: employeeIdSchema,
  reason: revokeReasonSchema,
  revokedBy: z.email().max(254).optional(),
  /** Whether revokedBy acted for themselves (requester or subject) or as an operator. */
  revokedAs: z.enum(['employee', 'operator']).optional(),
  /** Why an early revoke was made, in the revoker's words (audited, and told to the holder). */
  note: z.string().trim().min(1).max(500).optional(),
  /**
   * The end the expiry schedule was set for (absent on schedules from before extensions): a
   * schedule that fires for an end an extension has since moved changes nothing.
   */
  endsAt: z.iso.datetime().optional(),
});
export type RevokeRequest = z.infer<typeof revokeRequestSchema>;
