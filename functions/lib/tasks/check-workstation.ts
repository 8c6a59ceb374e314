import { z } from 'zod';
import { instanceIdSchema, taskIds, workstationStateSchema } from '../domain/provision/schemas.ts';

/**
 * functions/check-workstation, "Wait For Workstation" (joiner, mover): { state: 'running' } once
 * the instance runs. While it is pending it throws WorkstationPendingError, which the ASL retries
 * (that Retry is the poll and its MaxAttempts the deadline); stopped or terminated is
 * WorkstationFailedError (not retried). The instance id comes from $.results.workstation.
 */
export const checkWorkstationInputSchema = z.object({ ...taskIds, instanceId: instanceIdSchema });
export type CheckWorkstationInput = z.infer<typeof checkWorkstationInputSchema>;

/** $.results.workstationState */
export const checkWorkstationOutputSchema = workstationStateSchema;

/**
 * What `functions/check-workstation` does (its Lambda description, read by infra/spec/functions) and the ASL
 * Task states that run it (test/unit/architecture/task-contracts.test.ts checks both against the ASL).
 */
export const TASK = {
  description:
    'Wait For Workstation: is the instance running yet.',
  states: ['Wait For Workstation'],
} as const;
