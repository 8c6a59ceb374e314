import type { NewGrantItem } from '../grants/item.ts';
import type { Employee, HrisSource } from '../events/employee-events.ts';
import type { EmployeeFacts, StaleReason } from '../ordering/person-facts.ts';

/**
 * The ports the joiner consumes: the employees table (dynamodb/employees/hire.ts) and
 * the grants table (dynamodb/grants.ts).
 */

export interface GrantStore {
  /** See `putGrantItem`. */
  putIfAbsent(item: NewGrantItem): Promise<boolean>;
}

/**
 * The `employees` table: who Gatehouse knows (current role, status, manager, end date).
 * Personal data kept to what the workflows need: ids, role, the two mailboxes, dates.
 */

export interface HireFacts extends EmployeeFacts {
  source: HrisSource;
}

/**
 * `written`: the hire set the person's status (domain/ordering/merge.ts: each fact only where the
 * hire is newer), `employee` is the merged record the joiner acts on (a change delivered before
 * the hire keeps its newer role), and `generation` names the person's current employment (the
 * time of the hire that began it: kept by later hires, cleared by a leave, so a rehire after a
 * leave starts a new one); `stale`: a leave or a hire at least as new set the status, why and when.
 */
export type UpsertResult = { written: true; generation: string; employee: Employee } | { stale: StaleReason; appliedAt?: string };

export interface EmployeeDirectory {
  upsertHire(facts: HireFacts): Promise<UpsertResult>;
  /** The HRIS the employee's record came from. NotFoundError when Gatehouse does not know them. */
  sourceOf(employeeId: string): Promise<HrisSource>;
}
