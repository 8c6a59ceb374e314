import { UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { z } from 'zod';
import { asTransient, isConditionFailure } from '../aws/call-aws.ts';
import { employeeItemOf, employeeUpdate, type EmployeeFacts } from './employees.ts';
import { NotFoundError } from '../../domain/shared/errors.ts';
import { hrisSourceSchema, type HrisSource } from '../../domain/events/employee-events.ts';

/**
 * The `employees` table: who Gatehouse knows (current role, status, manager, end date).
 * Personal data kept to what the workflows need: ids, role, the two mailboxes, dates.
 */

export interface HireFacts extends EmployeeFacts {
  source: HrisSource;
}

/** `written`: the item now reflects the hire; `stale`: a newer HRIS event already updated it. */
export type UpsertResult = 'written' | 'stale';

export interface EmployeeDirectory {
  upsertHire(facts: HireFacts): Promise<UpsertResult>;
  /** The HRIS the employee's record came from. NotFoundError when Gatehouse does not know them. */
  sourceOf(employeeId: string): Promise<HrisSource>;
}

export function createEmployeeDirectory(options: { client: DynamoDBDocumentClient; tableName: string }): EmployeeDirectory {
  const { client, tableName: TableName } = options;
  return {
    async upsertHire({ employee, source, occurredAt, requestId, at }) {
      const update = employeeUpdate({ employee, occurredAt, requestId, at }, { status: 'active', startDate: employee.startDate, source });
      try {
        await client.send(
          new UpdateCommand({
            TableName,
            Key: { employeeId: employee.employeeId },
            ...update,
            ConditionExpression: 'attribute_not_exists(#hrisOccurredAt) OR #hrisOccurredAt <= :hrisOccurredAt',
          }),
        );
        return 'written';
      } catch (error) {
        if (isConditionFailure(error)) return 'stale';
        throw asTransient(error, 'writing the employee');
      }
    },

    async sourceOf(employeeId) {
      const parsed = z.object({ source: hrisSourceSchema }).safeParse(await employeeItemOf(options, employeeId));
      if (!parsed.success) throw new NotFoundError(`employeeId: no employee ${employeeId} with a known HRIS source`);
      return parsed.data.source;
    },
  };
}
