import { z } from 'zod';
import { entitlementSchema } from '../catalogue/schema.ts';
import { catalogueVersionSchema } from '../catalogue/version.ts';
import { employeeIdSchema, employeeSchema } from '../events/employee-events.ts';
import { policyDecisionSchema, requesterSchema } from '../policy/schema.ts';

/**
 * One item of the `requests` table: what a workflow run asks for, as `prepare-join`
 * writes it and the approval page shows it. Written once per request (see
 * request-repository.ts); the approval flow only reads it.
 *
 * Personal data: the subject's display name (shown to approvers only), never their e-mail.
 */

/** Ids we put in keys, URLs-free log lines and audit entries: printable, no spaces. */
export const requestIdSchema = z.string().regex(/^[\x21-\x7e]{1,128}$/, 'requestId must be 1-128 printable characters, no spaces');

export const requestRecordSchema = z.object({
  requestId: requestIdSchema,
  kind: z.enum(['joiner', 'mover', 'time-bound', 'extension']),
  employeeId: employeeIdSchema,
  /** How the approval page names the subject, e.g. "Ada Lovelace". */
  employeeDisplayName: z.string().trim().min(1).max(201),
  role: employeeSchema.shape.role,
  /** The catalogue's display name of the role, when it has one. */
  roleDisplayName: z.string().min(1).max(100).optional(),
  /** The catalogue version the role was resolved with (joiner, mover): recorded on the grants and their grant.applied. Absent on requests from before it was kept. */
  catalogueVersion: catalogueVersionSchema.optional(),
  /** What would be granted (for a mover: only what the new role adds), resolved from the catalogue. */
  entitlements: z.array(entitlementSchema).max(200),
  /** A hire's or move's HR facts the approver sees (issue #18): start and contract end day, department. */
  startDate: z.string().max(10).optional(),
  endDate: z.string().max(10).optional(),
  department: z.string().max(100).optional(),
  /** A mover's old role, and what the move takes away (the old role's entitlements the new one lacks, a workstation included). */
  previousRole: z.string().max(100).optional(),
  removes: z.array(entitlementSchema).max(200).optional(),
  /** The policy's decision, with its reason and (when approval is needed) the approver chain in order. */
  decision: policyDecisionSchema,
  /** Who asked, for a just-in-time grant. */
  requester: requesterSchema.optional(),
  /** Requested length of a just-in-time grant (ISO-8601 duration or minutes), for display. */
  duration: z.union([z.string().max(32), z.int().positive()]).optional(),
  /** Why a just-in-time grant is asked for (10-500 characters), shown to approvers. */
  justification: z.string().min(1).max(500).optional(),
  /** A break-glass grant (no approval; its justification is the mandatory reason). */
  breakGlass: z.literal(true).optional(),
  /** An extension (kind `extension`): the granted time-bound request it extends, its end now and the end asked for. */
  extension: z
    .object({
      grantRequestId: requestIdSchema,
      currentEnd: z.iso.datetime(),
      newEnd: z.iso.datetime(),
      /** By how long (ISO-8601). */
      by: z.string().max(32),
    })
    .optional(),
  createdAt: z.iso.datetime(),
  executionId: z.string().regex(/^[\x21-\x7e]{1,256}$/, 'executionId must be 1-256 printable characters'),
  executionName: z.string().regex(/^[\x21-\x7e]{1,80}$/, 'executionName must be 1-80 printable characters'),
});
export type RequestRecord = z.infer<typeof requestRecordSchema>;

/**
 * What later steps add to the item, each by a conditional UpdateItem (adapters/dynamodb/requests.ts):
 * Record Outcome's end (`status` failed | denied | expired | rejected, `finishedAt`, `outcomeError`);
 * for a time-bound request, `granted` (grantedAt and expiresAt, set once) and `ended` (expired or
 * revoked early, by whom).
 */
export const requestLifecycleSchema = z.object({
  status: z.string().min(1).optional(),
  finishedAt: z.string().optional(),
  outcomeError: z.string().nullable().optional(),
  grantedAt: z.string().optional(),
  expiresAt: z.string().optional(),
  endedAt: z.string().optional(),
  endReason: z.enum(['expired', 'revoked']).optional(),
  revokedBy: z.string().optional(),
  /** The extension that last moved `expiresAt` (time-bound requests). */
  extendedBy: z.string().optional(),
});

/** A `requests` item as it is stored and read back: the record and its lifecycle. The table's one item schema. */
export const requestItemSchema = requestRecordSchema.extend(requestLifecycleSchema.shape);
export type RequestItem = z.infer<typeof requestItemSchema>;
