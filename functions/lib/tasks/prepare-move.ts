import { z } from 'zod';
import { assignmentTargetSchema } from '../domain/account-assignments/targets.ts';
import { entitlementSchema, workstationEntitlementSchema } from '../domain/catalogue/schema.ts';
import { employeeChangedSchema } from '../domain/events/employee-events.ts';
import { keptWorkstationSchema } from '../domain/mover/schemas.ts';
import { policyDecisionSchema } from '../domain/policy/schema.ts';
import { executionIds } from '../domain/shared/ids.ts';

/**
 * functions/prepare-move, mover "Prepare Move": old role (employees table, else previousRole),
 * what the new role adds, the policy's decision, whether a workstation is launched or kept;
 * audits request.received and policy.decided; a changed work e-mail updates the Identity Store
 * user. Returns $.request. ValidationError (unknown person or role) and MissingApproverError are
 * not retried: the state machine records a rejection.
 */
export const prepareMoveInputSchema = z.object({ event: employeeChangedSchema, ...executionIds });
export type PrepareMoveInput = z.infer<typeof prepareMoveInputSchema>;

/** `$.request`: what the Choice, Map, Wait and later Task states read. Optional keys are absent, never null. */
export const prepareMoveOutputSchema = z.object({
  requestId: z.string(),
  employeeId: z.string(),
  fromRole: z.string(),
  toRole: z.string(),
  /** False when the role did not change: only the other fields are recorded. */
  moved: z.boolean(),
  /** False when the person is not employed now (no hire delivered yet, or left): the change is only recorded, merged per fact. */
  employed: z.boolean(),
  /** Every entitlement of the new role (birthright included): provisioned get-or-create and recorded for role:<toRole>. */
  entitlements: z.array(entitlementSchema),
  /** What the new role adds at catalogue level: what the policy and the approvers see. */
  added: z.array(entitlementSchema),
  /** What this execution creates: new-role entitlements no active grant justifies yet (undone if granting fails). */
  provision: z.array(entitlementSchema),
  /** The account assignments of `provision` (Assign New Role Accounts); empty when it has none. */
  accountTargets: z.array(assignmentTargetSchema),
  /** The catalogue version the new role was resolved with (the request's; Record Grants keeps it on each grant). */
  catalogueVersion: z.string(),
  decision: policyDecisionSchema,
  approvalTimeoutSeconds: z.int(),
  overlapSeconds: z.int(),
  /** A workstation to launch: the new role's, when the person holds none of that profile. */
  workstation: workstationEntitlementSchema.optional(),
  /**
   * What keys the launched workstation with person and profile (adapters/aws/ec2-model.ts
   * workstationToken): the employment and this change's event time, so duplicates of one change
   * under other delivery ids launch one instance, and a later move back to the profile a new one.
   */
  generation: z.string(),
  keptWorkstation: keptWorkstationSchema.optional(),
});
export type PreparedMove = z.infer<typeof prepareMoveOutputSchema>;

/**
 * What `functions/prepare-move` does (its Lambda description, read by infra/spec/functions) and the ASL
 * Task states that run it (test/unit/architecture/task-contracts.test.ts checks both against the ASL).
 */
export const TASK = {
  description:
    'Mover "Prepare Move": old and new role, what the new role adds, policy decision, workstation launched or kept; a new e-mail updates the user; audit.',
  states: ['Prepare Move'],
} as const;
