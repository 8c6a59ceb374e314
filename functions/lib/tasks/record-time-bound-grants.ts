import { z } from 'zod';
import { employeeIdSchema } from '../domain/events/employee-events.ts';
import { requestIdSchema } from '../domain/grants/grants.ts';
import { groupRefSchema, identityResultSchema } from '../domain/provision/schemas.ts';
import { executionIds } from '../domain/shared/ids.ts';

/**
 * functions/record-time-bound-grants, time-bound "Record Time-Bound Grants": expiresAt fixed once,
 * grant items with source time-bound:<requestId>, grant.applied (basis time-bound), the
 * time-bound-granted notice; for break-glass, security told and the review opened. Returns $.results.grants; "Schedule Expiry" reads `expiresAt`.
 */
export const recordTimeBoundGrantsInputSchema = z.object({
  requestId: requestIdSchema,
  employeeId: employeeIdSchema,
  /** Groups granted by Grant Access (may be empty when only account assignments were asked for). */
  entitlements: z.array(groupRefSchema),
  /** Account-assignment entitlements assigned by Assign Accounts. */
  accountAssignments: z.array(z.looseObject({ id: z.string().min(1), kind: z.literal('account-assignment') })).optional(),
  durationMinutes: z.int().positive(),
  results: z.looseObject({
    approvals: z.array(z.looseObject({ approver: z.email() })).optional(),
    identity: identityResultSchema,
  }),
  ...executionIds,
});
export type RecordTimeBoundGrantsInput = z.infer<typeof recordTimeBoundGrantsInputSchema>;

export const recordTimeBoundGrantsOutputSchema = z.object({
  expiresAt: z.string(),
  grantKeys: z.array(z.string()),
  recorded: z.int().min(0),
  /** The after-the-fact review's campaign id, for a break-glass request. */
  breakGlassReview: z.string().optional(),
});
export type RecordedTimeBoundGrants = z.infer<typeof recordTimeBoundGrantsOutputSchema>;

/**
 * What `functions/record-time-bound-grants` does (its Lambda description, read by infra/spec/functions) and the ASL
 * Task states that run it (test/unit/architecture/task-contracts.test.ts checks both against the ASL).
 */
export const TASK = {
  description:
    'Time-bound "Record Time-Bound Grants": expiresAt, grant items (source time-bound), grant.applied entries; break-glass: security told, review started.',
  states: ['Record Time-Bound Grants'],
} as const;
