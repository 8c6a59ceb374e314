import { DeleteScheduleCommand, GetScheduleCommand, type SchedulerClient } from '@aws-sdk/client-scheduler';
import { ListExecutionsCommand, StopExecutionCommand, type SFNClient } from '@aws-sdk/client-sfn';
import { QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { z } from 'zod';
import type { ApprovalRepository } from '../approvals/approval-repository.ts';
import { asTransient, awsErrorName } from '../aws-errors.ts';
import { scheduleNameFor } from '../joiner/deprovisioning.ts';
import { createScheduleDeleter, expiryScheduleName } from '../jit/expiry-schedules.ts';
import type { CancelPendingWorkInput } from './schemas.ts';

/**
 * Cancel Pending Work: nothing started for the person may provision after they left. Running
 * joiner executions found through the requests table are stopped, pending approvals are
 * cancelled (their links then say so), and the person's end-date schedule is deleted unless it
 * is the one that started this leave. Each part is a no-op the second time.
 */

export interface PendingWorkPorts {
  /** Execution names of the person's workflow requests (requests table, byEmployee). */
  requestExecutions(employeeId: string): Promise<string[]>;
  /** Running executions by name -> ARN, per state machine. */
  runningExecutions(): Promise<Map<string, string>>;
  stopExecution(executionArn: string, cause: string): Promise<void>;
  pendingApprovals(employeeId: string): Promise<string[]>;
  cancelApproval(approvalId: string, at: string): Promise<boolean>;
  /** The delivery id in the person's pending end-date schedule, or undefined when there is none. */
  scheduledDelivery(employeeId: string): Promise<string | undefined>;
  deleteSchedule(employeeId: string): Promise<void>;
  /** Request ids of the person's time-bound (JIT) requests. */
  timeBoundRequests(employeeId: string): Promise<string[]>;
  /** Deletes a JIT request's expiry schedule; true when one existed. */
  deleteExpirySchedule(requestId: string): Promise<boolean>;
}

export interface CancelledWork {
  stoppedExecutions: string[];
  cancelledApprovals: number;
  deletedSchedules: string[];
}

export async function cancelPendingWork(ports: PendingWorkPorts, input: CancelPendingWorkInput, now: Date): Promise<CancelledWork> {
  const result: CancelledWork = { stoppedExecutions: [], cancelledApprovals: 0, deletedSchedules: [] };
  const names = new Set(await ports.requestExecutions(input.employeeId));
  if (names.size > 0) {
    for (const [name, arn] of await ports.runningExecutions()) {
      if (!names.has(name)) continue;
      await ports.stopExecution(arn, `employee left (${input.executionName})`);
      result.stoppedExecutions.push(name);
    }
  }
  for (const approvalId of await ports.pendingApprovals(input.employeeId)) {
    if (await ports.cancelApproval(approvalId, now.toISOString())) result.cancelledApprovals += 1;
  }
  const scheduled = await ports.scheduledDelivery(input.employeeId);
  if (scheduled !== undefined && scheduled !== input.deliveryId) {
    await ports.deleteSchedule(input.employeeId);
    result.deletedSchedules.push(scheduleNameFor(input.employeeId));
  }
  // The leaver closes every grant; their expiry schedules would only start no-op revokes.
  for (const requestId of await ports.timeBoundRequests(input.employeeId)) {
    if (await ports.deleteExpirySchedule(requestId)) result.deletedSchedules.push(expiryScheduleName(requestId));
  }
  return result;
}

export interface PendingWorkAdapterOptions {
  doc: DynamoDBDocumentClient;
  requestsTable: string;
  approvalsTable: string;
  approvals: Pick<ApprovalRepository, 'cancel'>;
  sfn: Pick<SFNClient, 'send'>;
  /** State machines whose running executions may belong to the person (joiner, access-grant). */
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
    async timeBoundRequests(employeeId) {
      const items = await queryAll(doc, options.requestsTable, 'byEmployee', employeeId, 'reading the requests');
      return items.flatMap((item) => (item.kind === 'jit' && typeof item.requestId === 'string' ? [item.requestId] : []));
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
