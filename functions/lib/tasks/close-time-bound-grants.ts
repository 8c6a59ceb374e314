import { z } from 'zod';
import { employeeIdSchema } from '../domain/events/employee-events.ts';
import { requestIdSchema } from '../domain/grants/grants.ts';
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

/**
 * The same function, time-bound "Remind Access Ending": the ending-soon schedule fired
 * (domain/time-bound/expiry.ts), the holder and requester told once; the state passes it as `remind.$: $`.
 */
export const remindRequestSchema = z.object({
  action: z.literal('remind'),
  requestId: requestIdSchema,
  employeeId: employeeIdSchema,
  /** The end the reminder was set for (absent on reminders from before extensions): an extension since makes it stale. */
  endsAt: z.iso.datetime().optional(),
});
export const remindAccessEndingInputSchema = z.object({ remind: remindRequestSchema });

/**
 * What `functions/close-time-bound-grants` does (its Lambda description, read by infra/spec/functions) and the ASL
 * Task states that run it (test/unit/architecture/task-contracts.test.ts checks both against the ASL).
 */
export const TASK = {
  description:
    'Time-bound "Close Time-Bound Grants" (grant items expired/revoked, grant.revoked, request ended) and "Remind Access Ending".',
  states: ['Close Time-Bound Grants', 'Remind Access Ending'],
} as const;
