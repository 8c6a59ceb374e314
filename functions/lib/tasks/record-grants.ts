import { z } from 'zod';
import { progressSchema } from '../domain/account-assignments/progress.ts';
import { roleIdSchema } from '../domain/catalogue/schema.ts';
import { catalogueVersionSchema } from '../domain/catalogue/version.ts';
import { employeeIdSchema } from '../domain/events/employee-events.ts';
import { identityResultSchema, storageResultSchema, workstationResultSchema } from '../domain/provision/schemas.ts';
import { executionIds, requestIdSchema } from '../domain/shared/ids.ts';

/**
 * functions/record-grants, "Record Grants" (joiner, mover, catalogue convergence): once
 * provisioning succeeded, one grants item per entitlement (conditional put: an existing one is
 * left alone) and one grant.applied audit entry each (idempotency key per execution and
 * entitlement). A grant is recorded only with the resource that realises it: a group needs its
 * membership, a workstation its instance. Safe to run again. Returns a summary for $.results.grants.
 */
export const recordGrantsInputSchema = z.object({
  requestId: requestIdSchema,
  employeeId: employeeIdSchema,
  entitlements: z.array(z.looseObject({ id: z.string().min(1), kind: z.enum(['group', 'workstation', 'account-assignment']) })),
  source: z.object({ kind: z.literal('role'), roleId: roleIdSchema }),
  /** The catalogue version whose role definition grants these (the joiner's, mover's or convergence's request); kept on the grant item and its grant.applied. */
  catalogueVersion: catalogueVersionSchema,
  results: z.looseObject({
    approvals: z.array(z.looseObject({ approver: z.email() })).optional(),
    identity: identityResultSchema.optional(),
    workstation: workstationResultSchema.optional(),
    storage: storageResultSchema.optional(),
    /** Assign Accounts' progress (done): the account assignments this execution made or found. */
    accounts: progressSchema.optional(),
    /** A workstation the person already holds and a new role keeps (mover): the grant names that instance. */
    keptWorkstation: z.object({ entitlementId: z.string().min(1), instanceId: z.string().min(1), volumeId: z.string().min(1).optional() }).optional(),
  }),
  ...executionIds,
});
export type RecordGrantsInput = z.infer<typeof recordGrantsInputSchema>;

export const recordGrantsOutputSchema = z.object({
  recorded: z.int().min(0),
  alreadyRecorded: z.int().min(0),
  grantKeys: z.array(z.string()),
});
export type RecordGrantsResult = z.infer<typeof recordGrantsOutputSchema>;

/**
 * What `functions/record-grants` does (its Lambda description, read by infra/spec/functions) and the ASL
 * Task states that run it (test/unit/architecture/task-contracts.test.ts checks both against the ASL).
 */
export const TASK = {
  description:
    'Record Grants: who has what now, one item per entitlement and source; grant.applied audit entries.',
  states: ['Record Grants'],
} as const;
