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
