import { createHash, randomBytes } from 'node:crypto';
import { z } from 'zod';
import { employeeIdSchema } from '../events/employee-events.ts';
import { approverSchema } from '../policy/schema.ts';
import { requestIdSchema } from '../requests/request-record.ts';

/**
 * One approval: a random, unguessable id (the emailed link) bound to one approver, one step
 * of one execution and the task token that resumes it. The token and the CSRF secret never
 * leave the server: not in a URL, a log line, an e-mail, an audit entry or a Lambda result.
 *
 * Logs and audit entries name an approval by its `ref` (a hash of the id), never by the id:
 * the id is a bearer capability while the approval is pending.
 */

/** 32 random bytes, base64url: 256 bits. */
const ID_BYTES = 32;
export const approvalIdSchema = z.string().regex(/^[A-Za-z0-9_-]{43}$/, 'approval id must be 43 base64url characters');

export const newApprovalId = (random: (size: number) => Buffer = randomBytes): string => random(ID_BYTES).toString('base64url');
export const newCsrfSecret = (random: (size: number) => Buffer = randomBytes): string => random(ID_BYTES).toString('base64url');

const sha256Hex = (text: string): string => createHash('sha256').update(text, 'utf8').digest('hex');

/** The public name of an approval for logs and audit: not the link, not reversible to it. */
export const approvalRef = (approvalId: string): string => `apv-${sha256Hex(`approval-ref\n${approvalId}`).slice(0, 24)}`;

/** Compares task tokens without storing or logging them anywhere else. */
export const tokenHash = (taskToken: string): string => sha256Hex(`task-token\n${taskToken}`);

/** Mailboxes compare case-insensitively; the bound approver is stored as lower case. */
export const normaliseEmail = (email: string): string => email.trim().toLowerCase();

/** How long an approval item stays after its expiry before TTL removes it (history for support). */
export const TTL_GRACE_SECONDS = 30 * 24 * 60 * 60;

export const approvalStatusSchema = z.enum(['pending', 'approved', 'denied', 'cancelled', 'superseded']);
export type ApprovalStatus = z.infer<typeof approvalStatusSchema>;

/** Whether a recorded decision reached Step Functions. */
/** `counted`: one vote of an N-of-M step, recorded in its tally, that did not itself resume the workflow (quorum-votes.ts). */
export const deliverySchema = z.enum(['pending', 'delivered', 'task-gone', 'counted']);
export type Delivery = z.infer<typeof deliverySchema>;

const isoDateTime = z.iso.datetime();

export const approvalQuorumSchema = z.object({
  required: z.int().min(1),
  approvers: z.array(z.email()).min(1).max(10),
});
export type ApprovalQuorum = z.infer<typeof approvalQuorumSchema>;
const printable = (max: number) => z.string().regex(new RegExp(`^[\\x21-\\x7e]{1,${max}}$`), `must be 1-${max} printable characters`);

export const approvalSchema = z.object({
  itemType: z.literal('approval'),
  approvalId: approvalIdSchema,
  ref: z.string(),
  requestId: requestIdSchema,
  employeeId: employeeIdSchema,
  executionId: printable(256),
  executionName: printable(80),
  step: z.int().min(0),
  /** The approver the link was sent to; `email` (lower case) is the identity the decision is bound to. */
  approver: approverSchema,
  /** An N-of-M step: every approver asked with this one (the same task token), and how many must approve. */
  quorum: approvalQuorumSchema.optional(),
  taskToken: z.string().min(1),
  tokenHash: z.string(),
  csrfSecret: z.string().min(43),
  status: approvalStatusSchema,
  createdAt: isoDateTime,
  expiresAt: isoDateTime,
  /** TTL (epoch seconds): expiry plus a grace period. */
  expiresAtEpoch: z.int(),
  /** How many times a retried or re-driven task re-bound this approval to its new token. */
  rebinds: z.int().min(0),
  mailedAt: isoDateTime.optional(),
  mailLeaseUntil: isoDateTime.optional(),
  /** When the Slack copy was claimed (at most once), and where it went. */
  slackedAt: isoDateTime.optional(),
  slackChannel: z.string().optional(),
  slackTs: z.string().optional(),
  decidedAt: isoDateTime.optional(),
  decidedBy: z.string().optional(),
  comment: z.string().optional(),
  delivery: deliverySchema.optional(),
  /** Who may deliver the decision: the caller that recorded it, until then (approval-page.ts). */
  deliveryLeaseUntil: isoDateTime.optional(),
  deliveredAt: isoDateTime.optional(),
  supersededBy: z.string().optional(),
  cancelledAt: isoDateTime.optional(),
  /** A cancellation that was a withdrawal (domain/time-bound/withdraw.ts): who withdrew it, as whom, and why in their words. */
  withdrawnBy: z.string().optional(),
  withdrawnAs: z.enum(['requester', 'operator']).optional(),
  withdrawReason: z.string().max(500).optional(),
});
export type Approval = z.infer<typeof approvalSchema>;

/**
 * The idempotency slot of one (execution, step, approver): which approval currently answers
 * for it and which task token that approval is bound to. Stored in the approvals table under
 * `slot#<sha256>` (never a valid approval id, so no link can reach it) and without
 * requestId/employeeId, so the byRequest/byEmployee indexes never list it.
 */
export const slotSchema = z.object({
  itemType: z.literal('slot'),
  approvalId: z.string().startsWith('slot#'),
  currentApprovalId: approvalIdSchema,
  tokenHash: z.string(),
  expiresAtEpoch: z.int(),
  updatedAt: isoDateTime,
});
export type ApprovalSlot = z.infer<typeof slotSchema>;

/**
 * One approval slot per execution, request, step and approver. The request is part of it because one
 * execution can ask for several people: catalogue convergence's segment child converges many
 * people, each their own request, so two of them asking the same manager at the same step are two
 * approvals, never one rebound to the other's token.
 */
export const slotKey = (executionId: string, requestId: string, step: number, approverEmail: string): string =>
  `slot#${sha256Hex(`${executionId}\n${requestId}\n${step}\n${normaliseEmail(approverEmail)}`)}`;

/** What the approval page may do with an approval right now. */
export type ApprovalState =
  | { kind: 'open' }
  | { kind: 'expired' }
  | { kind: 'decided'; decision: 'approved' | 'denied'; delivery: Delivery }
  | { kind: 'cancelled' }
  | { kind: 'superseded' };

export function approvalState(approval: Approval, now: Date): ApprovalState {
  switch (approval.status) {
    case 'pending':
      return now.getTime() < Date.parse(approval.expiresAt) ? { kind: 'open' } : { kind: 'expired' };
    case 'approved':
    case 'denied':
      return { kind: 'decided', decision: approval.status, delivery: approval.delivery ?? 'pending' };
    case 'cancelled':
      return { kind: 'cancelled' };
    case 'superseded':
      return { kind: 'superseded' };
  }
}

