import { z } from 'zod';
import { employeeSchema } from '../domain/events/employee-events.ts';
import { identityResultSchema, provisionEntitlementSchema, taskIds } from '../domain/provision/schemas.ts';

/**
 * functions/provision-identity: joiner "Create Identity Center User", mover "Grant New Role
 * Memberships", time-bound "Grant Access". Get-or-create the user (user name = email) and a
 * membership of each group entitlement. userCreated stays true across retries of the request
 * that created the user (the employees item records the intent before CreateUser and the creator
 * after). GroupNotFoundError (not retried) when a catalogue group is missing; NotFoundError (not
 * retried) when the employees table does not know the employee; TransientError on throttling.
 */
export const provisionIdentityInputSchema = z.object({
  ...taskIds,
  employee: employeeSchema,
  entitlements: z.array(provisionEntitlementSchema),
});
export type ProvisionIdentityInput = z.infer<typeof provisionIdentityInputSchema>;

/** $.results.identity: { userId, userCreated, memberships }. */
export const provisionIdentityOutputSchema = identityResultSchema;

/**
 * What `functions/provision-identity` does (its Lambda description, read by infra/spec/functions) and the ASL
 * Task states that run it (test/unit/architecture/task-contracts.test.ts checks both against the ASL).
 */
export const TASK = {
  description:
    'Create Identity Center User: get-or-create the user and its group memberships.',
  states: ['Create Identity Center User', 'Grant New Role Memberships', 'Grant Access'],
} as const;
