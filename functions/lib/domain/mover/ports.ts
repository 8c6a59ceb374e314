import type { GrantItem } from '../grants/item.ts';
import type { EmployeeFacts } from '../ordering/person-facts.ts';

/** The mover's port on the employees and grants tables. Implemented in: dynamodb/employees/move.ts. */

/**
 * The mover's DynamoDB adapter: the employees and grants tables. Reads are consistent; every
 * write is conditional (an older HRIS event never overwrites a newer one, a grant is closed
 * once), so a retry or a second run changes nothing.
 */

export interface KnownEmployee {
  status?: string;
  role?: string;
  /** When the event that last wrote the profile facts occurred (domain/ordering/person-facts.ts). */
  hrisOccurredAt?: string;
  /** The work e-mail the item holds (the Identity Store user name the joiner gave the user). */
  email?: string;
  /** The Identity Store user the joiner created for this person (employees/ownership.ts). */
  identityUserId?: string;
  /** The person's current employment (the hire that began it, employees item `employedSince`). */
  employedSince?: string;
}

/** What the role change says about the person (the employees table's HRIS fields). */
export type EmployeeChange = EmployeeFacts;

export interface MoveStore {
  employee(employeeId: string): Promise<KnownEmployee | undefined>;
  /** Active grant items of the person, any source. */
  activeGrants(employeeId: string): Promise<GrantItem[]>;
  /** Merges the change's facts where it is newer (domain/ordering/merge.ts); `stale` when it was newer for none. */
  recordChange(change: EmployeeChange): Promise<'written' | 'stale'>;
  /** `closed` by this call, `already` closed by this execution before, `other` closed by someone else or gone. */
  closeGrant(employeeId: string, grantKey: string, executionName: string, at: string): Promise<'closed' | 'already' | 'other'>;
}
