/**
 * The ports Record Outcome consumes: how a request ended, on its requests item, and the approval
 * an execution asked last. Implemented in: dynamodb/requests.ts, dynamodb/approvals.ts.
 */

/** The approval an execution asked last: its public ref (never the id), status and expiry. */
export interface ApprovalSummary {
  ref: string;
  status: string;
  expiresAt: string;
}

export interface ApprovalLookup {
  latest(requestId: string, executionId: string): Promise<ApprovalSummary | undefined>;
}

/**
 * How a request ended, on its `requests` item (`status`, `finishedAt`, `outcomeError`), next
 * to the record prepare-join wrote. A finished request is never reopened or re-marked.
 */

export const FINISHED_STATUSES = ['failed', 'denied', 'expired', 'rejected'] as const;

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

/** A mail to the operators (the stack's OPERATOR_EMAIL). */
export interface OperatorMail {
  subject: string;
  text: string;
  html: string;
}

/**
 * Who Record Outcome tells when a hire stops on an identity conflict, and the request item's
 * note that it did. Implemented in: aws/ses-operator-mailer.ts, dynamodb/requests.ts.
 */
export interface OutcomeOperators {
  mailer: { send(mail: OperatorMail): Promise<string | undefined> };
  log: {
    /** The right to send the request's operator mail until `leaseUntil`; false once mailed, or while another caller holds it. */
    claimOperatorMail(requestId: string, now: string, leaseUntil: string): Promise<boolean>;
    markOperatorMailed(requestId: string, at: string): Promise<void>;
  };
}
