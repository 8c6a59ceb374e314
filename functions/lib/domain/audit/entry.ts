import { z } from 'zod';
import { employeeIdSchema, employeeSchema } from '../events/employee-events.ts';
import { GRANT_SOURCE_PATTERN } from '../grants/source.ts';

/**
 * One audit entry: an immutable, hash-chained fact about one subject (an employee).
 *
 * Stored as one item of the `audit` table (partition `subject`, sort `seq`). Everything an
 * auditor needs is in the item itself, so the table's S3 export alone answers "who had what,
 * when, granted by whom, on whose approval" and shows tampering (see chain.ts for the hash).
 *
 * Personal data: the subject appears only as its HRIS id. Approvers appear by their id
 * (their e-mail address) as `actor` or `approverId`; no names, no subject e-mails. The one
 * free-text field is an approver's own comment on their decision (`detail.comment`).
 */

export const ZERO_HASH = '0'.repeat(64);
/** Version of the entry shape and hash rule; bump it (and keep verifying old ones) on change. */
export const AUDIT_ENTRY_VERSION = 1;

/** `employee`: a person acting for themselves (a time-bound access request or its early revoke); `reviewer`: an access review decision. */
export const actorTypeSchema = z.enum(['hris', 'approver', 'operator', 'employee', 'system', 'reviewer']);
export type ActorType = z.infer<typeof actorTypeSchema>;

/** No whitespace or control characters: ids end up in GSI keys and in `type:id` strings. */
const opaqueId = (max: number) => z.string().regex(new RegExp(`^[\\x21-\\x7e]{1,${max}}$`), `must be 1-${max} printable characters, no spaces`);
const sha256Hex = z.string().regex(/^[0-9a-f]{64}$/, 'must be 64 lowercase hex characters');
const isoDateTime = z.iso.datetime();
const roleId = employeeSchema.shape.role;

export const actorSchema = z.strictObject({ type: actorTypeSchema, id: opaqueId(254) });
export type Actor = z.infer<typeof actorSchema>;

/** `approver:alice@example.com`: the flattened form the byActor index is keyed on. */
export const actorStringSchema = z
  .string()
  .regex(/^(hris|approver|operator|employee|system|reviewer):[\x21-\x7e]{1,254}$/, 'actor must be "<hris|approver|operator|employee|system|reviewer>:<id>"');

export const formatActor = (actor: Actor): string => `${actor.type}:${actor.id}`;

export function parseActor(actor: string): Actor {
  const at = actor.indexOf(':');
  return actorSchema.parse({ type: actor.slice(0, at), id: actor.slice(at + 1) });
}

/** A catalogue entitlement id. `-` is not a placeholder: omit the field when there is none. */
export const entitlementIdSchema = z
  .string()
  .regex(/^[A-Za-z0-9._:/-]{1,128}$/, 'entitlementId must be 1-128 of A-Z a-z 0-9 . _ : / -')
  .refine((value) => value !== '-', 'entitlementId "-" is not allowed: omit it instead');

/** Lets a retried step find the entry it already wrote, e.g. `<executionId>/<state name>`. */
export const idempotencyKeySchema = z.string().regex(/^[^\p{Cc}]{1,512}$/u, 'idempotencyKey must be 1-512 characters, no control characters');

// ---- kind-specific detail: ids and enums, never personal data -----------------------------

/** How the role was chosen (events/employee-events.ts `assignment`): `unassigned` when no rule matched, with the catalogue's outcome. */
const roleSourceSchema = z.enum(['hris', 'rule', 'unassigned']).optional();
const unassignedOutcomeSchema = z.enum(['birthright-only', 'refused']).optional();

const requestReceived = z.strictObject({
  requestType: z.enum(['joiner', 'mover', 'leaver', 'time-bound', 'extension', 'convergence']),
  /** HRIS delivery id (joiner/mover/leaver). */
  deliveryId: opaqueId(64).optional(),
  role: roleId.optional(),
  previousRole: roleId.optional(),
  /** How the role was chosen (joiner/mover): sent by the HRIS, the catalogue rule that matched, or none matched (`unassigned`, with the catalogue's outcome). */
  roleSource: roleSourceSchema,
  assignmentRule: opaqueId(64).optional(),
  unassigned: unassignedOutcomeSchema,
  /** The catalogue version (content hash) the role was chosen under. */
  catalogueVersion: z.string().regex(/^cat-[0-9a-f]{16}$/).optional(),
  /** When access starts (joiner, time-bound) or must end (leaver). */
  effectiveAt: isoDateTime.optional(),
  /** End of a contract or of a time-bound grant. */
  endsAt: isoDateTime.optional(),
  /** What a reader should notice about the request, in words (a hire whose start date is past). */
  notes: z.array(z.string().min(1).max(300)).min(1).max(5).optional(),
  /** A break-glass request (time-bound): granted without approval, reviewed afterwards. */
  breakGlass: z.literal(true).optional(),
});

const policyDecided = z.strictObject({
  outcome: z.enum(['auto-approved', 'approval-required', 'denied']),
  policyRule: opaqueId(128),
  risk: z.enum(['low', 'medium', 'high']).optional(),
  entitlementIds: z.array(entitlementIdSchema).max(100),
  approverIds: z.array(opaqueId(254)).max(10).optional(),
});

const approvalRef = { approvalId: opaqueId(128) };
const approvalRequested = z.strictObject({ ...approvalRef, approverId: opaqueId(254), expiresAt: isoDateTime });
/**
 * What the approver typed with the decision (required to deny on the approval page), kept here
 * because the approvals table expires its items (TTL). Free text: it is the one field of an
 * entry that may hold words about people, so only approvers' own words go in it.
 */
export const approvalCommentSchema = z
  .string()
  .min(1, 'comment must not be empty: omit it instead')
  .max(1000, 'comment must be at most 1000 characters')
  .regex(/^(?:[^\p{Cc}]|[\t\n\r])*$/u, 'comment must not contain control characters');
/** `step`: which step of the request's approval chain was decided (1-based); the earlier steps are the request's earlier decision entries. */
/** An N-of-M step's tally as this decision left it (domain/policy/quorum.ts): distinct approvers, the requester never counted. */
const quorumTally = z.strictObject({
  required: z.number().int().min(1).max(10),
  of: z.number().int().min(1).max(10),
  approvedBy: z.array(opaqueId(254)).max(10),
  deniedBy: z.array(opaqueId(254)).max(10),
  outcome: z.enum(['pending', 'approved', 'denied']),
});
const approvalDecided = z.strictObject({
  ...approvalRef,
  step: z.number().int().min(1).max(100).optional(),
  comment: approvalCommentSchema.optional(),
  quorum: quorumTally.optional(),
});
const approvalApproved = approvalDecided;
const approvalDenied = approvalDecided;
const approvalExpired = z.strictObject({ ...approvalRef, expiresAt: isoDateTime });

/** Why someone holds an entitlement: their role, or a time-bound grant. */
const grantBasis = z.enum(['role', 'time-bound']);
const grantApplied = z.strictObject({
  basis: grantBasis,
  role: roleId.optional(),
  /** The provider's id of what was created (Identity Store membership id, EC2 instance id). */
  resourceId: opaqueId(256).optional(),
  expiresAt: isoDateTime.optional(),
  /** The catalogue version (content hash) whose role definition granted it (joiner, mover, convergence, adoption). */
  catalogueVersion: z.string().regex(/^cat-[0-9a-f]{16}$/).optional(),
  /** `adoption`: access the person held before Gatehouse (an adopted Identity Store membership or workstation), recorded, not granted. */
  origin: z.enum(['adoption']).optional(),
});
const grantRevoked = z.strictObject({
  basis: grantBasis,
  /** `adoption`: a membership held before Gatehouse that the role does not grant, removed by `adopt --apply --revoke-extras`. */
  trigger: z.enum(['leaver', 'mover', 'expiry', 'operator', 'requester', 'reconciliation', 'review', 'catalogue', 'adoption']),
  /** `catalogue`: the version that no longer grants it. */
  catalogueVersion: z.string().regex(/^cat-[0-9a-f]{16}$/).optional(),
  resourceId: opaqueId(256).optional(),
  /** Leaver: when the person's identity access ended (memberships removed, user deleted). */
  identityEndedAt: isoDateTime.optional(),
});

/** An approved extension moved a time-bound grant's end (issue #17): the end before and after, who approved, which extension. */
const grantExtended = z.strictObject({
  basis: z.literal('time-bound'),
  previousEnd: isoDateTime,
  expiresAt: isoDateTime,
  /** The extension request (kind `extension`) whose approval moved it. */
  extensionId: opaqueId(128),
  /** Approver mailboxes in chain order, or `auto-approved`. */
  approverIds: z.array(opaqueId(254)).min(1).max(10),
});

const provisioningFailed = z.strictObject({
  /** The state that failed, e.g. "Create Identity Center User". */
  step: z.string().min(1).max(80),
  /** The error's name (what Step Functions matched), never its message. */
  error: opaqueId(128),
  retryable: z.boolean(),
  attempts: z.number().int().min(1).max(1000).optional(),
});
const compensationApplied = z.strictObject({
  step: z.string().min(1).max(80),
  action: z.string().regex(/^[a-z0-9-]{1,64}$/, 'action must be kebab-case'),
  resourceId: opaqueId(256).optional(),
});
const reconciliationFinding = z.strictObject({
  finding: z.enum(['missing-grant', 'unexpected-grant', 'stale-grant', 'resource-drift']),
  /** `stopped`: an untracked instance remove mode stopped and tagged gatehouse:review (not terminated). */
  action: z.enum(['none', 'flagged', 'revoked', 'regranted', 'stopped']),
  resourceId: opaqueId(256).optional(),
});
/** One reconciliation run (subject `reconciliation`): what it found, the guard's verdict, what it did. */
const reconciliationRun = z.strictObject({
  mode: z.enum(['report', 'remove']),
  /** reported: e-mail sent; removed: the confirmed plan ran; blocked: the mass-deletion guard stopped it; refused: stale fingerprint. */
  outcome: z.enum(['reported', 'removed', 'blocked', 'refused']),
  findings: z.number().int().min(0),
  /** Removal actions in the plan (report, blocked, refused) or taken (removed). */
  actions: z.number().int().min(0),
  fingerprint: z.string().regex(/^[0-9a-f]{16}$/, 'fingerprint must be 16 lowercase hex characters'),
  guard: z.enum(['passed', 'empty-roster', 'over-share']),
  messageId: opaqueId(256).optional(),
});

/** A leaver's timing decision: a future-dated leave scheduled or moved, a cancellation, or an event ignored. */
const leaveDecided = z.strictObject({
  deliveryId: opaqueId(64),
  decision: z.enum(['scheduled', 'moved', 'unchanged', 'cancelled', 'ignored']),
  /** When access ends under this decision (scheduled, moved, unchanged). */
  effectiveAt: isoDateTime.optional(),
  /** The HRIS event's occurredAt: a decision made earlier never overrides a later one. */
  decidedAt: isoDateTime,
  /** Why an event was ignored, or why a cancellation removed nothing. */
  why: z.enum(['older-than-current', 'already-left', 'nothing-scheduled']).optional(),
  /** A cancellation scheduled the contract end again, for this instant. */
  endsAt: isoDateTime.optional(),
});

/** An HRIS event a workflow did not act on: it was not newer than what the person's record holds (issue #11). */
/**
 * A time-bound request taken back before a decision (POST /access-requests/{id}/withdraw): by the
 * requester (actor `employee:<e-mail>`) or an operator (`operator:<e-mail>`); the entry's `reason`
 * carries their words. `approvalId` is the voided approval's ref, never its link.
 */
const requestWithdrawn = z.strictObject({ ...approvalRef, by: z.enum(['requester', 'operator']) });

const requestIgnored = z.strictObject({
  requestType: z.enum(['joiner', 'mover', 'leaver']),
  deliveryId: opaqueId(64),
  why: z.enum(['newer-applied', 'left-after', 'left-before-ordering']),
  /** The ignored event's occurredAt. */
  occurredAt: isoDateTime,
  /** The newer event time the person's record holds for the facts the event would change. */
  appliedAt: isoDateTime.optional(),
});

/**
 * An Identity Store user's attributes followed an HRIS change (a mover's new e-mail or name, issue #14):
 * which attributes, never their values (no e-mail in the audit).
 */
const identityUpdated = z.strictObject({
  deliveryId: opaqueId(64),
  /** The Identity Store user id that was updated (the same user keeps its memberships). */
  userId: opaqueId(64),
  attributes: z.array(z.enum(['userName', 'emails', 'displayName', 'name'])).min(1),
});

/**
 * An existing Identity Store user became this person's (adoption, issue #14): adopted, not hired,
 * so no user was created. How the two were matched, never the e-mail itself.
 */
const identityAdopted = z.strictObject({
  userId: opaqueId(64),
  matchedBy: z.enum(['employee-number', 'email']),
  role: roleId,
  roleSource: roleSourceSchema,
  assignmentRule: opaqueId(64).optional(),
  unassigned: unassignedOutcomeSchema,
  catalogueVersion: z.string().regex(/^cat-[0-9a-f]{16}$/),
  /** The fingerprint of the reviewed plan that adopted them. */
  fingerprint: z.string().regex(/^[0-9a-f]{16}$/, 'fingerprint must be 16 lowercase hex characters'),
});

// ---- access reviews (issue #16): campaign entries have subject `review.<campaignId>`, item entries the person ----
const reviewDecision = z.enum(['keep', 'revoke', 'flag']);
/** A grant's source as the grants table writes it: `role:<roleId>` or `time-bound:<requestId>`. */
const grantSourceString = z.string().regex(GRANT_SOURCE_PATTERN, 'source must be role:<roleId> or time-bound:<requestId>');
const reviewChannel = z.enum(['console', 'link']);
const reviewStarted = z.strictObject({
  name: z.string().regex(/^[^\p{Cc}]{1,100}$/u),
  scope: z.string().regex(/^[^\p{Cc}]{1,300}$/u),
  /** SHA-256 of the canonical JSON of the sorted [employeeId, entitlementId, source] triples (domain/reviews/items.ts). */
  snapshotHash: sha256Hex,
  itemCount: z.number().int().min(0),
  dueAt: isoDateTime,
  deadlineAt: isoDateTime,
  defaults: z.strictObject({ low: reviewDecision, high: reviewDecision }),
});
/** One reviewer's decision on one item (or the deadline's default); `final` says the item is settled. */
const reviewDecided = z.strictObject({
  source: grantSourceString,
  decision: reviewDecision,
  reviewer: opaqueId(254),
  /** 1-based stage of the item's reviewer chain. */
  stage: z.number().int().min(1).max(10),
  final: z.boolean(),
  defaulted: z.boolean(),
  justification: approvalCommentSchema.optional(),
  /** Absent for a default. */
  channel: reviewChannel.optional(),
});
/** A decision that changed nothing: who tried, and why it was refused. */
const reviewRefused = z.strictObject({
  why: z.enum(['self-review', 'not-reviewer', 'campaign-closed', 'already-decided', 'justification-required', 'no-such-item']),
  reviewer: opaqueId(254),
  itemId: z.string().regex(/^[\x21-\x7e]{1,300}$/).optional(),
  channel: reviewChannel,
});
/** A reminder to a reviewer with open items, or an escalation of an overdue reviewer's items. */
const reviewNotified = z.strictObject({
  reviewer: opaqueId(254),
  items: z.number().int().min(1),
  /** Escalation: the reviewer who was overdue. */
  overdue: opaqueId(254).optional(),
});
/** role-grants-again: a revoked role-sourced item the role grants again at its next change; manual-removal: not a group; flagged: the owner decides. */
const reviewFinding = z.strictObject({
  finding: z.enum(['role-grants-again', 'manual-removal', 'flagged']),
  source: grantSourceString,
  owner: opaqueId(254),
});
const reviewClosed = z.strictObject({
  snapshotHash: sha256Hex,
  itemCount: z.number().int().min(0),
  keep: z.number().int().min(0),
  revoke: z.number().int().min(0),
  flag: z.number().int().min(0),
  defaulted: z.number().int().min(0),
  escalated: z.number().int().min(0),
});

// ---- the entry and its draft ------------------------------------------------------------------

/** Fields every draft carries; `actor` is still an object here. */
const draftCommon = z.strictObject({
  subject: employeeIdSchema,
  actor: actorSchema,
  entitlementId: entitlementIdSchema.optional(),
  requestId: opaqueId(128),
  executionId: opaqueId(256),
  reason: z.string().regex(/^[^\p{Cc}]{1,500}$/u, 'reason must be 1-500 characters, no control characters'),
  idempotencyKey: idempotencyKeySchema.optional(),
});

/** What chaining adds; every field of an entry except `hash` is covered by `hash`. */
const entryCommon = draftCommon.extend({
  v: z.literal(AUDIT_ENTRY_VERSION),
  seq: z.number().int().min(1),
  actor: actorStringSchema,
  at: isoDateTime,
  day: z.iso.date(),
  prevHash: sha256Hex,
  hash: sha256Hex,
});

/** Grants always name what they grant. */
const withEntitlement = { entitlementId: entitlementIdSchema };

const entryOf = <K extends string, D extends z.ZodType, E extends z.core.$ZodLooseShape>(kind: K, detail: D, extra: E) =>
  entryCommon.extend({ kind: z.literal(kind), detail }).extend(extra);
const draftOf = <K extends string, D extends z.ZodType, E extends z.core.$ZodLooseShape>(kind: K, detail: D, extra: E) =>
  draftCommon.extend({ kind: z.literal(kind), detail }).extend(extra);

export const auditEntrySchema = z
  .discriminatedUnion('kind', [
    entryOf('request.received', requestReceived, {}),
    entryOf('policy.decided', policyDecided, {}),
    entryOf('approval.requested', approvalRequested, {}),
    entryOf('approval.approved', approvalApproved, {}),
    entryOf('approval.denied', approvalDenied, {}),
    entryOf('approval.expired', approvalExpired, {}),
    entryOf('grant.applied', grantApplied, withEntitlement),
    entryOf('grant.revoked', grantRevoked, withEntitlement),
    entryOf('grant.extended', grantExtended, withEntitlement),
    entryOf('provisioning.failed', provisioningFailed, {}),
    entryOf('compensation.applied', compensationApplied, {}),
    entryOf('reconciliation.finding', reconciliationFinding, {}),
    entryOf('reconciliation.run', reconciliationRun, {}),
    entryOf('leave.decided', leaveDecided, {}),
    entryOf('request.ignored', requestIgnored, {}),
    entryOf('request.withdrawn', requestWithdrawn, {}),
    entryOf('identity.updated', identityUpdated, {}),
    entryOf('identity.adopted', identityAdopted, {}),
    entryOf('review.started', reviewStarted, {}),
    entryOf('review.decided', reviewDecided, withEntitlement),
    entryOf('review.refused', reviewRefused, {}),
    entryOf('review.reminded', reviewNotified, {}),
    entryOf('review.escalated', reviewNotified, {}),
    entryOf('review.finding', reviewFinding, withEntitlement),
    entryOf('review.closed', reviewClosed, {}),
  ])
  .refine((entry) => entry.day === entry.at.slice(0, 10), { path: ['day'], message: 'day must be the UTC date of at' });
export type AuditEntry = z.infer<typeof auditEntrySchema>;
export type AuditKind = AuditEntry['kind'];

export const auditDraftSchema = z.discriminatedUnion('kind', [
  draftOf('request.received', requestReceived, {}),
  draftOf('policy.decided', policyDecided, {}),
  draftOf('approval.requested', approvalRequested, {}),
  draftOf('approval.approved', approvalApproved, {}),
  draftOf('approval.denied', approvalDenied, {}),
  draftOf('approval.expired', approvalExpired, {}),
  draftOf('grant.applied', grantApplied, withEntitlement),
  draftOf('grant.revoked', grantRevoked, withEntitlement),
  draftOf('grant.extended', grantExtended, withEntitlement),
  draftOf('provisioning.failed', provisioningFailed, {}),
  draftOf('compensation.applied', compensationApplied, {}),
  draftOf('reconciliation.finding', reconciliationFinding, {}),
  draftOf('reconciliation.run', reconciliationRun, {}),
  draftOf('leave.decided', leaveDecided, {}),
  draftOf('request.ignored', requestIgnored, {}),
  draftOf('request.withdrawn', requestWithdrawn, {}),
  draftOf('identity.updated', identityUpdated, {}),
  draftOf('identity.adopted', identityAdopted, {}),
  draftOf('review.started', reviewStarted, {}),
  draftOf('review.decided', reviewDecided, withEntitlement),
  draftOf('review.refused', reviewRefused, {}),
  draftOf('review.reminded', reviewNotified, {}),
  draftOf('review.escalated', reviewNotified, {}),
  draftOf('review.finding', reviewFinding, withEntitlement),
  draftOf('review.closed', reviewClosed, {}),
]);
/** What a workflow step hands to the audit store; the store adds `at`, `seq` and the hashes. */
export type AuditDraft = z.infer<typeof auditDraftSchema>;

export const AUDIT_KINDS = auditDraftSchema.options.map((option) => option.shape.kind.value);
