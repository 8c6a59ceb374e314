import { ec2Client } from '#lib/adapters/aws/clients/ec2';
import type { StorageResult } from '#lib/domain/provision/schemas';
import { attachStorageInputSchema } from '#lib/tasks/attach-storage';
import { createWorkstations } from '#lib/adapters/aws/ec2';
import { taskHandler } from '#lib/runtime/task-handler';

/** Attach Storage (contract and step: lib/tasks/attach-storage.ts). */

const workstations = createWorkstations({ client: ec2Client });

export const handler = taskHandler(
  attachStorageInputSchema,
  async (input): Promise<StorageResult> =>
    workstations.ensureDataVolume({
      requestId: input.requestId,
      employeeId: input.employeeId,
      profile: input.workstation,
      instanceId: input.instanceId,
      availabilityZone: input.availabilityZone,
    }),
);
