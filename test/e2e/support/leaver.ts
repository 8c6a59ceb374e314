import type { SchedulerClient } from '@aws-sdk/client-scheduler';
import { GetScheduleCommand } from '@aws-sdk/client-scheduler';
import { DescribeExecutionCommand, ListExecutionsCommand, type DescribeExecutionOutput, type SFNClient } from '@aws-sdk/client-sfn';
import { SCHEDULE_GROUP_NAME } from '../../../infra/spec/wiring.ts';
import { stateMachineArn } from '../../../local/core/arn.ts';
import { scheduleNameFor } from '../../../functions/lib/domain/schedules/schedules.ts';
import { employeeLeftSchema, type EmployeeLeft } from '../../../functions/lib/domain/events/employee-events.ts';

/** Helpers of the leaver e2e tests: generic payloads with a chosen timestamp, the schedule, fired executions. */

/** A generic employee.left payload; `timestamp` is when HR decided (the event's occurredAt). */
export const leaveBody = (id: string, effectiveAt: Date, timestamp = new Date()): object => ({
  type: 'employee.left',
  timestamp: timestamp.toISOString(),
  data: { employeeId: id, effectiveAt: effectiveAt.toISOString(), immediate: false },
});

export const cancelBody = (id: string, timestamp = new Date()): object => ({
  type: 'employee.leave.cancelled',
  timestamp: timestamp.toISOString(),
  data: { employeeId: id },
});

/** Whole seconds, `ms` from now (Scheduler's at() has second precision). */
export const secondsAhead = (ms: number): Date => new Date(Math.ceil((Date.now() + ms) / 1000) * 1000);

/** The event in the person's end-of-access schedule, or undefined when there is none. */
export async function scheduledEvent(scheduler: SchedulerClient, employeeId: string): Promise<EmployeeLeft | undefined> {
  try {
    const out = await scheduler.send(new GetScheduleCommand({ Name: scheduleNameFor(employeeId), GroupName: SCHEDULE_GROUP_NAME }));
    return employeeLeftSchema.parse(JSON.parse(out.Target?.Input ?? '{}'));
  } catch (error) {
    if (error instanceof Error && error.name === 'ResourceNotFoundException') return undefined;
    throw error;
  }
}

/**
 * Leaver executions a schedule started with the event of `deliveryId` (Scheduler names them,
 * so they are found by their input; the webhook's own execution, named `deliveryId`, is not one).
 */
export async function firedLeavers(sfn: SFNClient, deliveryId: string): Promise<DescribeExecutionOutput[]> {
  const fired: DescribeExecutionOutput[] = [];
  let nextToken: string | undefined;
  do {
    const page = await sfn.send(new ListExecutionsCommand({ stateMachineArn: stateMachineArn('leaver'), maxResults: 1000, nextToken }));
    for (const execution of page.executions ?? []) {
      if (execution.name === deliveryId) continue;
      const described = await sfn.send(new DescribeExecutionCommand({ executionArn: execution.executionArn }));
      if (described.input?.includes(`"deliveryId":"${deliveryId}"`)) fired.push(described);
    }
    nextToken = page.nextToken;
  } while (nextToken);
  return fired;
}
