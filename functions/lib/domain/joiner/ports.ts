import type { NewGrantItem } from '../grants/item.ts';
import type { HrisSource } from '../events/employee-events.ts';
import type { AppliedFacts, EmployeeFacts } from '../ordering/person-facts.ts';

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
 * `written`: the item now reflects the hire, and `generation` names the person's current
 * employment (the time of the hire that began it: kept by later hires, cleared by a leave, so a
 * rehire after a leave starts a new one); `stale`: it was not newer than what the item holds
 * (see domain/ordering/person-facts.ts), with the item's facts so the caller can say why.
 */
export type UpsertResult = { written: true; generation: string } | { stale: AppliedFacts };

export interface EmployeeDirectory {
  upsertHire(facts: HireFacts): Promise<UpsertResult>;
  /** The HRIS the employee's record came from. NotFoundError when Gatehouse does not know them. */
  sourceOf(employeeId: string): Promise<HrisSource>;
}
