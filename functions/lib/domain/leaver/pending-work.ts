import { scheduleNameFor } from '../schedules/schedules.ts';
import type { CancelPendingWorkInput } from '../../tasks/cancel-pending-work.ts';

/**
 * Cancel Pending Work: nothing started for the person may provision after they left. The leave
 * claims the person's status time first (an older hire arriving meanwhile is stale). Running
 * joiner executions found through the requests table are stopped, pending approvals are
 * cancelled (their links then say so), the person's end-date schedule is deleted unless it
 * is the one that started this leave, and so are their time-bound requests' expiry and reminder schedules. Each part is a no-op the second time.
 */

export interface PendingWorkPorts {
  /** The leave's time claims the person's status first (employees/leave.ts claimLeave). */
  claimLeave(employeeId: string, executionName: string, occurredAt: string): Promise<'claimed' | 'tombstone' | 'unchanged'>;
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
  /** Request ids of the person's time-bound requests. */
  timeBoundRequests(employeeId: string): Promise<string[]>;
  /**
   * Deletes a time-bound request's one-time schedules, its expiry and its ending-soon reminder
   * (a person who left is reminded of nothing); the names of those that existed.
   */
  deleteTimeBoundSchedules(requestId: string): Promise<string[]>;
}

export interface CancelledWork {
  stoppedExecutions: string[];
  cancelledApprovals: number;
  deletedSchedules: string[];
}

export async function cancelPendingWork(ports: PendingWorkPorts, input: CancelPendingWorkInput, now: Date): Promise<CancelledWork> {
  const result: CancelledWork = { stoppedExecutions: [], cancelledApprovals: 0, deletedSchedules: [] };
  // First: from here on, a hire older than this leave is stale at its gate, so none can start
  // provisioning after the running ones below were looked up.
  if (input.occurredAt !== undefined) await ports.claimLeave(input.employeeId, input.executionName, input.occurredAt);
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
  // The leaver closes every grant; their expiry schedules would only start no-op revokes, and
  // their reminders would tell a person who left that access they no longer hold ends soon.
  for (const requestId of await ports.timeBoundRequests(input.employeeId)) {
    result.deletedSchedules.push(...(await ports.deleteTimeBoundSchedules(requestId)));
  }
  return result;
}
