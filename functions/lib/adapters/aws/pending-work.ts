import { DeleteScheduleCommand, GetScheduleCommand, type SchedulerClient } from '@aws-sdk/client-scheduler';
import { ListExecutionsCommand, StopExecutionCommand, type SFNClient } from '@aws-sdk/client-sfn';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { z } from 'zod';
import type { ApprovalRepository } from '../../domain/approvals/ports.ts';
import { awsErrorName, callAws } from './call-aws.ts';
import { allPages } from './pages.ts';
import { queryAll } from '../dynamodb/pages.ts';
import { scheduleNameFor } from '../../domain/schedules/schedules.ts';
import { endingSoonScheduleName, expiryScheduleName } from '../../domain/schedules/schedules.ts';
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

const byEmployee = (doc: DynamoDBDocumentClient, table: string, index: string, employeeId: string, doing: string) =>
  queryAll(doc, { TableName: table, IndexName: index, KeyConditionExpression: 'employeeId = :e', ExpressionAttributeValues: { ':e': employeeId } }, doing);

export function createPendingWorkPorts(options: PendingWorkAdapterOptions): PendingWorkPorts {
  const { doc, sfn, scheduler } = options;
  return {
    claimLeave: options.claimLeave,

    async timeBoundRequests(employeeId) {
      const items = await byEmployee(doc, options.requestsTable, 'byEmployee', employeeId, 'reading the requests');
      return items.flatMap((item) => (item.kind === 'time-bound' && typeof item.requestId === 'string' ? [item.requestId] : []));
    },

    async deleteTimeBoundSchedules(requestId) {
      const deleter = createScheduleDeleter({ client: scheduler, groupName: options.scheduleGroup });
      const deleted: string[] = [];
      for (const name of [expiryScheduleName(requestId), endingSoonScheduleName(requestId)]) if (await deleter.delete(name)) deleted.push(name);
      return deleted;
    },

    async requestExecutions(employeeId) {
      const items = await byEmployee(doc, options.requestsTable, 'byEmployee', employeeId, 'reading the requests');
      return items.flatMap((item) => (typeof item.executionName === 'string' ? [item.executionName] : []));
    },

    async runningExecutions() {
      const running = new Map<string, string>();
      for (const stateMachineArn of options.stateMachineArns) {
        const executions = await allPages(async (nextToken) => {
          const page = await callAws('listing running executions', () =>
            sfn.send(new ListExecutionsCommand({ stateMachineArn, statusFilter: 'RUNNING', maxResults: 1000, nextToken })),
          );
          return { items: page.executions ?? [], next: page.nextToken };
        });
        for (const execution of executions) {
          if (execution.name && execution.executionArn) running.set(execution.name, execution.executionArn);
        }
      }
      return running;
    },

    async stopExecution(executionArn, cause) {
      try {
        await callAws('stopping an execution', () => sfn.send(new StopExecutionCommand({ executionArn, error: 'EmployeeLeft', cause })));
      } catch (error) {
        // Finished in the meantime: nothing to stop.
        if (awsErrorName(error) !== 'ExecutionDoesNotExist' && awsErrorName(error) !== 'ExecutionNotRunning') throw error;
      }
    },

    async pendingApprovals(employeeId) {
      const items = await byEmployee(doc, options.approvalsTable, 'byEmployee', employeeId, 'reading the approvals');
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
        const out = await callAws('reading the end-date schedule', () => scheduler.send(new GetScheduleCommand({ Name: scheduleNameFor(employeeId), GroupName: options.scheduleGroup })));
        const parsed = z.object({ deliveryId: z.string() }).safeParse(JSON.parse(out.Target?.Input ?? '{}'));
        return parsed.success ? parsed.data.deliveryId : '';
      } catch (error) {
        if (awsErrorName(error) === 'ResourceNotFoundException') return undefined;
        throw error;
      }
    },

    async deleteSchedule(employeeId) {
      try {
        await callAws('deleting the end-date schedule', () => scheduler.send(new DeleteScheduleCommand({ Name: scheduleNameFor(employeeId), GroupName: options.scheduleGroup })));
      } catch (error) {
        if (awsErrorName(error) !== 'ResourceNotFoundException') throw error;
      }
    },
  };
}
