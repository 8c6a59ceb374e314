import { DeleteScheduleCommand, GetScheduleCommand, type SchedulerClient } from '@aws-sdk/client-scheduler';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { z } from 'zod';
import { awsErrorName, callAws } from './call-aws.ts';
import { employeeItemOf } from '../dynamodb/employees/item.ts';
import { employeeLeftSchema, hrisSourceSchema } from '../../domain/events/employee-events.ts';
import { scheduleNameFor } from '../../domain/schedules/schedules.ts';
import type { LeaveSchedulePorts } from '../../domain/leaver/schedule-leave.ts';

/**
 * Adapters of Decide When Access Ends / Cancel Scheduled Leave: the person's schedule in the
 * gatehouse group (read and delete; create and update go through joiner/schedules.ts) and what
 * the employees table knows about them (status, contract end date, HRIS).
 */

export interface LeaveScheduleStoreOptions {
  scheduler: Pick<SchedulerClient, 'send'>;
  scheduleGroup: string;
  doc: Pick<DynamoDBDocumentClient, 'send'>;
  employeesTable: string;
}

const employeeItemSchema = z.object({
  status: z.string().optional(),
  endDate: z.string().optional(),
  source: hrisSourceSchema.optional(),
  statusOccurredAt: z.string().optional(),
  leavingBy: z.string().optional(),
});

export function createLeaveScheduleStore(options: LeaveScheduleStoreOptions): LeaveSchedulePorts {
  const { scheduler, scheduleGroup: GroupName } = options;
  return {
    async scheduled(employeeId) {
      let input: string | undefined;
      try {
        input = (await callAws('reading the end-of-access schedule', () => scheduler.send(new GetScheduleCommand({ Name: scheduleNameFor(employeeId), GroupName })))).Target?.Input;
      } catch (error) {
        if (awsErrorName(error) === 'ResourceNotFoundException') return undefined;
        throw error;
      }
      // A schedule Gatehouse did not write (unparsable input) holds no HR decision: the next event replaces it.
      let json: unknown;
      try {
        json = JSON.parse(input ?? '{}');
      } catch {
        return undefined;
      }
      const parsed = employeeLeftSchema.safeParse(json);
      return parsed.success ? parsed.data : undefined;
    },

    async remove(employeeId) {
      try {
        await callAws('deleting the end-of-access schedule', () => scheduler.send(new DeleteScheduleCommand({ Name: scheduleNameFor(employeeId), GroupName })));
      } catch (error) {
        if (awsErrorName(error) !== 'ResourceNotFoundException') throw error;
      }
    },

    async employee(employeeId) {
      const item = await employeeItemOf({ client: options.doc, tableName: options.employeesTable }, employeeId);
      if (!item) return undefined;
      const parsed = employeeItemSchema.safeParse(item);
      return parsed.success ? parsed.data : {};
    },
  };
}
