import { z } from 'zod';
import { planTimeBoundRevocationInputSchema } from './plan-time-bound-revocation.ts';

/**
 * functions/close-time-bound-grants, time-bound "Close Time-Bound Grants": the request's grant
 * items end (expired | revoked), grant.revoked audited, the request ended, the holder told.
 * Returns { closed, noop } for $.closed.
 */
export const closeTimeBoundGrantsInputSchema = z.object({
  ...planTimeBoundRevocationInputSchema.shape,
  /** Entitlement ids whose membership Plan Revocation removed (the others stay justified). */
  revoked: z.array(z.string()),
});
export type CloseTimeBoundGrantsInput = z.infer<typeof closeTimeBoundGrantsInputSchema>;
