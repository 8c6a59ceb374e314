import type { Employee } from '../events/employee-events.ts';
import type { GroupRef, MembershipResult, StorageResult, WorkstationProfile, WorkstationResult, WorkstationState } from './schemas.ts';

/**
 * The ports provisioning consumes, and with it the leaver, mover, time-bound revocation and
 * reconciliation: who created a person's Identity Store user (dynamodb/employees/ownership.ts),
 * the Identity Store (aws/identitystore.ts) and EC2 workstations (aws/ec2*.ts).
 */

export interface OwnershipRecord {
  intent?: string | undefined;
  createdBy?: string | undefined;
  userId?: string | undefined;
}

export interface UserOwnershipPort {
  /**
   * Before CreateUser: this request is about to create the employee's user. NotFoundError for an
   * unknown employee; TransientError while another request's intent holds the lease.
   */
  recordIntent(employeeId: string, requestId: string): Promise<void>;
  /** After: this request created `userId`. */
  recordCreator(employeeId: string, requestId: string, userId: string): Promise<void>;
  /** The request that created `userId`, as far as the employees item says (see `creatorOf`). */
  creatorOf(employeeId: string, userId: string): Promise<string | undefined>;
}

/**
 * The Identity Store adapter (IAM Identity Center users, groups, memberships). Every write
 * is get-or-create or delete-if-present, so any call can be repeated: a ConflictException
 * means a concurrent call won, a ResourceNotFoundException on delete means already gone.
 */

export type UndoOutcome = 'undone' | 'already-gone';

/** With `employeeId`, the user is created linked to that employee and one linked to another is refused (identity-link.ts). */
export type UserRef = Pick<Employee, 'email' | 'firstName' | 'lastName' | 'employmentType'> & { employeeId?: string };

export type ResolvedGroup = GroupRef & { groupId: string };

/** `existing`: found by user name; `created`: this call's CreateUser made it; `concurrent`: another caller's CreateUser won. */
export type EnsuredUser = { userId: string; origin: 'existing' | 'created' | 'concurrent' };

export interface IdentityStorePort {
  /**
   * Get-or-create by user name (the employee's email); `beforeCreate` runs only when the user
   * does not exist, right before CreateUser.
   */
  ensureUser(employee: UserRef, beforeCreate?: () => Promise<void>): Promise<EnsuredUser>;
  /**
   * The user by user name; with `employeeId`, only when that user is this employee's: one linked
   * to another employee is not theirs (undefined), one nobody linked (made before links) still is.
   */
  findUserId(userName: string, employeeId?: string): Promise<string | undefined>;
  /** Each group's id by display name; GroupNotFoundError naming every missing one. */
  findGroups(groups: readonly GroupRef[]): Promise<ResolvedGroup[]>;
  /** Get-or-create a membership per group (groups without `groupId` are looked up first). */
  ensureMemberships(userId: string, groups: readonly (GroupRef | ResolvedGroup)[]): Promise<MembershipResult[]>;
  /** The user's membership of the named group, if both exist. */
  findMembership(userId: string, group: GroupRef): Promise<MembershipResult | undefined>;
  removeMembership(membershipId: string): Promise<UndoOutcome>;
  deleteUser(userId: string): Promise<UndoOutcome>;
  /**
   * Sets the user's user name and its one (primary, work) e-mail to `email`: a mover whose address
   * changed keeps the same user and memberships. `gone` when the user no longer exists;
   * IdentityConflictError when another user already has that user name.
   */
  updateUserEmail(userId: string, email: string, employeeId: string): Promise<'updated' | 'gone'>;
  /**
   * Sets the user's display name (`<first> <last>`) and name when they differ from the HRIS's:
   * `unchanged` when they already match (nothing written), `gone` when the user no longer exists.
   */
  updateUserNames(userId: string, firstName: string, lastName: string): Promise<'updated' | 'unchanged' | 'gone'>;
}

/** Where workstations launch (env of the launch function). */
export interface Placement {
  subnetId: string;
  securityGroupId: string;
  /** Must be the subnet's zone when given; RunInstances then pins it. */
  availabilityZone?: string;
}

export interface LaunchRequest {
  requestId: string;
  employeeId: string;
  profile: WorkstationProfile;
  /** The person's current employment (the employees item's employedSince); without it the token is per request. */
  generation?: string;
}

export interface StorageRequest extends LaunchRequest {
  instanceId: string;
  availabilityZone: string;
}

export interface TaggedResource {
  id: string;
  /** The `gatehouse:entitlement-id` tag. */
  entitlementId?: string;
}

export interface RequestResources {
  instances: TaggedResource[];
  volumes: TaggedResource[];
}

export type VolumeDeleteOutcome = UndoOutcome | 'in-use';

/** Instances (not terminated) and volumes (not deleted) tagged with an employee id. */
export interface EmployeeResources {
  instances: (TaggedResource & { state: string })[];
  volumes: (TaggedResource & { state: string; attachedTo?: string })[];
}

/** `stopped` once the instance is down; `stopping` while it gets there; `already-gone` when terminated or unknown. */
export type StopOutcome = 'stopped' | 'stopping' | 'already-gone';

export interface RetainedSnapshot {
  snapshotId: string;
  volumeId: string;
  state: string;
}

export interface WorkstationPort {
  launchWorkstation(request: LaunchRequest): Promise<WorkstationResult>;
  checkWorkstation(instanceId: string): Promise<WorkstationState>;
  ensureDataVolume(request: StorageRequest): Promise<StorageResult>;
  /** Instances and volumes tagged with this request (not terminated / not deleted). */
  findRequestResources(requestId: string): Promise<RequestResources>;
  terminateWorkstation(instanceId: string): Promise<UndoOutcome>;
  detachVolume(volumeId: string): Promise<UndoOutcome | 'not-attached'>;
  /** 'in-use' while the volume is still attached (detach it, then try again). */
  deleteVolume(volumeId: string): Promise<VolumeDeleteOutcome>;
  /** Everything tagged with the employee id, whichever request created it. */
  findEmployeeResources(employeeId: string): Promise<EmployeeResources>;
  /** StopInstances, repeatable: reports where the instance is on its way down. */
  stopWorkstation(instanceId: string): Promise<StopOutcome>;
  /**
   * The retained snapshot of a volume, created when there is none yet (EC2 has no ClientToken
   * for CreateSnapshot, so the tags are the idempotency key). Tagged gatehouse:retain=true.
   */
  ensureRetainedSnapshot(volumeId: string, employeeId: string): Promise<RetainedSnapshot>;
}
