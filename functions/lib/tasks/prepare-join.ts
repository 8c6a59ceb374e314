import { z } from 'zod';
import { assignmentTargetSchema } from '../domain/account-assignments/targets.ts';
import { entitlementSchema, workstationEntitlementSchema } from '../domain/catalogue/schema.ts';
import { employeeHiredSchema, employeeSchema } from '../domain/events/employee-events.ts';
import { STALE_REASONS, type StaleReason } from '../domain/ordering/person-facts.ts';
import { policyDecisionSchema } from '../domain/policy/schema.ts';
import { executionIds } from '../domain/shared/ids.ts';

/**
 * functions/prepare-join, joiner "Prepare Request": validate the hire, resolve the role, decide
 * by policy, write the request and the employee, audit request.received and policy.decided.
 * Returns $.request. ValidationError (bad event, unknown role) and MissingApproverError are not
 * retried: the state machine records them as a rejection. A hire not newer than the person's
 * record ends the joiner (`ignored`, state "Ignored Stale").
 */
export const prepareJoinInputSchema = z.object({ event: employeeHiredSchema, ...executionIds });
export type PrepareJoinInput = z.infer<typeof prepareJoinInputSchema>;

/** `$.request`: what the Choice, Wait and later Task states read. Optional keys are absent, never null. */
export const preparedRequestSchema = z.object({
  requestId: z.string(),
  employeeId: z.string(),
  /**
   * The merged record the joiner acts on (domain/ordering/merge.ts): the hire's facts where it is the
   * newest event, a newer change's where one came first. "Act On Merged Record" puts it at $.employee.
   */
  employee: employeeSchema,
  entitlements: z.array(entitlementSchema),
  /** The catalogue version the role was resolved with (the request's; Record Grants keeps it on each grant). */
  catalogueVersion: z.string(),
  decision: policyDecisionSchema,
  approvalTimeoutSeconds: z.int(),
  provisionAt: z.string(),
  /** The person's current employment (item.ts EMPLOYED_SINCE): with the profile, it keys the workstation. */
  generation: z.string(),
  /** The account assignments the role's entitlements make (Assign Accounts); empty when it grants none. */
  accountTargets: z.array(assignmentTargetSchema),
  /** Said to the sender and the logs, and noted on request.received (a start date in the past). */
  warnings: z.array(z.string()).optional(),
  workstation: workstationEntitlementSchema.optional(),
  endAt: z.string().optional(),
});
export type PreparedRequest = z.infer<typeof preparedRequestSchema>;

/** `$.request` of a hire that was not newer than the person's record: the joiner ends here (Ignored Stale). */
export const ignoredRequestSchema = z.object({
  requestId: z.string(),
  employeeId: z.string(),
  ignored: z.object({
    status: z.literal('ignored'),
    why: z.literal('stale'),
    detail: z.custom<StaleReason>((value) => typeof value === 'string' && Object.hasOwn(STALE_REASONS, value)),
  }),
});
export type IgnoredRequest = z.infer<typeof ignoredRequestSchema>;

export const prepareJoinOutputSchema = z.union([preparedRequestSchema, ignoredRequestSchema]);

/**
 * What `functions/prepare-join` does (its Lambda description, read by infra/spec/functions) and the ASL
 * Task states that run it (test/unit/architecture/task-contracts.test.ts checks both against the ASL).
 */
export const TASK = {
  description:
    'Joiner "Prepare Request": validate the hire, resolve entitlements, decide by policy, audit.',
  states: ['Prepare Request'],
} as const;
