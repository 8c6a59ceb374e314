import type { HrisSource } from '../events/employee-events.ts';
import type { DirectoryEmployee } from '../hris/types.ts';

/**
 * What adoption reads before it plans (issue #14): the HRIS roster, the Identity Store as it is
 * (users with their link and e-mails, their group memberships), Gatehouse-tagged EC2 instances,
 * and what Gatehouse already manages (the employees and grants tables). Plain data; the adapters
 * that read it are adapters/aws/adoption-inventory.ts and the CLI's table reads.
 */

/** One roster row: a usable record, or the id of a person whose record is not (the problem names the field). */
export type RosterRow = { ok: true; record: DirectoryEmployee } | { ok: false; employeeId: string; problem: string };

export interface IdentityMembership {
  membershipId: string;
  groupId: string;
  /** The group's display name (ListGroups); undefined for a group the listing did not return. */
  groupName?: string | undefined;
}

export interface IdentityUser {
  userId: string;
  userName: string;
  /** Every e-mail address the user holds (any type). */
  emails: string[];
  /** The enterprise extension's employeeNumber: the link Gatehouse sets on users it creates (adapters/aws/identity-link.ts). */
  employeeNumber?: string | undefined;
  memberships: IdentityMembership[];
}

/** An EC2 instance tagged gatehouse:managed=true, with its employee and entitlement tags. */
export interface TaggedInstance {
  instanceId: string;
  employeeId?: string | undefined;
  entitlementId?: string | undefined;
  state: string;
}

/** A person the employees table already holds: Gatehouse manages them, adoption leaves them alone. */
export interface ManagedPerson {
  employeeId: string;
  status: string;
  /** The Identity Store user the joiner or an adoption recorded (`identityUserId`). */
  identityUserId?: string | undefined;
}

export interface AdoptionInventory {
  source: HrisSource;
  roster: RosterRow[];
  users: IdentityUser[];
  instances: TaggedInstance[];
  managed: ManagedPerson[];
}
