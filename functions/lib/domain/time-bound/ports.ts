import { z } from 'zod';
import type { Grant } from '../grants/grants.ts';
import type { ClosedStatus, NewGrantItem } from '../grants/item.ts';

/**
 * The ports time-bound access consumes: its requests and its grants. Adapters:
 * dynamodb/requests.ts, dynamodb/grants.ts.
 */

/**
 * The life of a time-bound request on its `requests` item, next to the record Prepare Access
 * Request wrote: `granted` (with grantedAt and expiresAt, set once) and `ended` (expired or
 * revoked early, by whom). Record Outcome marks denied / expired approvals / failures.
 */

export const timeBoundRequestViewSchema = z.looseObject({
  requestId: z.string(),
  kind: z.string(),
  employeeId: z.string(),
  executionId: z.string(),
  requester: z.object({ employeeId: z.string(), email: z.string() }).optional(),
  entitlements: z.array(z.looseObject({ id: z.string() })),
  decision: z.looseObject({ decision: z.string() }),
  duration: z.union([z.string(), z.number()]).optional(),
  /** Why it was asked for; a break-glass request's mandatory reason. */
  justification: z.string().optional(),
  /** Granted without approval as break-glass (policy.ts): told to security and reviewed afterwards (break-glass.ts). */
  breakGlass: z.literal(true).optional(),
  createdAt: z.string(),
  status: z.string().optional(),
  grantedAt: z.string().optional(),
  expiresAt: z.string().optional(),
  endedAt: z.string().optional(),
  endReason: z.string().optional(),
  revokedBy: z.string().optional(),
});

export type TimeBoundRequestView = z.infer<typeof timeBoundRequestViewSchema>;

export interface TimeBoundRequests {
  get(requestId: string): Promise<TimeBoundRequestView | undefined>;
  /** Marks the request granted; the first call fixes expiresAt, a retry gets the same one back. */
  markGranted(requestId: string, executionId: string, grantedAt: string, expiresAt: string): Promise<{ grantedAt: string; expiresAt: string }>;
  /** `ended` once; false when it had already ended (or was never recorded). */
  markEnded(requestId: string, at: string, reason: 'expired' | 'revoked', revokedBy?: string): Promise<boolean>;
}

/** The status a caller sees: what the workflow recorded, or what the record implies. */
export function statusOf(view: TimeBoundRequestView): string {
  if (view.status) return view.status;
  return view.decision.decision === 'needs-approval' ? 'pending-approval' : 'approved';
}

export interface StoredGrant {
  grantKey: string;
  status: string;
  /** The execution that closed it, once closed. */
  revokedBy?: string;
  membershipId?: string;
  grant: Grant;
}

export interface TimeBoundGrants {
  /** Every grant item of the employee that the domain can read (role or time-bound source). */
  list(employeeId: string): Promise<StoredGrant[]>;
  putIfAbsent(item: NewGrantItem): Promise<boolean>;
  /** true when this call closed an active item; `executionName` is kept as revokedBy so a retry finds its own. */
  close(employeeId: string, grantKey: string, status: ClosedStatus, at: string, executionName: string): Promise<boolean>;
}
