import { z } from 'zod';
import { createApprovalRepository } from '#lib/approvals/approval-repository';
import { documentClient } from '#lib/clients/dynamodb';
import { schedulerClient } from '#lib/clients/scheduler';
import { sfnClient } from '#lib/clients/sfn';
import { loadConfig } from '#lib/config';
import { cancelPendingWork, createPendingWorkPorts } from '#lib/leaver/pending-work';
import { cancelPendingWorkInputSchema } from '#lib/leaver/schemas';
import { logger } from '#lib/logger';
import { taskHandler } from '#lib/task-handler';

/** Cancel Pending Work: stop the person's running joiners, movers and time-bound grants, cancel pending approvals, delete other end-date schedules. */
const config = loadConfig(
  z.object({
    REQUESTS_TABLE_NAME: z.string().min(1),
    APPROVALS_TABLE_NAME: z.string().min(1),
    JOINER_STATE_MACHINE_ARN: z.string().startsWith('arn:'),
    MOVER_STATE_MACHINE_ARN: z.string().startsWith('arn:'),
    ACCESS_GRANT_STATE_MACHINE_ARN: z.string().startsWith('arn:'),
    SCHEDULE_GROUP_NAME: z.string().min(1),
  }),
);
const ports = createPendingWorkPorts({
  doc: documentClient,
  requestsTable: config.REQUESTS_TABLE_NAME,
  approvalsTable: config.APPROVALS_TABLE_NAME,
  approvals: createApprovalRepository({ client: documentClient, tableName: config.APPROVALS_TABLE_NAME }),
  sfn: sfnClient,
  stateMachineArns: [config.JOINER_STATE_MACHINE_ARN, config.MOVER_STATE_MACHINE_ARN, config.ACCESS_GRANT_STATE_MACHINE_ARN],
  scheduler: schedulerClient,
  scheduleGroup: config.SCHEDULE_GROUP_NAME,
});

export const handler = taskHandler(cancelPendingWorkInputSchema, async (input) => {
  const cancelled = await cancelPendingWork(ports, input, new Date());
  logger.info('pending work cancelled', { stopped: cancelled.stoppedExecutions.length, approvals: cancelled.cancelledApprovals });
  return cancelled;
});
