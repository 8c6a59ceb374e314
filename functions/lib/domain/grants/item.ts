import { z } from 'zod';

/**
 * One item of the `grants` table: who has what now, from which source, granted how. The one
 * shape every workflow reads and writes (joiner, mover, leaver, time-bound, reconcile); the
 * DynamoDB adapter (dynamodb/grants.ts) parses every item it reads with it.
 */
export const grantItemSchema = z.looseObject({
  employeeId: z.string().min(1),
  /** `<entitlementId>#<source kind>#<id>` (grantKey in domain/grants/grants.ts). */
  grantKey: z.string().min(1),
  entitlementId: z.string().min(1),
  /** The grant source as stored (domain/grants/grants.ts `encodeGrantSource`). */
  source: z.string().min(1),
  /** `active`, then once `revoked` or `expired`. */
  status: z.string(),
  grantedAt: z.string().optional(),
  requestId: z.string().optional(),
  /** Approver mailboxes in chain order, or `['auto-approved']`. */
  approvedBy: z.array(z.string()).optional(),
  /** The catalogue version whose role definition granted it, when recorded (catalogue convergence). */
  catalogueVersion: z.string().optional(),
  userId: z.string().optional(),
  membershipId: z.string().optional(),
  instanceId: z.string().optional(),
  volumeId: z.string().optional(),
  /** Time-bound grants only: when access ends. */
  expiresAt: z.string().optional(),
  /** Time-bound grants only: the extension request that last moved `expiresAt`. */
  extendedBy: z.string().optional(),
  revokedAt: z.string().optional(),
  /** The execution that closed it, once closed. */
  revokedBy: z.string().optional(),
});
export type GrantItem = z.infer<typeof grantItemSchema>;

/** What a workflow writes when it records a grant: an active item, granted by a request. */
export type NewGrantItem = GrantItem & { status: 'active'; grantedAt: string; requestId: string; approvedBy: string[] };

export type ClosedStatus = 'expired' | 'revoked';
