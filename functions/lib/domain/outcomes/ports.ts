/**
 * The ports Record Outcome consumes: how a request ended, on its requests item, and the approval
 * an execution asked last. Implemented in: dynamodb/requests.ts, dynamodb/approvals.ts.
 */

/** The approval an execution asked last: its public ref (never the id), status and expiry. */
export interface ApprovalSummary {
  ref: string;
  status: string;
  expiresAt: string;
  /** Who decided (an e-mail), and what they wrote, once decided. */
  decidedBy?: string;
  comment?: string;
  /** The approver the link was sent to (e-mail). */
  approver?: string;
  /** A withdrawn request (the approval cancelled as withdrawn): who, as whom, and why in their words. */
  withdrawnBy?: string;
  withdrawnAs?: string;
  withdrawReason?: string;
}

export interface ApprovalLookup {
  latest(requestId: string, executionId: string): Promise<ApprovalSummary | undefined>;
}

/**
 * How a request ended, on its `requests` item (`status`, `finishedAt`, `outcomeError`), next
 * to the record prepare-join wrote. A finished request is never reopened or re-marked.
 */

export const FINISHED_STATUSES = ['failed', 'denied', 'expired', 'rejected', 'withdrawn'] as const;

export type FinishedStatus = (typeof FINISHED_STATUSES)[number];

/**
 * `marked`: this call finished it; `already-marked`: it had this status already (a retry);
 * `kept`: it had finished otherwise and stays so; `no-record`: nothing was written for the
 * request (rejected before its record); `not-owner`: the record belongs to another execution.
 */
export type MarkResult = 'marked' | 'already-marked' | 'kept' | 'no-record' | 'not-owner';

export interface Finish {
  requestId: string;
  executionId: string;
  status: FinishedStatus;
  at: string;
  /** The error's name only, never its message. */
  errorName: string;
}

export interface RequestStatusStore {
  markFinished(finish: Finish): Promise<MarkResult>;
}
