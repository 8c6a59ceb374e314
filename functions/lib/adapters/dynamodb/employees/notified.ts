import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { PeopleDirectory } from '../../../domain/notifications/people.ts';
import { createEmployeeLookup } from './lookup.ts';

/** The people notifications name (domain/notifications/people.ts): employees item + the display name of their newest request. */
export function createPeopleDirectory(options: { client: DynamoDBDocumentClient; employeesTable: string; requestsTable: string }): PeopleDirectory {
  const lookup = createEmployeeLookup(options);
  return {
    async person(employeeId) {
      const [record, displayName] = await Promise.all([lookup.get(employeeId), lookup.displayNameOf(employeeId)]);
      if (!record) return displayName ? { employeeId, displayName } : undefined;
      const email = record.email.includes('@') ? record.email : undefined;
      return {
        employeeId,
        displayName: displayName ?? employeeId,
        ...(email ? { email } : {}),
        ...(record.managerEmail ? { managerEmail: record.managerEmail } : {}),
      };
    },
  };
}
