import { z } from 'zod';
import { documentClient } from '#lib/adapters/dynamodb/client';
import { schedulerClient } from '#lib/adapters/aws/clients/scheduler';
import { loadConfig } from '#lib/runtime/config';
import { scheduleDeprovisioning, type ScheduledDeprovisioning } from '#lib/domain/joiner/deprovisioning';
import { scheduleDeprovisioningInputSchema } from '#lib/tasks/schedule-deprovisioning';
import { createEmployeeDirectory } from '#lib/adapters/dynamodb/employees/hire';
import { createSchedules } from '#lib/adapters/aws/scheduler';
import { logger } from '#lib/runtime/logger';
import { taskHandler } from '#lib/runtime/task-handler';

/** Schedule Deprovisioning (contract and step: lib/tasks/schedule-deprovisioning.ts). */
const config = loadConfig(
  z.object({
    EMPLOYEES_TABLE_NAME: z.string().min(1),
    SCHEDULE_GROUP_NAME: z.string().regex(/^[0-9a-zA-Z._-]{1,64}$/),
    SCHEDULER_ROLE_ARN: z.string().startsWith('arn:'),
    LEAVER_STATE_MACHINE_ARN: z.string().startsWith('arn:'),
  }),
);

const deps = {
  employees: createEmployeeDirectory({ client: documentClient, tableName: config.EMPLOYEES_TABLE_NAME }),
  schedules: createSchedules({
    client: schedulerClient,
    groupName: config.SCHEDULE_GROUP_NAME,
    targetArn: config.LEAVER_STATE_MACHINE_ARN,
    roleArn: config.SCHEDULER_ROLE_ARN,
  }),
};

export const handler = taskHandler(scheduleDeprovisioningInputSchema, async (input): Promise<ScheduledDeprovisioning> => {
  const result = await scheduleDeprovisioning(deps, input);
  logger.info('deprovisioning scheduled', { ...result });
  return result;
});
