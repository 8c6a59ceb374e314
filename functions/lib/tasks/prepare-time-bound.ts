import { z } from 'zod';
import { assignmentTargetSchema } from '../domain/account-assignments/targets.ts';
import { accountAssignmentEntitlementSchema, groupEntitlementSchema } from '../domain/catalogue/schema.ts';
import { employeeSchema } from '../domain/events/employee-events.ts';
import { policyDecisionSchema } from '../domain/policy/schema.ts';
import { executionIds } from '../domain/shared/ids.ts';
import { extendRequestSchema, grantRequestSchema } from '../domain/time-bound/schemas.ts';

/**
 * functions/prepare-time-bound, time-bound "Prepare Access Request": the subject as Gatehouse
 * knows them, the requested entitlements from the catalogue (groups and account assignments),
 * the policy's decision (kind `time-bound`), the request record, and the audit entries
 * request.received (requestType time-bound) and policy.decided. A retry of the same execution
 * finds its own record and decides nothing anew. Returns $.request.
 *
 * The same step for an extension (`action: 'extend'`, issue #17): the granted request it extends, its
 * new end and total within the catalogue's maximum, the same policy for the total, the extension's own
 * request record (kind `extension`), request.received and policy.decided. Returns $.request too.
 */
export const prepareTimeBoundInputSchema = z.object({ request: z.discriminatedUnion('action', [grantRequestSchema, extendRequestSchema]), ...executionIds });
export type PrepareTimeBoundInput = z.infer<typeof prepareTimeBoundInputSchema>;

/** `$.request` of the time-bound machine, for a new request. */
export const preparedAccessRequestSchema = z.object({
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
export type PreparedAccessRequest = z.infer<typeof preparedAccessRequestSchema>;

/** `$.request` of an extension: what Ask Approvers In Order reads, and what Extend Grants moves. */
export const prepareExtensionOutputSchema = z.object({
  requestId: z.string(),
  employeeId: z.string(),
  grantRequestId: z.string(),
  decision: policyDecisionSchema,
  approvalTimeoutSeconds: z.int(),
  currentEnd: z.iso.datetime(),
  newEnd: z.iso.datetime(),
});
export type PreparedExtension = z.infer<typeof prepareExtensionOutputSchema>;

/** What the state machine reads from the step: either shape (task-outputs.test.ts checks a path against each). */
export const prepareTimeBoundOutputSchema = z.union([preparedAccessRequestSchema, prepareExtensionOutputSchema]);

/**
 * What `functions/prepare-time-bound` does (its Lambda description, read by infra/spec/functions) and the ASL
 * Task states that run it (test/unit/architecture/task-contracts.test.ts checks both against the ASL).
 */
export const TASK = {
  description:
    'Time-bound "Prepare Access Request": subject, entitlements, policy (time-bound), request record; audit. For an extension: the granted request, new end, total within the maximum, same policy.',
  states: ['Prepare Access Request'],
} as const;
