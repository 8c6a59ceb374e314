import { DeleteScheduleCommand, GetScheduleCommand, type SchedulerClient } from '@aws-sdk/client-scheduler';
import { ListExecutionsCommand, StopExecutionCommand, type SFNClient } from '@aws-sdk/client-sfn';
import { QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { z } from 'zod';
import type { ApprovalRepository } from '../../domain/approvals/ports.ts';
import { asTransient, awsErrorName } from './call-aws.ts';
import { scheduleNameFor } from '../../domain/schedules/schedules.ts';
import { expiryScheduleName } from '../../domain/schedules/schedules.ts';
import { createScheduleDeleter } from './scheduler-expiry.ts';
import type { PendingWorkPorts } from '../../domain/leaver/pending-work.ts';

/** The SDK side of Cancel Pending Work: requests (byEmployee), approvals, Step Functions executions, Scheduler. */
export interface PendingWorkAdapterOptions {
  /** employees/leave.ts claimLeave (the employees table has its own adapter). */
  claimLeave: PendingWorkPorts['claimLeave'];
  doc: DynamoDBDocumentClient;
  requestsTable: string;
  approvalsTable: string;
  approvals: Pick<ApprovalRepository, 'cancel'>;
  sfn: Pick<SFNClient, 'send'>;
  /** State machines whose running executions may belong to the person (joiner, time-bound). */
  stateMachineArns: string[];
  scheduler: Pick<SchedulerClient, 'send'>;
  scheduleGroup: string;
}

async function queryAll(doc: DynamoDBDocumentClient, table: string, index: string, employeeId: string, doing: string) {
  const items: Record<string, unknown>[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const page = await doc
      .send(
        new QueryCommand({
          TableName: table,
          IndexName: index,
          KeyConditionExpression: 'employeeId = :e',
          ExpressionAttributeValues: { ':e': employeeId },
          ExclusiveStartKey: start,
        }),
      )
      .catch((error: unknown) => {
        throw asTransient(error, doing);
      });
    items.push(...(page.Items ?? []));
    start = page.LastEvaluatedKey;
  } while (start);
  return items;
}

export function createPendingWorkPorts(options: PendingWorkAdapterOptions): PendingWorkPorts {
  const { doc, sfn, scheduler } = options;
  return {
    claimLeave: options.claimLeave,

    async timeBoundRequests(employeeId) {
      const items = await queryAll(doc, options.requestsTable, 'byEmployee', employeeId, 'reading the requests');
      return items.flatMap((item) => (item.kind === 'time-bound' && typeof item.requestId === 'string' ? [item.requestId] : []));
    },

    async deleteExpirySchedule(requestId) {
      return createScheduleDeleter({ client: scheduler, groupName: options.scheduleGroup }).delete(expiryScheduleName(requestId));
    },

    async requestExecutions(employeeId) {
      const items = await queryAll(doc, options.requestsTable, 'byEmployee', employeeId, 'reading the requests');
      return items.flatMap((item) => (typeof item.executionName === 'string' ? [item.executionName] : []));
    },

    async runningExecutions() {
      const running = new Map<string, string>();
      for (const stateMachineArn of options.stateMachineArns) {
        let nextToken: string | undefined;
        do {
          const page = await sfn.send(new ListExecutionsCommand({ stateMachineArn, statusFilter: 'RUNNING', maxResults: 1000, nextToken }));
          for (const execution of page.executions ?? []) {
            if (execution.name && execution.executionArn) running.set(execution.name, execution.executionArn);
          }
          nextToken = page.nextToken;
        } while (nextToken);
      }
      return running;
    },

    async stopExecution(executionArn, cause) {
      try {
        await sfn.send(new StopExecutionCommand({ executionArn, error: 'EmployeeLeft', cause }));
      } catch (error) {
        // Finished in the meantime: nothing to stop.
        if (awsErrorName(error) !== 'ExecutionDoesNotExist' && awsErrorName(error) !== 'ExecutionNotRunning') throw error;
      }
    },

    async pendingApprovals(employeeId) {
      const items = await queryAll(doc, options.approvalsTable, 'byEmployee', employeeId, 'reading the approvals');
      const pending = z.object({ approvalId: z.string(), itemType: z.literal('approval'), status: z.literal('pending') });
      return items.flatMap((item) => {
        const parsed = pending.safeParse(item);
        return parsed.success ? [parsed.data.approvalId] : [];
      });
    },

    async cancelApproval(approvalId, at) {
      return (await options.approvals.cancel(approvalId, at)) !== undefined;
    },

    async scheduledDelivery(employeeId) {
      try {
        const out = await scheduler.send(new GetScheduleCommand({ Name: scheduleNameFor(employeeId), GroupName: options.scheduleGroup }));
        const parsed = z.object({ deliveryId: z.string() }).safeParse(JSON.parse(out.Target?.Input ?? '{}'));
        return parsed.success ? parsed.data.deliveryId : '';
      } catch (error) {
        if (awsErrorName(error) === 'ResourceNotFoundException') return undefined;
        throw asTransient(error, 'reading the end-date schedule');
      }
    },

    async deleteSchedule(employeeId) {
      try {
        await scheduler.send(new DeleteScheduleCommand({ Name: scheduleNameFor(employeeId), GroupName: options.scheduleGroup }));
      } catch (error) {
        if (awsErrorName(error) !== 'ResourceNotFoundException') throw asTransient(error, 'deleting the end-date schedule');
      }
    },
  };
}
