import { ec2Client } from '#lib/adapters/aws/clients/ec2';
import { loadConfig } from '#lib/runtime/config';
import { placementConfigSchema } from '#lib/runtime/provision-config';
import type { WorkstationResult } from '#lib/domain/provision/schemas';
import { launchWorkstationInputSchema } from '#lib/tasks/launch-workstation';
import { createWorkstations } from '#lib/adapters/aws/ec2';
import { taskHandler } from '#lib/runtime/task-handler';

/** Launch Workstation (contract and step: lib/tasks/launch-workstation.ts). */

const config = loadConfig(placementConfigSchema);
const workstations = createWorkstations({
  client: ec2Client,
  placement: {
    subnetId: config.WORKSTATION_SUBNET_ID,
    securityGroupId: config.WORKSTATION_SECURITY_GROUP_ID,
    ...(config.WORKSTATION_AVAILABILITY_ZONE ? { availabilityZone: config.WORKSTATION_AVAILABILITY_ZONE } : {}),
  },
});

export const handler = taskHandler(
  launchWorkstationInputSchema,
  async (input): Promise<WorkstationResult> =>
    workstations.launchWorkstation({
      requestId: input.requestId,
      employeeId: input.employeeId,
      profile: input.workstation,
      ...(input.generation === undefined ? {} : { generation: input.generation }),
    }),
);
