import type { AuditDraft } from '../audit/entry.ts';
import type { Catalogue } from '../catalogue/schema.ts';
import { targetsOf, type AssignmentTarget } from '../account-assignments/targets.ts';

/**
 * Reconciliation, pure: what should exist (active employees and their active grants) against
 * what does (Identity Store users and memberships, EC2 resources tagged gatehouse:managed=true).
 * No AWS here: inventory.ts reads both sides, the handler records the findings.
 */

/** The audit subject of reconciliation runs (one entry per run). */
export const RUN_SUBJECT = 'reconciliation';

export interface EmployeeRecord {
  employeeId: string;
  /** The Identity Store user name. */
  email: string;
  status: 'active' | 'left';
}

export interface GrantRecord {
  employeeId: string;
  entitlementId: string;
  /** Time-bound grants stop justifying access here. */
  expiresAt?: string;
}

/** What should exist: the employees table and the grants whose status is `active`. */
export interface DesiredState {
  employees: readonly EmployeeRecord[];
  grants: readonly GrantRecord[];
}

export interface Membership {
  membershipId: string;
  groupId: string;
  /** Undefined when the group could not be named (not listed). */
  displayName?: string;
}

/** A permission set the user holds on an account (sso-admin ListAccountAssignmentsForPrincipal). */
export interface HeldAssignment {
  accountId: string;
  permissionSetArn: string;
  /** Its name in Identity Center, when it could be described (the catalogue may name it either way). */
  permissionSetName?: string;
}

export interface IdentityUser {
  userId: string;
  userName: string;
  memberships: readonly Membership[];
  /** Account assignments the user holds; absent when the inventory did not read them. */
  assignments?: readonly HeldAssignment[];
}

export interface ManagedResource {
  id: string;
  /** The gatehouse:employee-id tag. */
  employeeId?: string;
  /** The gatehouse:entitlement-id tag. */
  entitlementId?: string;
  state: string;
}

/** What exists. */
export interface ActualState {
  users: readonly IdentityUser[];
  instances: readonly ManagedResource[];
  volumes: readonly ManagedResource[];
}

export type Finding =
  | { kind: 'orphan-user'; employeeId?: string; userId: string; why: 'left' | 'unknown' }
  | { kind: 'unexpected-membership'; employeeId: string; userId: string; membershipId: string; entitlementId: string }
  | { kind: 'missing-membership'; employeeId: string; entitlementId: string; userId?: string }
  | { kind: 'untracked-instance' | 'untracked-volume'; employeeId?: string; resourceId: string; entitlementId?: string }
  | { kind: 'unexpected-assignment'; employeeId: string; userId: string; accountId: string; permissionSet: string; entitlementId?: string }
  | { kind: 'missing-assignment'; employeeId: string; entitlementId: string; accountId: string; permissionSet: string; userId?: string };
export type FindingKind = Finding['kind'];

const GONE_STATES = new Set(['terminated', 'shutting-down', 'deleted', 'deleting']);
const WORKSTATION_PREFIX = 'workstation:';

const normalise = (userName: string): string => userName.trim().toLowerCase();

/** Group display name -> entitlement id, for the groups the catalogue names. */
function catalogueGroups(catalogue: Catalogue): Map<string, string> {
  const groups = new Map<string, string>();
  for (const entitlement of catalogue.entitlements) if (entitlement.kind === 'group') groups.set(entitlement.displayName, entitlement.id);
  return groups;
}

/** Entitlement ids each active employee's grants justify at `at`. */
function justified(desired: DesiredState, at: Date): Map<string, Set<string>> {
  const active = new Set(desired.employees.filter((employee) => employee.status === 'active').map((employee) => employee.employeeId));
  const byEmployee = new Map<string, Set<string>>();
  for (const grant of desired.grants) {
    if (!active.has(grant.employeeId)) continue;
    if (grant.expiresAt !== undefined && Date.parse(grant.expiresAt) <= at.getTime()) continue;
    const set = byEmployee.get(grant.employeeId) ?? new Set<string>();
    set.add(grant.entitlementId);
    byEmployee.set(grant.employeeId, set);
  }
  return byEmployee;
}

export function findDrift(catalogue: Catalogue, desired: DesiredState, actual: ActualState, at: Date): Finding[] {
  const groups = catalogueGroups(catalogue);
  const grants = justified(desired, at);
  const byEmail = new Map(desired.employees.map((employee) => [normalise(employee.email), employee]));
  const findings: Finding[] = [];
  const usersByEmployee = new Map<string, IdentityUser>();

  for (const user of actual.users) {
    const employee = byEmail.get(normalise(user.userName));
    if (employee?.status !== 'active') {
      findings.push({ kind: 'orphan-user', employeeId: employee?.employeeId, userId: user.userId, why: employee ? 'left' : 'unknown' });
      continue;
    }
    usersByEmployee.set(employee.employeeId, user);
    const held = grants.get(employee.employeeId) ?? new Set<string>();
    for (const membership of user.memberships) {
      const entitlementId = membership.displayName === undefined ? undefined : groups.get(membership.displayName);
      if (entitlementId === undefined || held.has(entitlementId)) continue;
      findings.push({ kind: 'unexpected-membership', employeeId: employee.employeeId, userId: user.userId, membershipId: membership.membershipId, entitlementId });
    }
  }

  const entitlementOfGroup = new Map([...groups].map(([displayName, id]) => [id, displayName]));
  for (const [employeeId, held] of grants) {
    const user = usersByEmployee.get(employeeId);
    const memberOf = new Set(user?.memberships.map((membership) => membership.displayName));
    for (const entitlementId of held) {
      const displayName = entitlementOfGroup.get(entitlementId);
      if (displayName === undefined || memberOf.has(displayName)) continue;
      findings.push({ kind: 'missing-membership', employeeId, entitlementId, userId: user?.userId });
    }
  }

  const untracked = (kind: 'untracked-instance' | 'untracked-volume', resources: readonly ManagedResource[]): void => {
    for (const resource of resources) {
      if (GONE_STATES.has(resource.state)) continue;
      const held = resource.employeeId === undefined ? undefined : grants.get(resource.employeeId);
      const tracked = [...(held ?? [])].some((id) =>
        resource.entitlementId === undefined ? id.startsWith(WORKSTATION_PREFIX) : id === resource.entitlementId,
      );
      if (!tracked) findings.push({ kind, employeeId: resource.employeeId, resourceId: resource.id, entitlementId: resource.entitlementId });
    }
  };
  untracked('untracked-instance', actual.instances);
  untracked('untracked-volume', actual.volumes);
  findings.push(...assignmentDrift(catalogue, grants, usersByEmployee));
  return findings;
}

/** Whether a held assignment is the target's: same account, and the permission set by the ARN or the name the catalogue uses. */
const realises = (held: HeldAssignment, target: AssignmentTarget): boolean =>
  held.accountId === target.accountId && (held.permissionSetArn === target.permissionSet || held.permissionSetName === target.permissionSet);

/**
 * Account assignments of active employees' users against their active grants: one no grant makes
 * (an administrator's by hand, a removal that failed) and one a grant should have made but the user
 * lacks. Users whose assignments were not read are left out.
 */
function assignmentDrift(catalogue: Catalogue, grants: Map<string, Set<string>>, users: Map<string, IdentityUser>): Finding[] {
  const findings: Finding[] = [];
  const allTargets = targetsOf(catalogue.entitlements);
  for (const [employeeId, user] of users) {
    if (!user.assignments) continue;
    const held = grants.get(employeeId) ?? new Set<string>();
    const justified = targetsOf(catalogue.entitlements.filter((entitlement) => held.has(entitlement.id)));
    for (const assignment of user.assignments) {
      if (justified.some((target) => realises(assignment, target))) continue;
      const entitlementId = allTargets.find((target) => realises(assignment, target))?.entitlementId;
      const permissionSet = assignment.permissionSetName ?? assignment.permissionSetArn;
      findings.push({ kind: 'unexpected-assignment', employeeId, userId: user.userId, accountId: assignment.accountId, permissionSet, ...(entitlementId ? { entitlementId } : {}) });
    }
  }
  for (const [employeeId, held] of grants) {
    const user = users.get(employeeId);
    if (user && !user.assignments) continue;
    for (const target of targetsOf(catalogue.entitlements.filter((entitlement) => held.has(entitlement.id)))) {
      if (user?.assignments?.some((assignment) => realises(assignment, target))) continue;
      findings.push({ kind: 'missing-assignment', employeeId, entitlementId: target.entitlementId, accountId: target.accountId, permissionSet: target.permissionSet, ...(user ? { userId: user.userId } : {}) });
    }
  }
  return findings;
}

// ---- audit --------------------------------------------------------------------------------------

const AUDIT_FINDING = {
  'orphan-user': 'stale-grant',
  'unexpected-membership': 'unexpected-grant',
  'missing-membership': 'missing-grant',
  'untracked-instance': 'resource-drift',
  'untracked-volume': 'resource-drift',
  'unexpected-assignment': 'unexpected-grant',
  'missing-assignment': 'missing-grant',
} as const satisfies Record<FindingKind, string>;

const REASONS: Record<FindingKind, string> = {
  'orphan-user': 'Identity Store user of no active employee',
  'unexpected-membership': 'catalogue group membership that no active grant justifies',
  'missing-membership': 'active grant without its group membership',
  'untracked-instance': 'managed instance without an active workstation grant',
  'untracked-volume': 'managed volume without an active workstation grant',
  'unexpected-assignment': 'account assignment that no active grant justifies',
  'missing-assignment': 'active grant without its account assignment',
};

/** An assignment as one id: `<permission set>@<account>`. */
export const assignmentResource = (finding: { permissionSet: string; accountId: string }): string => `${finding.permissionSet}@${finding.accountId}`;

/** What the finding is about: a resource id, else the entitlement. */
export function findingKey(finding: Finding): string {
  switch (finding.kind) {
    case 'orphan-user':
      return `${finding.kind}/${finding.userId}`;
    case 'unexpected-membership':
      return `${finding.kind}/${finding.membershipId}`;
    case 'missing-membership':
      return `${finding.kind}/${finding.employeeId}/${finding.entitlementId}`;
    case 'unexpected-assignment':
    case 'missing-assignment':
      return `${finding.kind}/${finding.employeeId}/${assignmentResource(finding)}`;
    default:
      return `${finding.kind}/${finding.resourceId}`;
  }
}

/** One `reconciliation.finding` draft; the run date makes a rerun the same day write nothing new. */
export function toAuditDraft(finding: Finding, runDate: string): AuditDraft {
  const runId = `reconcile-${runDate}`;
  const resourceId =
    finding.kind === 'orphan-user' ? finding.userId
    : finding.kind === 'unexpected-membership' ? finding.membershipId
    : finding.kind === 'missing-membership' ? undefined
    : finding.kind === 'unexpected-assignment' || finding.kind === 'missing-assignment' ? assignmentResource(finding)
    : finding.resourceId;
  return {
    kind: 'reconciliation.finding',
    subject: finding.employeeId ?? 'unknown',
    actor: { type: 'system', id: 'reconcile' },
    entitlementId: 'entitlementId' in finding ? finding.entitlementId : undefined,
    requestId: runId,
    executionId: runId,
    reason: `${finding.kind}: ${REASONS[finding.kind]}`,
    idempotencyKey: `${runDate}/${findingKey(finding)}`,
    detail: { finding: AUDIT_FINDING[finding.kind], action: 'flagged', resourceId },
  };
}
