import { z } from 'zod';
import { ec2Client } from '#lib/adapters/aws/clients/ec2';
import { instanceIdSchema, taskIds, workstationProfileSchema, type StorageResult } from '#lib/domain/provision/schemas';
import { createWorkstations } from '#lib/adapters/aws/ec2';
import { taskHandler } from '#lib/runtime/task-handler';

/**
 * Attach Storage: CreateVolume (ClientToken from the request) in the instance's zone, then
 * AttachVolume at /dev/sdf. VolumePendingError (retried by the ASL) while the volume is
 * creating or attaching; already attached to this instance is success. Returns
 * { entitlementId, volumeId, device } for $.results.storage.
 */

const workstations = createWorkstations({ client: ec2Client });

const inputSchema = z.object({
  ...taskIds,
  workstation: workstationProfileSchema,
  instanceId: instanceIdSchema,
  availabilityZone: z.string().min(1),
});

export const handler = taskHandler(
  inputSchema,
  async (input): Promise<StorageResult> =>
    workstations.ensureDataVolume({
      requestId: input.requestId,
      employeeId: input.employeeId,
      profile: input.workstation,
      instanceId: input.instanceId,
      availabilityZone: input.availabilityZone,
    }),
);
