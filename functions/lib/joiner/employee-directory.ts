import { GetCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { z } from 'zod';
import { NotFoundError } from '../errors.ts';
import { hrisSourceSchema, type Employee, type HrisSource } from '../events/employee-events.ts';
import { asTransient, isConditionFailure } from '../aws-errors.ts';

/**
 * The `employees` table: who Gatehouse knows (current role, status, manager, end date).
 * Personal data kept to what the workflows need: ids, role, the two mailboxes, dates.
 */

export interface HireFacts {
  employee: Employee;
  source: HrisSource;
  /** The HRIS event's time; an older event never overwrites a newer one. */
  occurredAt: string;
  requestId: string;
  at: string;
}

/** `written`: the item now reflects the hire; `stale`: a newer HRIS event already updated it. */
export type UpsertResult = 'written' | 'stale';

export interface EmployeeDirectory {
  upsertHire(facts: HireFacts): Promise<UpsertResult>;
  /** The HRIS the employee's record came from. NotFoundError when Gatehouse does not know them. */
  sourceOf(employeeId: string): Promise<HrisSource>;
}

const OPTIONAL = ['managerEmail', 'managerId', 'department', 'endDate'] as const;

export function createEmployeeDirectory(options: { client: DynamoDBDocumentClient; tableName: string }): EmployeeDirectory {
  const { client, tableName: TableName } = options;
  return {
    async upsertHire({ employee, source, occurredAt, requestId, at }) {
      const set: Record<string, string> = {
        status: 'active',
        role: employee.role,
        email: employee.email,
        // The byEmail index key: callers of authenticated routes are found by their e-mail, case-insensitively.
        emailLower: employee.email.toLowerCase(),
        employmentType: employee.employmentType,
        startDate: employee.startDate,
        source,
        hrisOccurredAt: new Date(occurredAt).toISOString(),
        lastRequestId: requestId,
        updatedAt: at,
      };
      for (const key of OPTIONAL) if (employee[key] !== undefined) set[key] = employee[key];
      const removed = OPTIONAL.filter((key) => employee[key] === undefined);
      const names = Object.fromEntries([...Object.keys(set), ...removed].map((key) => [`#${key}`, key]));
      const values = Object.fromEntries(Object.entries(set).map(([key, value]) => [`:${key}`, value]));
      const update =
        `SET ${Object.keys(set).map((key) => `#${key} = :${key}`).join(', ')}` +
        (removed.length > 0 ? ` REMOVE ${removed.map((key) => `#${key}`).join(', ')}` : '');
      try {
        await client.send(
          new UpdateCommand({
            TableName,
            Key: { employeeId: employee.employeeId },
            UpdateExpression: update,
            ConditionExpression: 'attribute_not_exists(#hrisOccurredAt) OR #hrisOccurredAt <= :hrisOccurredAt',
            ExpressionAttributeNames: names,
            ExpressionAttributeValues: values,
          }),
        );
        return 'written';
      } catch (error) {
        if (isConditionFailure(error)) return 'stale';
        throw asTransient(error, 'writing the employee');
      }
    },

    async sourceOf(employeeId) {
      let item: Record<string, unknown> | undefined;
      try {
        ({ Item: item } = await client.send(new GetCommand({ TableName, Key: { employeeId }, ConsistentRead: true })));
      } catch (error) {
        throw asTransient(error, 'reading the employee');
      }
      const parsed = z.object({ source: hrisSourceSchema }).safeParse(item);
      if (!parsed.success) throw new NotFoundError(`employeeId: no employee ${employeeId} with a known HRIS source`);
      return parsed.data.source;
    },
  };
}
