import type { AuditEntry } from '../audit/entry.ts';
import type { Notification, NotifiedPerson } from '../notifications/kinds.ts';
import type { RequestRecord } from '../requests/request-record.ts';
import { askedFor, roleName } from '../requests/words.ts';
import type { ApprovalSummary } from './ports.ts';
import { withdrawnWords } from '../approvals/presentation.ts';

/**
 * Who is told how a request ended (issue #18), from what Record Outcome knows: the request
 * record, the last approval (who decided and their comment) and the subject's audit trail (what
 * compensation undid). Pure; record-outcome.ts sends what this returns.
 */

/** The step a failure happened in, where the error's name says it; else the workflow itself. */
const STEP_OF_ERROR: Record<string, string> = {
  IdentityConflictError: 'Create Identity Center User',
  GroupNotFoundError: 'Create Identity Center User',
  WorkstationFailedError: 'Launch Workstation',
  VolumeFailedError: 'Attach Storage',
  VolumeAttachmentConflictError: 'Attach Storage',
  ExtensionRefusedError: 'Extend Grants',
};

export const failedStepOf = (errorName: string, workflowStep: string): string => STEP_OF_ERROR[errorName] ?? workflowStep;

/** "the Platform Engineer (platform-engineer) role", "a role change to …", "time-bound group:ProdAdmin", "extension of time-bound group:ProdAdmin". */
export function requestWords(record: RequestRecord | undefined, workflow: string): string {
  if (!record) return `the ${workflow} request`;
  if (record.kind === 'time-bound' || record.kind === 'extension') return askedFor(record);
  return record.kind === 'mover' ? `a role change to ${roleName(record)}` : `the ${roleName(record)} role`;
}

export interface OutcomeFacts {
  outcome: 'provisioning.failed' | 'approval.denied' | 'approval.expired' | 'request.rejected' | 'request.withdrawn';
  workflow: string;
  workflowStep: string;
  requestId: string;
  person: NotifiedPerson;
  record: RequestRecord | undefined;
  approval: (ApprovalSummary & { decidedBy?: string; comment?: string }) | undefined;
  errorName: string;
  cause: string;
  /** The subject's audit entries (for compensation of this request). */
  trail: readonly AuditEntry[];
}

export function outcomeNotification(facts: OutcomeFacts): Notification | undefined {
  const base = { person: facts.person, requestId: facts.requestId };
  const requesterEmail = facts.record?.requester?.email;
  const requester = requesterEmail ? { requesterEmail } : {};
  const what = requestWords(facts.record, facts.workflow);
  switch (facts.outcome) {
    case 'approval.denied':
      return {
        kind: 'denied',
        ...base,
        ...requester,
        what,
        ...(facts.approval?.decidedBy?.includes('@') ? { approverEmail: facts.approval.decidedBy } : {}),
        ...(facts.approval?.comment ? { reason: facts.approval.comment.slice(0, 500) } : {}),
      };
    case 'approval.expired':
      return { kind: 'approval-expired', ...base, ...requester, what, ...(facts.approval ? { expiredAt: facts.approval.expiresAt } : {}) };
    case 'provisioning.failed': {
      if (facts.errorName === 'IdentityConflictError') {
        return { kind: 'identity-conflict', ...base, ...(facts.person.email ? { email: facts.person.email } : {}), ...(facts.cause ? { detail: facts.cause.slice(0, 300) } : {}) };
      }
      const undone = facts.trail.some((entry) => entry.kind === 'compensation.applied' && entry.requestId === facts.requestId);
      return {
        kind: 'workflow-failed',
        ...base,
        ...requester,
        workflow: facts.workflow,
        step: failedStepOf(facts.errorName, facts.workflowStep),
        error: facts.errorName,
        ...(facts.cause ? { cause: facts.cause.slice(0, 300) } : {}),
        undone,
      };
    }
    case 'request.rejected':
      // A rejected HR event or request never started: the sender got the 4xx, nobody else is concerned.
      return undefined;
    case 'request.withdrawn':
      // The approver whose link the withdrawal voided; the requester did it (or an operator, who told them).
      return facts.approval?.approver?.includes('@') ? { kind: 'cancelled', ...base, approverEmails: [facts.approval.approver], what, reason: withdrawnWords(facts.approval, 300) } : undefined;
  }
}
