import type { Approval, ApprovalSlot, Delivery } from './approval.ts';

/**
 * The ports the approval use cases consume (request-approval.ts, approval-page.ts): the approvals
 * table, the mailer and the Step Functions task callbacks. Implemented in: dynamodb/approvals.ts,
 * aws/ses-approval-mailer.ts, aws/sfn-task-callbacks.ts.
 */

export interface Rebinding {
  taskToken: string;
  tokenHash: string;
  expiresAt: string;
  expiresAtEpoch: number;
  at: string;
}

/** A withdrawal as the approval item keeps it (approval.ts `withdrawnBy`, `withdrawnAs`, `withdrawReason`). */
export interface Withdrawal {
  at: string;
  by: string;
  as: 'requester' | 'operator';
  reason?: string;
}

export interface Decision {
  status: 'approved' | 'denied';
  decidedAt: string;
  decidedBy: string;
  comment?: string;
  /** Until when the caller that recorded the decision alone may deliver it (claimDelivery). */
  deliveryLeaseUntil: string;
}

/**
 * The approvals table. Every state change is a conditional write; the methods answer
 * false/undefined when the condition did not hold, and the use cases re-read and decide.
 */
export interface ApprovalRepository {
  get(approvalId: string): Promise<Approval | undefined>;
  getSlot(slotKey: string): Promise<ApprovalSlot | undefined>;
  /**
   * Puts a new approval and points its slot at it, atomically. `previous` is the slot as the
   * caller read it (absent: no slot yet) and, optionally, a pending approval it replaces.
   */
  create(approval: Approval, slot: ApprovalSlot, previous?: { tokenHash: string; supersede?: string }): Promise<boolean>;
  /** Moves a pending, unexpired approval (and its slot) from one task token to the next. */
  rebind(approvalId: string, slotKey: string, fromTokenHash: string, to: Rebinding): Promise<boolean>;
  /** Takes the right to send the approval's e-mail until `leaseUntil`; false when mailed, closed or leased. */
  claimMail(approvalId: string, now: string, leaseUntil: string): Promise<boolean>;
  markMailed(approvalId: string, at: string): Promise<void>;
  /** Gives the e-mail lease back after a failed send, so the next attempt need not wait for it. */
  releaseMail(approvalId: string): Promise<void>;
  /**
   * Takes the one right to post the approval's Slack message (at most once: a crash after the
   * claim loses the Slack copy, never doubles it; the e-mail is the copy that always goes).
   */
  claimSlack(approvalId: string, at: string): Promise<boolean>;
  /** Where the Slack message went, so a later outcome can rewrite it. */
  recordSlackMessage(approvalId: string, channel: string, ts: string): Promise<void>;
  /** Records the decision if the approval is pending and unexpired at `now`; the item as updated, else undefined. */
  decide(approvalId: string, decision: Decision, now: string): Promise<Approval | undefined>;
  /**
   * Takes the right to (re-)deliver a decided, undelivered approval until `leaseUntil`; false while
   * another caller holds it or once delivered. Concurrent POSTs of one decision deliver it once.
   */
  claimDelivery(approvalId: string, now: string, leaseUntil: string): Promise<boolean>;
  /** Gives the delivery lease back after a failed callback, so the approver's retry need not wait for it. */
  releaseDelivery(approvalId: string): Promise<void>;
  /** Stores what Step Functions answered; `delivered` is never overwritten by a later `task-gone`. */
  recordDelivery(approvalId: string, delivery: Exclude<Delivery, 'pending'>, at: string): Promise<void>;
  /** Cancels a pending approval (the leaver flow); the item as updated, or undefined when it was not pending. */
  cancel(approvalId: string, at: string): Promise<Approval | undefined>;
  /** Cancels a pending, unexpired approval as withdrawn by `withdrawal.by`; the item as updated, or undefined when it was not open. */
  withdraw(approvalId: string, withdrawal: Withdrawal): Promise<Approval | undefined>;
}

export interface Mail {
  to: string;
  subject: string;
  text: string;
  html: string;
}

/** The port the approval request sends through. */
export interface Mailer {
  send(mail: Mail): Promise<void>;
}

/** `task-gone`: Step Functions no longer waits on the token (timed out, execution ended or stopped). */
export type CallbackResult = 'delivered' | 'task-gone';

/** The port that resumes the waiting task. */
export interface TaskCallbacks {
  succeed(taskToken: string, output: unknown): Promise<CallbackResult>;
  fail(taskToken: string, error: string, cause: string): Promise<CallbackResult>;
}

/** A step of the same chain decided before this one: shown to the next approver with its comment (issue #18). */
export interface EarlierStep {
  step: number;
  approver: string;
  decision: 'approved' | 'denied';
  decidedAt?: string;
  comment?: string;
}

/** Implemented in: dynamodb/approvals.ts (createApprovalLookup, byRequest index). */
export interface ApprovalHistory {
  earlierSteps(requestId: string, executionId: string, step: number): Promise<EarlierStep[]>;
}
