import type { AuditEntry } from '../audit/entry.ts';
import type { Mail } from './report-mail.ts';
import type { ActualState, DesiredState } from './reconcile.ts';
import type { AssignmentProgress } from '../account-assignments/progress.ts';
import type { AssignmentTarget } from '../account-assignments/targets.ts';

/**
 * The ports reconciliation consumes. Implemented in: dynamodb/audit-run-log.ts,
 * aws/ses-operator-mailer.ts, aws/reconcile-inventory.ts.
 */

/**
 * Run-level reconciliation entries live in the audit table under one subject. Before a run
 * e-mails operators it looks for the entry that records the e-mail of the same run date: found
 * means a retried invocation already sent it. Newest first, stopping at the first entry of an
 * earlier day, so a lookup reads a day's worth of runs, not the partition.
 */

export interface RunLog {
  /** The run entry with this idempotency key written on or after `runDate`, if any. */
  find(idempotencyKey: string, runDate: string): Promise<AuditEntry | undefined>;
}

/** The two small ports remove and report mode need beyond the leaver's: the operator e-mail and the review tag. */

export interface OperatorMailer {
  /** Sends to the operators; the SES message id. */
  send(mail: Mail): Promise<string | undefined>;
}

export interface ReviewTagger {
  tagForReview(instanceId: string, runDate: string): Promise<void>;
}

/**
 * Reads both sides of reconciliation: the employees and grants tables (Query only, by the
 * byStatus index and by employee) and the Identity Store and EC2 listings, every page.
 */

export interface InventoryPort {
  readDesired(): Promise<DesiredState>;
  readActual(): Promise<ActualState>;
}

/**
 * Deletes one account assignment of a user and waits for Identity Center to settle it
 * (DeleteAccountAssignment is asynchronous: account-assignments/settle.ts polls its status with a
 * deadline); the progress says done, failed (with AWS's reason) or still in progress.
 */
export interface AssignmentRemover {
  remove(userId: string, employeeId: string, target: AssignmentTarget): Promise<AssignmentProgress>;
}
