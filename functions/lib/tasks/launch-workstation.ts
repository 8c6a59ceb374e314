import { z } from 'zod';
import { taskIds, workstationProfileSchema, workstationResultSchema } from '../domain/provision/schemas.ts';

/**
 * functions/launch-workstation, "Launch Workstation" (joiner, mover): RunInstances, data volume
 * included, with a ClientToken derived from the person, the profile and the employment
 * generation (the joiner passes it; without it, from the request), so a retry or a duplicate hire
 * returns the same instance. "Wait For Workstation" polls the result.
 */
export const launchWorkstationInputSchema = z.object({ ...taskIds, workstation: workstationProfileSchema, generation: z.string().min(1).max(64).optional() });
export type LaunchWorkstationInput = z.infer<typeof launchWorkstationInputSchema>;

/** $.results.workstation: { entitlementId, instanceId, availabilityZone }. */
export const launchWorkstationOutputSchema = workstationResultSchema;

/**
 * What `functions/launch-workstation` does (its Lambda description, read by infra/spec/functions) and the ASL
 * Task states that run it (test/unit/architecture/task-contracts.test.ts checks both against the ASL).
 */
export const TASK = {
  description:
    'Launch Workstation: RunInstances with the data volume, ClientToken from person, profile and generation.',
  states: ['Launch Workstation'],
} as const;
