import { QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { callAws } from '../../aws/call-aws.ts';
import { employeeItemOf } from './item.ts';
import { employeeRecordSchema, type EmployeeLookup, type EmployeeRecord } from '../../../domain/time-bound/employee.ts';

/**
 * Who a caller and a subject are, from the `employees` table (the joiner writes it; the
 * `byEmail` index is keyed on `emailLower`, the work e-mail in lower case) and the display
 * name approvers saw on the person's joiner request (`requests`, byEmployee).
 */

export function createEmployeeLookup(options: { client: DynamoDBDocumentClient; employeesTable: string; requestsTable: string }): EmployeeLookup {
  const { client } = options;
  const parse = (item: Record<string, unknown> | undefined): EmployeeRecord | undefined => {
    const parsed = employeeRecordSchema.safeParse(item);
    return parsed.success ? parsed.data : undefined;
  };
  async function get(employeeId: string): Promise<EmployeeRecord | undefined> {
    return parse(await employeeItemOf({ client, tableName: options.employeesTable }, employeeId));
  }
  return {
    get,
    async byEmail(email) {
      const out = await callAws('finding the employee by e-mail', () => client.send(
          new QueryCommand({
            TableName: options.employeesTable,
            IndexName: 'byEmail',
            KeyConditionExpression: 'emailLower = :email',
            ExpressionAttributeValues: { ':email': email.trim().toLowerCase() },
          }),
        ));
      // The index is eventually consistent: re-read the match. Several matches: the active one wins.
      const ids = (out.Items ?? []).flatMap((item) => (typeof item.employeeId === 'string' ? [item.employeeId] : []));
      const found = await Promise.all(ids.map((employeeId) => get(employeeId)));
      const records = found.filter((record): record is EmployeeRecord => record !== undefined);
      return records.find((record) => record.status === 'active') ?? records[0];
    },

    async displayNameOf(employeeId) {
      const out = await callAws('reading the employee requests', () => client.send(
          new QueryCommand({
            TableName: options.requestsTable,
            IndexName: 'byEmployee',
            KeyConditionExpression: 'employeeId = :e',
            ExpressionAttributeValues: { ':e': employeeId },
            ScanIndexForward: false,
            Limit: 20,
          }),
        ));
      const named = (out.Items ?? []).find((item) => typeof item.employeeDisplayName === 'string');
      return named ? String(named.employeeDisplayName) : undefined;
    },
  };
}
