import { z } from 'zod';
import { instanceIdSchema, storageResultSchema, taskIds, workstationProfileSchema } from '../domain/provision/schemas.ts';

/**
 * functions/attach-storage, "Attach Storage" (joiner, mover): CreateVolume (ClientToken from the
 * request) in the instance's zone, then AttachVolume at /dev/sdf. VolumePendingError (retried by
 * the ASL) while the volume is creating or attaching; already attached to this instance is success.
 */
export const attachStorageInputSchema = z.object({
  ...taskIds,
  workstation: workstationProfileSchema,
  instanceId: instanceIdSchema,
  availabilityZone: z.string().min(1),
});
export type AttachStorageInput = z.infer<typeof attachStorageInputSchema>;

/** $.results.storage: { entitlementId, volumeId, device }. */
export const attachStorageOutputSchema = storageResultSchema;

/**
 * What `functions/attach-storage` does (its Lambda description, read by infra/spec/functions) and the ASL
 * Task states that run it (test/unit/architecture/task-contracts.test.ts checks both against the ASL).
 */
export const TASK = {
  description:
    'Attach Storage: read the data volume launched with the instance (or create and attach one).',
  states: ['Attach Storage'],
} as const;
