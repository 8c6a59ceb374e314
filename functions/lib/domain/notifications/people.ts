import type { NotifiedPerson } from './kinds.ts';

/**
 * Who a notification is about, by employee id: the name approvers saw on the person's newest
 * request, their work e-mail and their manager's (employees table). Implemented in:
 * dynamodb/employees/notified.ts.
 */
export interface PeopleDirectory {
  person(employeeId: string): Promise<NotifiedPerson | undefined>;
}

/** What to call someone Gatehouse cannot look up: the name the request carries, else the id. */
export const personOrId = (found: NotifiedPerson | undefined, employeeId: string, displayName?: string): NotifiedPerson =>
  found ?? { employeeId, displayName: displayName ?? employeeId };
