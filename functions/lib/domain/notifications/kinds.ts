import { z } from 'zod';
import { requestIdSchema } from '../shared/ids.ts';

/**
 * Every notification Gatehouse sends, as data: one kind per event people are told about, and
 * the facts its template needs (plain values, already resolved by the caller: names, roles,
 * what was granted or removed). The callers build a `Notification`; templates.ts turns it into
 * a mail; send.ts sends it once. No ids of infrastructure, no tokens, no links but the approval link.
 */

export const NOTIFICATION_KINDS = [
  'access-ready',
  'access-moved',
  'approval-needed',
  'approved',
  'denied',
  'approval-expired',
  'cancelled',
  'time-bound-granted',
  'access-ending-soon',
  'access-extended',
  'access-revoked',
  'access-expired',
  'workflow-failed',
  'leaver-done',
  'identity-conflict',
  'break-glass-used',
] as const;
export type NotificationKind = (typeof NOTIFICATION_KINDS)[number];

const email = z.email();
const text = (max: number) => z.string().trim().min(1).max(max);
const instant = z.iso.datetime({ offset: true });

/** Who the notification is about. `email` and `managerEmail` are recipients where the kind says so. */
export const notifiedPersonSchema = z.object({
  employeeId: z.string().regex(/^[A-Za-z0-9._-]{1,64}$/, 'employeeId must be 1-64 of A-Z a-z 0-9 . _ -'),
  displayName: text(201),
  email: email.optional(),
  managerEmail: email.optional(),
});
export type NotifiedPerson = z.infer<typeof notifiedPersonSchema>;

/** An entitlement as a mail lists it: id, and the catalogue's words when known. */
export const listedEntitlementSchema = z.object({ id: text(200), description: z.string().max(500).optional() });
export type ListedEntitlement = z.infer<typeof listedEntitlementSchema>;

const base = {
  person: notifiedPersonSchema,
  requestId: requestIdSchema,
};

/** A person who asked (time-bound) or decided (approver), by e-mail. */
const actorEmail = email.optional();

export const notificationSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('access-ready'),
    ...base,
    role: text(100),
    startDate: z.string().max(10).optional(),
    granted: z.array(listedEntitlementSchema).max(200),
    workstation: z.string().max(64).optional(),
    accessEnds: instant.optional(),
  }),
  z.object({
    kind: z.literal('access-moved'),
    ...base,
    fromRole: text(100),
    toRole: text(100),
    granted: z.array(listedEntitlementSchema).max(200),
    removed: z.array(listedEntitlementSchema).max(200),
    /** The old role's workstation that was terminated (snapshots kept), when the move dropped it. */
    retiredWorkstation: z.string().max(64).optional(),
  }),
  z.object({
    kind: z.literal('approval-needed'),
    ...base,
    approverEmail: email,
    /** Rows of what is asked, in order ("Who", "Role", "Why", "Step", "Expires"...), already in words. */
    rows: z.array(z.tuple([text(40), text(600)])).max(20),
    entitlements: z.array(z.object({ id: text(200), risk: text(20), description: z.string().max(500) })).max(200),
    what: text(200),
    kindWords: text(100),
    link: z.url(),
  }),
  z.object({
    kind: z.literal('approved'),
    ...base,
    requesterEmail: actorEmail,
    approverEmail: email,
    what: text(200),
    comment: z.string().max(500).optional(),
  }),
  z.object({
    kind: z.literal('denied'),
    ...base,
    requesterEmail: actorEmail,
    approverEmail: email.optional(),
    what: text(200),
    reason: z.string().max(500).optional(),
  }),
  z.object({ kind: z.literal('approval-expired'), ...base, requesterEmail: actorEmail, what: text(200), expiredAt: instant.optional() }),
  z.object({
    kind: z.literal('cancelled'),
    ...base,
    approverEmails: z.array(email).min(1).max(20),
    what: text(200),
    reason: text(300),
    /** Only this approval step (0-based) was closed, by the other approvers of an N-of-M step; absent: the whole request was cancelled. */
    approvalStep: z.int().min(0).max(100).optional(),
  }),
  z.object({
    kind: z.literal('time-bound-granted'),
    ...base,
    requesterEmail: actorEmail,
    granted: z.array(listedEntitlementSchema).min(1).max(50),
    endsAt: instant,
  }),
  z.object({
    kind: z.literal('access-ending-soon'),
    ...base,
    requesterEmail: actorEmail,
    granted: z.array(listedEntitlementSchema).min(1).max(50),
    endsAt: instant,
  }),
  z.object({
    kind: z.literal('access-extended'),
    ...base,
    requesterEmail: actorEmail,
    granted: z.array(listedEntitlementSchema).min(1).max(50),
    previousEnd: instant,
    endsAt: instant,
    approvedBy: z.array(text(254)).min(1).max(10),
    reason: text(500),
  }),
  z.object({
    kind: z.literal('access-revoked'),
    ...base,
    requesterEmail: actorEmail,
    removed: z.array(listedEntitlementSchema).min(1).max(50),
    revokedBy: text(200),
    reason: text(500),
  }),
  z.object({ kind: z.literal('access-expired'), ...base, requesterEmail: actorEmail, removed: z.array(listedEntitlementSchema).min(1).max(50) }),
  z.object({
    kind: z.literal('workflow-failed'),
    ...base,
    requesterEmail: actorEmail,
    workflow: text(40),
    step: text(100),
    error: text(128),
    cause: z.string().max(300).optional(),
    undone: z.boolean(),
  }),
  z.object({
    kind: z.literal('leaver-done'),
    ...base,
    removed: z.array(listedEntitlementSchema).max(200),
    userDeleted: z.boolean(),
    workstationsRetired: z.number().int().min(0),
  }),
  z.object({ kind: z.literal('identity-conflict'), ...base, email: email.optional(), detail: z.string().max(300).optional() }),
  /** Break-glass access was taken (granted without approval): the operators and the entitlements' owners, at once. */
  z.object({
    kind: z.literal('break-glass-used'),
    ...base,
    ownerEmails: z.array(email).max(20),
    granted: z.array(listedEntitlementSchema).min(1).max(50),
    reason: text(500),
    endsAt: instant,
    /** The after-the-fact review (an access-review campaign of this one request) an owner must close. */
    reviewId: text(64),
  }),
]);
export type Notification = z.infer<typeof notificationSchema>;
export type NotificationOf<K extends NotificationKind> = Extract<Notification, { kind: K }>;
