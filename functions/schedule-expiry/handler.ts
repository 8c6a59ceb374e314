import { z } from 'zod';
import { schedulerClient } from '#lib/clients/scheduler';
import { loadConfig } from '#lib/config';
import { createSchedules } from '#lib/joiner/schedules';
import { createScheduleDeleter, expiryScheduleName, scheduleExpiry } from '#lib/jit/expiry-schedules';
import { scheduleExpiryInputSchema } from '#lib/jit/schemas';
import { logger } from '#lib/logger';
import { taskHandler } from '#lib/task-handler';

/** Schedule Expiry (`create`: one-time at(expiresAt) that starts the revoke) and Delete Expiry Schedule (`delete`). */
const config = loadConfig(
  z.object({
    SCHEDULE_GROUP_NAME: z.string().min(1),
    SCHEDULER_ROLE_ARN: z.string().startsWith('arn:'),
    ACCESS_GRANT_STATE_MACHINE_ARN: z.string().startsWith('arn:'),
  }),
);
const schedules = createSchedules({
  client: schedulerClient,
  groupName: config.SCHEDULE_GROUP_NAME,
  targetArn: config.ACCESS_GRANT_STATE_MACHINE_ARN,
  roleArn: config.SCHEDULER_ROLE_ARN,
});
const deleter = createScheduleDeleter({ client: schedulerClient, groupName: config.SCHEDULE_GROUP_NAME });

export const handler = taskHandler(scheduleExpiryInputSchema, async (input) => {
  if (input.action === 'delete') {
    const scheduleName = expiryScheduleName(input.requestId);
    const deleted = await deleter.delete(scheduleName);
    logger.info('expiry schedule deleted', { scheduleName, deleted });
    return { scheduleName, deleted };
  }
  const scheduled = await scheduleExpiry(schedules, input);
  logger.info('expiry scheduled', { ...scheduled });
  return scheduled;
});
