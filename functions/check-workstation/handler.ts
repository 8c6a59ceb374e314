import { z } from 'zod';
import { ec2Client } from '#lib/adapters/aws/clients/ec2';
import { instanceIdSchema, taskIds, type WorkstationState } from '#lib/domain/provision/schemas';
import { createWorkstations } from '#lib/adapters/aws/ec2';
import { taskHandler } from '#lib/runtime/task-handler';

/**
 * Wait For Workstation: { state: 'running' } once the instance runs. While it is pending it
 * throws WorkstationPendingError, which the ASL retries (that Retry is the poll and its
 * MaxAttempts the deadline); stopped or terminated is WorkstationFailedError (not retried).
 * No environment to read: the instance id comes from $.results.workstation.
 */

const workstations = createWorkstations({ client: ec2Client });

const inputSchema = z.object({ ...taskIds, instanceId: instanceIdSchema });

export const handler = taskHandler(
  inputSchema,
  async (input): Promise<WorkstationState> => workstations.checkWorkstation(input.instanceId),
);
