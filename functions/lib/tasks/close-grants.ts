import { z } from 'zod';
import { leaveGrantSchema, leaveTaskBase } from '../domain/leaver/schemas.ts';

/**
 * functions/close-grants, leaver "Close Grants": every active grant of the person becomes
 * `revoked` (conditional update). Returns $.results.grants; "Record Leave" reads `closed`.
 */
export const closeGrantsInputSchema = z.object({ ...leaveTaskBase });
export type CloseGrantsInput = z.infer<typeof closeGrantsInputSchema>;

export const closeGrantsOutputSchema = z.object({ closed: z.array(leaveGrantSchema) });
export type ClosedGrants = z.infer<typeof closeGrantsOutputSchema>;

/**
 * What `functions/close-grants` does (its Lambda description, read by infra/spec/functions) and the ASL
 * Task states that run it (test/unit/architecture/task-contracts.test.ts checks both against the ASL).
 */
export const TASK = {
  description:
    'Leaver "Close Grants": every active grant of the person becomes revoked (conditional update).',
  states: ['Close Grants'],
} as const;
