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
  /**
   * Moves a granted request's end from `from` to `to` for extension `by` (conditional: still granted,
   * still ending at `from`); `already` when this extension moved it before (a retry); `refused` otherwise.
   */
  markExtended(requestId: string, change: EndChange): Promise<ExtendOutcome>;
  /** The extension's own item says `extended` (once; false when it was not this execution's or already finished). */
  markExtensionApplied(requestId: string, executionId: string, at: string): Promise<boolean>;
  /** An extension request (kind `extension`), as its item holds it. */
  getExtension(requestId: string): Promise<ExtensionRequestView | undefined>;
}

/** An extension as its `requests` item holds it: the record (with `extension`) and its lifecycle (Record Outcome's end). */
export type ExtensionRequestView = RequestItem & { kind: 'extension' };

/** One move of a grant's end: from the end the extension was asked against, to the new end, by which extension, checked at `now`. */
export interface EndChange {
  from: string;
  to: string;
  /** The extension's request id, kept on the item (`extendedBy`) so a retry finds its own. */
  by: string;
  /** Whole seconds (isoSeconds): the grant must still end after it. */
  now: string;
}

/** `refused`: the item ended, reached its end, or now ends at another time (`status`, `expiresAt` as found). */
export type ExtendOutcome = { result: 'extended' } | { result: 'already' } | { result: 'refused'; status?: string; expiresAt?: string };

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
  /** Moves an active item's end (conditional, like TimeBoundRequests.markExtended). */
  extend(employeeId: string, grantKey: string, change: EndChange): Promise<ExtendOutcome>;
  /** true when this call closed an active item; `executionName` is kept as revokedBy so a retry finds its own. */
  close(employeeId: string, grantKey: string, status: ClosedStatus, at: string, executionName: string): Promise<boolean>;
}
