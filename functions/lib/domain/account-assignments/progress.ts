import { z } from 'zod';
import { assignmentKey, assignmentTargetSchema, type AssignmentTarget } from './targets.ts';

/**
 * The state of one workflow's account-assignment work, carried by the state machine between
 * "Wait For Account Assignments" and "Check Account Assignments" (a Wait+check loop: Identity
 * Center's CreateAccountAssignment and DeleteAccountAssignment are asynchronous).
 */

export const assignmentActionSchema = z.enum(['create', 'delete']);
export type AssignmentAction = z.infer<typeof assignmentActionSchema>;

export const operationSchema = z.object({
  target: assignmentTargetSchema,
  action: assignmentActionSchema,
  status: z.enum(['pending', 'in-progress', 'succeeded', 'failed', 'skipped']),
  requestId: z.string().min(1).max(64).optional(),
  /** create: the assignment existed before (another grant made it); undo never removes it. */
  existed: z.boolean().optional(),
  reason: z.string().max(1024).optional(),
});
export type AssignmentOperation = z.infer<typeof operationSchema>;

export const progressSchema = z.object({
  /** in-progress: wait and check again; done: every operation succeeded; failed: see `failure` (undo already done). */
  state: z.enum(['in-progress', 'done', 'failed']),
  operations: z.array(operationSchema).max(200),
  /** How long the state machine waits before the next check (Wait SecondsPath). */
  waitSeconds: z.int().min(1).max(300),
  failure: z.object({ entitlementId: z.string(), accountId: z.string(), action: assignmentActionSchema, reason: z.string() }).optional(),
  /** With state failed: what "Record Failure" audits (`$.error` of the state machine). */
  error: z.object({ Error: z.string(), Cause: z.string() }).optional(),
});
export type AssignmentProgress = z.infer<typeof progressSchema>;

/** A fresh plan: one pending operation per distinct assignment. */
export function planOperations(action: AssignmentAction, targets: readonly AssignmentTarget[]): AssignmentOperation[] {
  const seen = new Set<string>();
  return targets.flatMap((target) => {
    const key = assignmentKey(target);
    if (seen.has(key)) return [];
    seen.add(key);
    return [{ target, action, status: 'pending' as const }];
  });
}

/**
 * After a FAILED create: the assignments this run created are deleted again (an undo that the
 * same loop waits for), creates not started are skipped; one that existed before is left alone.
 */
export function compensate(operations: readonly AssignmentOperation[]): AssignmentOperation[] {
  return operations.flatMap((op): AssignmentOperation[] => {
    if (op.action !== 'create') return [op];
    if (op.status === 'pending') return [{ ...op, status: 'skipped' }];
    if (op.status === 'succeeded' && !op.existed) return [op, { target: op.target, action: 'delete', status: 'pending' }];
    return [op];
  });
}

export function stateOf(operations: readonly AssignmentOperation[], failed: boolean): AssignmentProgress['state'] {
  if (operations.some((op) => op.status === 'pending' || op.status === 'in-progress')) return 'in-progress';
  return failed ? 'failed' : 'done';
}
