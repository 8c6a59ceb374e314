import { z } from 'zod';
import { ec2Client } from '#lib/adapters/aws/clients/ec2';
import { loadConfig } from '#lib/runtime/config';
import { placementConfigSchema } from '#lib/runtime/provision-config';
import { taskIds, workstationProfileSchema, type WorkstationResult } from '#lib/domain/provision/schemas';
import { createWorkstations } from '#lib/adapters/aws/ec2';
import { taskHandler } from '#lib/runtime/task-handler';

/**
 * Launch Workstation: RunInstances, data volume included, with a ClientToken derived from the
 * person, the profile and the employment generation (the joiner passes it; without it, from the
 * request), so a retry or a duplicate hire returns the same instance. Returns { entitlementId, instanceId,
 * availabilityZone } for $.results.workstation; "Wait For Workstation" polls it.
 */

const config = loadConfig(placementConfigSchema);
const workstations = createWorkstations({
  client: ec2Client,
  placement: {
    subnetId: config.WORKSTATION_SUBNET_ID,
    securityGroupId: config.WORKSTATION_SECURITY_GROUP_ID,
    ...(config.WORKSTATION_AVAILABILITY_ZONE ? { availabilityZone: config.WORKSTATION_AVAILABILITY_ZONE } : {}),
  },
});

const inputSchema = z.object({ ...taskIds, workstation: workstationProfileSchema, generation: z.string().min(1).max(64).optional() });

export const handler = taskHandler(
  inputSchema,
  async (input): Promise<WorkstationResult> =>
    workstations.launchWorkstation({
      requestId: input.requestId,
      employeeId: input.employeeId,
      profile: input.workstation,
      ...(input.generation === undefined ? {} : { generation: input.generation }),
    }),
);
