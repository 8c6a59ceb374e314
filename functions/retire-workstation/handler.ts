import { ec2Client } from '#lib/adapters/aws/clients/ec2';
import { revokeWorkstation } from '#lib/domain/leaver/revoke';
import { retireWorkstationInputSchema } from '#lib/tasks/retire-workstation';
import { createWorkstations } from '#lib/adapters/aws/ec2';
import { logger } from '#lib/runtime/logger';
import { taskHandler } from '#lib/runtime/task-handler';

/** Stop Workstation / Snapshot Volumes / Terminate Workstation / Delete Volumes (contract and steps: lib/tasks/retire-workstation.ts). */
const workstations = createWorkstations({ client: ec2Client });

export const handler = taskHandler(retireWorkstationInputSchema, async (input) => {
  const result = await revokeWorkstation(workstations, input);
  logger.info('workstation step done', { action: input.action, ids: result.ids.length });
  return result;
});
