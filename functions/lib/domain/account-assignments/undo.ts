import type { AuditDraft } from '../audit/entry.ts';
import type { AuditStore } from '../audit/ports.ts';
import { clip } from '../shared/ids.ts';
import { advanceAssignments, type AdvanceDeps, type AdvanceInput } from './advance.ts';
import { compensate, type AssignmentOperation, type AssignmentProgress } from './progress.ts';
import { assignmentKey } from './targets.ts';

/**
 * "Undo Account Assignments" (issue #17): the step after the assignments failed for good (Record
 * Grants, say) deletes again what this request's "Assign Accounts" created, with the same Wait+check
 * loop (DeleteAccountAssignment, then DescribeAccountAssignmentDeletionStatus until it leaves
 * IN_PROGRESS). An assignment that existed before the request (another grant made it) is left alone.
 * Once the loop settles, each removal is audited as `compensation.applied`, which is how Record
 * Failure tells the requester what was undone.
 */

export interface UndoDeps extends AdvanceDeps {
  audit?: Pick<AuditStore, 'append'>;
}

export interface UndoInput extends AdvanceInput {
  requestId: string;
  /** Every turn of the undo; the first passes the progress of the creates to undo, later ones the undo's own. */
  undo: true;
  executionId: string;
  executionName?: string;
}

/** The deletes that undo what `operations` created. */
export const undoOperations = (operations: readonly AssignmentOperation[]): AssignmentOperation[] => compensate(operations).filter((op) => op.action === 'delete');

export async function advanceUndo(deps: UndoDeps, input: UndoInput): Promise<AssignmentProgress> {
  const first = input.progress?.operations.some((op) => op.action === 'create') === true;
  const progress = first ? { state: 'in-progress' as const, operations: undoOperations(input.progress!.operations), waitSeconds: deps.waitSeconds } : input.progress;
  const next = await advanceAssignments(deps, { ...input, ...(progress ? { progress } : {}) });
  if (next.state !== 'in-progress' && deps.audit) for (const draft of undoneDrafts(input, next)) await deps.audit.append(draft);
  return next;
}

/** One `compensation.applied` per assignment this request made and the undo removed. */
export function undoneDrafts(input: Pick<UndoInput, 'employeeId' | 'requestId' | 'executionId' | 'executionName'>, progress: AssignmentProgress): AuditDraft[] {
  return progress.operations
    .filter((op) => op.action === 'delete' && op.status === 'succeeded')
    .map((op) => {
      const resourceId = clip(assignmentKey(op.target).replace(/[^\x21-\x7e]/g, '_'), 256);
      return {
        kind: 'compensation.applied',
        subject: input.employeeId,
        actor: { type: 'system', id: 'account-assignments' },
        entitlementId: op.target.entitlementId,
        requestId: input.requestId,
        executionId: input.executionId,
        reason: `request ${input.requestId} failed after its account assignments were made: removed ${op.target.permissionSet} on account ${op.target.accountId} again`,
        idempotencyKey: `${input.executionName ?? input.requestId}/undo-account-assignments/${resourceId}`,
        detail: { step: 'Undo Account Assignments', action: 'delete-account-assignment', resourceId },
      };
    });
}
