import type { Grant } from '../grants/grants.ts';
import type { ClosedStatus, NewGrantItem } from '../grants/item.ts';
import type { RequestItem } from '../requests/request-record.ts';

/**
 * The ports time-bound access consumes: its requests and its grants. Adapters:
 * dynamodb/requests.ts, dynamodb/grants.ts.
 */

/**
 * A time-bound request as its `requests` item holds it (the one item schema,
 * domain/requests/request-record.ts `requestItemSchema`): the record Prepare Access Request wrote
 * and its lifecycle (`granted`, then `ended`; Record Outcome marks denied / expired approvals / failures).
 */
export type TimeBoundRequestView = RequestItem & { kind: 'time-bound' };

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
