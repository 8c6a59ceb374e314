import { z } from 'zod';
import { leaveGrantSchema, leaveTaskBase } from '../domain/leaver/schemas.ts';
import { executionIds } from '../domain/shared/ids.ts';

/**
 * functions/record-leave, leaver "Record Leave" (`record`: grant.revoked audit entries,
 * time-bound requests ended `revoked`, the per-person report for $.report, the leaver-done
 * notification) and "Mark Employee Left" (`mark-left`: the employees item, conditional).
 */
export const recordLeaveInputSchema = z.object({
  ...leaveTaskBase,
  action: z.enum(['record', 'mark-left']),
  executionId: executionIds.executionId,
  closed: z.array(leaveGrantSchema).default([]),
  results: z.record(z.string(), z.unknown()).default({}),
  /** Mark Employee Left: the leave event's occurredAt, kept as the person's statusOccurredAt. */
  occurredAt: z.iso.datetime({ offset: true }).optional(),
});
export type RecordLeaveInput = z.infer<typeof recordLeaveInputSchema>;

/**
 * What `functions/record-leave` does (its Lambda description, read by infra/spec/functions) and the ASL
 * Task states that run it (test/unit/architecture/task-contracts.test.ts checks both against the ASL).
 */
export const TASK = {
  description:
    'Leaver "Record Leave" / "Mark Employee Left": grant.revoked audit entries, time-bound requests ended, the report, leaver-done to operators and manager, the employee status.',
  states: ['Record Leave', 'Mark Employee Left'],
} as const;
