import { z } from 'zod';
import { COMPENSATED_WORKFLOWS } from '../domain/provision/compensation.ts';
import { joinerResultsSchema, provisionEntitlementSchema, taskIds } from '../domain/provision/schemas.ts';

/**
 * functions/compensate-provisioning, joiner "Undo Provisioning" and mover "Undo New Access":
 * undoes what this request created, newest first, and writes a compensation.applied audit entry
 * per undo, worded for the `workflow` the ASL names (default joiner). Safe to run again.
 * Returns { actions } (CompensationSummary, domain/provision/compensation.ts) for $.results.compensation.
 */
export const compensateProvisioningInputSchema = z.object({
  ...taskIds,
  executionId: z.string().min(1).max(256),
  employee: z.looseObject({ email: z.email() }).optional(),
  entitlements: z.array(provisionEntitlementSchema),
  error: z.looseObject({ Error: z.string().optional() }).optional(),
  results: joinerResultsSchema.default({}),
  workflow: z.enum(COMPENSATED_WORKFLOWS).optional(),
});
export type CompensateProvisioningInput = z.infer<typeof compensateProvisioningInputSchema>;

/**
 * What `functions/compensate-provisioning` does (its Lambda description, read by infra/spec/functions) and the ASL
 * Task states that run it (test/unit/architecture/task-contracts.test.ts checks both against the ASL).
 */
export const TASK = {
  description:
    'Undo Provisioning: undo what a joiner request created, newest first; compensation.applied audit entries.',
  states: ['Undo Provisioning', 'Undo New Access'],
} as const;
