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
