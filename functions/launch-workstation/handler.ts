import { z } from 'zod';
import { ec2Client } from '#lib/adapters/aws/clients/ec2';
import { loadConfig } from '#lib/runtime/config';
import { placementConfigSchema } from '#lib/runtime/provision-config';
import { taskIds, workstationProfileSchema, type WorkstationResult } from '#lib/domain/provision/schemas';
import { createWorkstations } from '#lib/adapters/aws/ec2';
import { taskHandler } from '#lib/runtime/task-handler';

/**
 * Launch Workstation: RunInstances with a ClientToken derived from the request and the
 * entitlement, so a retry returns the same instance. Returns { entitlementId, instanceId,
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

const inputSchema = z.object({ ...taskIds, workstation: workstationProfileSchema });

export const handler = taskHandler(
  inputSchema,
  async (input): Promise<WorkstationResult> =>
    workstations.launchWorkstation({ requestId: input.requestId, employeeId: input.employeeId, profile: input.workstation }),
);
