import { z } from 'zod';
import { createAuditStore } from '#lib/adapters/dynamodb/audit';
import { documentClient } from '#lib/adapters/dynamodb/client';
import { schedulerClient } from '#lib/adapters/aws/clients/scheduler';
import { loadConfig } from '#lib/runtime/config';
import { createSchedules } from '#lib/adapters/aws/scheduler';
import { cancelLeave, decideTiming } from '#lib/domain/leaver/schedule-leave';
import { createLeaveScheduleStore } from '#lib/adapters/aws/scheduler-leave';
import { scheduleLeaveInputSchema } from '#lib/tasks/schedule-leave';
import { logger } from '#lib/runtime/logger';
import { taskHandler } from '#lib/runtime/task-handler';

/** Decide When Access Ends / Cancel Scheduled Leave (contract and steps: lib/tasks/schedule-leave.ts). */
const config = loadConfig(
  z.object({
    EMPLOYEES_TABLE_NAME: z.string().min(1),
    AUDIT_TABLE_NAME: z.string().min(1),
    SCHEDULE_GROUP_NAME: z.string().regex(/^[0-9a-zA-Z._-]{1,64}$/),
    SCHEDULER_ROLE_ARN: z.string().startsWith('arn:'),
    LEAVER_STATE_MACHINE_ARN: z.string().startsWith('arn:'),
  }),
);
const clock = { now: () => new Date() };
const deps = {
  ports: createLeaveScheduleStore({ scheduler: schedulerClient, scheduleGroup: config.SCHEDULE_GROUP_NAME, doc: documentClient, employeesTable: config.EMPLOYEES_TABLE_NAME }),
  schedules: createSchedules({ client: schedulerClient, groupName: config.SCHEDULE_GROUP_NAME, targetArn: config.LEAVER_STATE_MACHINE_ARN, roleArn: config.SCHEDULER_ROLE_ARN }),
  audit: createAuditStore({ client: documentClient, tableName: config.AUDIT_TABLE_NAME, clock }),
  clock,
};

export const handler = taskHandler(scheduleLeaveInputSchema, async (input) => {
  logger.appendKeys({ employeeId: input.event.employeeId });
  const result = input.action === 'decide' ? await decideTiming(deps, input) : await cancelLeave(deps, input);
  logger.info('leave timing decided', { action: result.action });
  return result;
});
