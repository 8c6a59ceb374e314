import { z } from 'zod';
import { createApprovalRepository } from '#lib/adapters/dynamodb/approvals';
import { documentClient } from '#lib/adapters/dynamodb/client';
import { schedulerClient } from '#lib/adapters/aws/clients/scheduler';
import { sfnClient } from '#lib/adapters/aws/clients/sfn';
import { loadConfig } from '#lib/runtime/config';
import { createPendingWorkPorts } from '#lib/adapters/aws/pending-work';
import { createLeaveStore } from '#lib/adapters/dynamodb/employees/leave';
import { cancelPendingWork } from '#lib/domain/leaver/pending-work';
import { tellApproversCancelled } from '#lib/domain/approvals/cancelled-notice';
import { createRequestRepository } from '#lib/adapters/dynamodb/requests';
import { notifier, slackEnvSchema } from '#lib/runtime/notifications';
import { slackConnection } from '#lib/runtime/slack';
import { showClosedInSlack } from '#lib/domain/slack/closed-in-slack';
import { cancelPendingWorkInputSchema } from '#lib/domain/leaver/schemas';
import { logger } from '#lib/runtime/logger';
import { taskHandler } from '#lib/runtime/task-handler';

/**
 * Cancel Pending Work: stop the person's running joiners, movers and time-bound grants, cancel
 * pending approvals (and tell their approvers why, once; their Slack messages now say
 * cancelled: domain/slack/closed-in-slack.ts), delete other end-date schedules.
 */
const config = loadConfig(
  z.object({
    REQUESTS_TABLE_NAME: z.string().min(1),
    EMPLOYEES_TABLE_NAME: z.string().min(1),
    APPROVALS_TABLE_NAME: z.string().min(1),
    JOINER_STATE_MACHINE_ARN: z.string().startsWith('arn:'),
    MOVER_STATE_MACHINE_ARN: z.string().startsWith('arn:'),
    TIME_BOUND_STATE_MACHINE_ARN: z.string().startsWith('arn:'),
    SCHEDULE_GROUP_NAME: z.string().min(1),
  }).extend(slackEnvSchema.shape),
);
const leaves = createLeaveStore({ client: documentClient, employeesTable: config.EMPLOYEES_TABLE_NAME });
const approvals = createApprovalRepository({ client: documentClient, tableName: config.APPROVALS_TABLE_NAME });
const records = createRequestRepository({ client: documentClient, tableName: config.REQUESTS_TABLE_NAME });
const notices = { approvals, records, notify: notifier() };
const slackOf = slackConnection(config);
const inSlack = { slack: async () => (await slackOf())?.api, approvals, records };
const ports = createPendingWorkPorts({
  claimLeave: (employeeId, executionName, occurredAt) => leaves.claimLeave(employeeId, executionName, occurredAt),
  doc: documentClient,
  requestsTable: config.REQUESTS_TABLE_NAME,
  approvalsTable: config.APPROVALS_TABLE_NAME,
  approvals,
  sfn: sfnClient,
  stateMachineArns: [config.JOINER_STATE_MACHINE_ARN, config.MOVER_STATE_MACHINE_ARN, config.TIME_BOUND_STATE_MACHINE_ARN],
  scheduler: schedulerClient,
  scheduleGroup: config.SCHEDULE_GROUP_NAME,
});

export const handler = taskHandler(cancelPendingWorkInputSchema, async (input) => {
  const cancelledIds: string[] = [];
  const tracked = { ...ports, cancelApproval: async (id: string, at: string) => ((await ports.cancelApproval(id, at)) ? cancelledIds.push(id) > 0 : false) };
  const cancelled = await cancelPendingWork(tracked, input, new Date());
  const told = await tellApproversCancelled(notices, cancelledIds, (name) => `${name} (${input.employeeId}) left the company (leave ${input.executionName})`);
  const slack = await showClosedInSlack(inSlack, cancelledIds, 'cancelled');
  logger.info('pending work cancelled', { stopped: cancelled.stoppedExecutions.length, approvals: cancelled.cancelledApprovals, told: told.length, slack });
  return cancelled;
});
