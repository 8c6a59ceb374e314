import { ec2Client } from '#lib/adapters/aws/clients/ec2';
import type { WorkstationState } from '#lib/domain/provision/schemas';
import { checkWorkstationInputSchema } from '#lib/tasks/check-workstation';
import { createWorkstations } from '#lib/adapters/aws/ec2';
import { taskHandler } from '#lib/runtime/task-handler';

/** Wait For Workstation (contract and step: lib/tasks/check-workstation.ts). */

const workstations = createWorkstations({ client: ec2Client });

export const handler = taskHandler(
  checkWorkstationInputSchema,
  async (input): Promise<WorkstationState> => workstations.checkWorkstation(input.instanceId),
);
