import { ec2Client } from '#lib/clients/ec2';
import { revokeWorkstation } from '#lib/leaver/revoke';
import { workstationTaskSchema } from '#lib/leaver/schemas';
import { createWorkstations } from '#lib/provision/workstation';
import { logger } from '#lib/logger';
import { taskHandler } from '#lib/task-handler';

/** Stop Workstation / Snapshot Volumes / Terminate Workstation / Delete Volumes, by the employee tag. */
const workstations = createWorkstations({ client: ec2Client });

export const handler = taskHandler(workstationTaskSchema, async (input) => {
  const result = await revokeWorkstation(workstations, input);
  logger.info('workstation step done', { action: input.action, ids: result.ids.length });
  return result;
});
