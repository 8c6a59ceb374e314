import { z } from 'zod';
import { assignmentTargetSchema } from '../domain/account-assignments/targets.ts';
import { accountAssignmentEntitlementSchema, groupEntitlementSchema } from '../domain/catalogue/schema.ts';
import { employeeSchema } from '../domain/events/employee-events.ts';
import { policyDecisionSchema } from '../domain/policy/schema.ts';
import { executionIds } from '../domain/shared/ids.ts';
import { grantRequestSchema } from '../domain/time-bound/schemas.ts';

/**
 * functions/prepare-time-bound, time-bound "Prepare Access Request": the subject as Gatehouse
 * knows them, the requested entitlements from the catalogue (groups and account assignments),
 * the policy's decision (kind `time-bound`), the request record, and the audit entries
 * request.received (requestType time-bound) and policy.decided. A retry of the same execution
 * finds its own record and decides nothing anew. Returns $.request.
 */
export const prepareTimeBoundInputSchema = z.object({ request: grantRequestSchema, ...executionIds });
export type PrepareTimeBoundInput = z.infer<typeof prepareTimeBoundInputSchema>;

/** `$.request` of the time-bound machine. */
export const prepareTimeBoundOutputSchema = z.object({
  requestId: z.string(),
  employeeId: z.string(),
  /** For Grant Access (provision-identity): the user name is the work e-mail. */
  employee: employeeSchema,
  /** Groups, for Grant Access. */
  entitlements: z.array(groupEntitlementSchema),
  /** Account-assignment entitlements, and the assignments they make (Assign Accounts). */
  accountAssignments: z.array(accountAssignmentEntitlementSchema),
  accountTargets: z.array(assignmentTargetSchema),
  decision: policyDecisionSchema,
  approvalTimeoutSeconds: z.int(),
  durationMinutes: z.int(),
});
export type PreparedAccessRequest = z.infer<typeof prepareTimeBoundOutputSchema>;

/**
 * What `functions/prepare-time-bound` does (its Lambda description, read by infra/spec/functions) and the ASL
 * Task states that run it (test/unit/architecture/task-contracts.test.ts checks both against the ASL).
 */
export const TASK = {
  description:
    'Time-bound "Prepare Access Request": subject, entitlements, policy (time-bound), request record; audit.',
  states: ['Prepare Access Request'],
} as const;
