import type { Employee, EmployeeEvent, HrisSource } from '../events/employee-events.ts';
import type { NewGrantItem } from '../grants/item.ts';
import type { UndoOutcome } from '../provision/ports.ts';

/**
 * The ports applying an adoption plan consumes. Implemented in: dynamodb/employees/adopt.ts
 * (the employees item), dynamodb/grants.ts (createGrantStore), aws/eventbridge.ts (the joiner's
 * hire event), aws/identitystore.ts (removeMembership), dynamodb/audit.ts.
 */

export interface AdoptedEmployee {
  employee: Employee;
  source: HrisSource;
  userId: string;
  /** When the adoption happened: the item's HRIS and status times (later HRIS events are newer). */
  at: string;
  requestId: string;
}

export interface AdoptionEmployees {
  /**
   * Writes the person's employees item, recording `userId` as their Identity Store user, only when
   * Gatehouse does not know them yet: `exists` when an item is there (an earlier apply, or a hire
   * that came first), which is left alone.
   */
  recordAdopted(adopted: AdoptedEmployee): Promise<'written' | 'exists'>;
}

export interface AdoptionGrants {
  /** Conditional put (dynamodb/grants.ts putGrantItem): false when the grant is there already. */
  putIfAbsent(item: NewGrantItem): Promise<boolean>;
}

export interface HirePublisher {
  /** The hire events on the bus, as an HRIS delivery would put them: the joiner starts, once per delivery id. */
  publish(events: EmployeeEvent[]): Promise<void>;
}

export interface MembershipRemover {
  removeMembership(membershipId: string): Promise<UndoOutcome>;
}
