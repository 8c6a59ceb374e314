import { z } from 'zod';
import { schedulerClient } from '#lib/adapters/aws/clients/scheduler';
import { loadConfig } from '#lib/runtime/config';
import { createSchedules } from '#lib/adapters/aws/scheduler';
import { createScheduleDeleter } from '#lib/adapters/aws/scheduler-expiry';
import { parseEndingSoonLead, scheduleExpiry } from '#lib/domain/time-bound/expiry';
import { endingSoonScheduleName, expiryScheduleName } from '#lib/domain/schedules/schedules';
import { scheduleExpiryInputSchema } from '#lib/tasks/schedule-expiry';
import { logger } from '#lib/runtime/logger';
import { taskHandler } from '#lib/runtime/task-handler';

/** Schedule Expiry / Delete Expiry Schedule, with the ending-soon reminder (contract and steps: lib/tasks/schedule-expiry.ts). */
const config = loadConfig(
  z.object({
    SCHEDULE_GROUP_NAME: z.string().min(1),
    SCHEDULER_ROLE_ARN: z.string().startsWith('arn:'),
    TIME_BOUND_STATE_MACHINE_ARN: z.string().startsWith('arn:'),
    ENDING_SOON_LEAD: z.string().optional(),
  }),
);
/** Context endingSoonLead (ISO-8601, PT1M-P7D); a bad value fails the cold start naming it. */
const leadMinutes = parseEndingSoonLead(config.ENDING_SOON_LEAD);
const schedules = createSchedules({
  client: schedulerClient,
  groupName: config.SCHEDULE_GROUP_NAME,
  targetArn: config.TIME_BOUND_STATE_MACHINE_ARN,
  roleArn: config.SCHEDULER_ROLE_ARN,
});
const deleter = createScheduleDeleter({ client: schedulerClient, groupName: config.SCHEDULE_GROUP_NAME });

export const handler = taskHandler(scheduleExpiryInputSchema, async (input) => {
  if (input.action === 'delete') {
    const scheduleName = expiryScheduleName(input.requestId);
    const deleted = await deleter.delete(scheduleName);
    const reminderDeleted = await deleter.delete(endingSoonScheduleName(input.requestId));
    logger.info('expiry schedule deleted', { scheduleName, deleted, reminderDeleted });
    return { scheduleName, deleted, reminderDeleted };
  }
  const scheduled = await scheduleExpiry(schedules, input, { now: new Date(), leadMinutes });
  // Moved by an extension: a reminder the new end leaves no room for must not fire at the old time.
  if (input.action === 'move' && 'none' in scheduled.reminder) await deleter.delete(endingSoonScheduleName(input.requestId));
  logger.info('expiry scheduled', { action: input.action, ...scheduled });
  return scheduled;
});
