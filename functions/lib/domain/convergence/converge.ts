import type { AuditStore } from '../audit/ports.ts';
import type { GrantItem } from '../grants/item.ts';
import type { RequestRepository } from '../requests/ports.ts';
import type { IdentityStorePort } from '../provision/ports.ts';
import type { Catalogue } from '../catalogue/schema.ts';
import { findRole } from '../catalogue/resolve.ts';
import type { Employee } from '../events/employee-events.ts';
import { decide } from '../policy/policy.ts';
import type { PolicyDecision } from '../policy/schema.ts';
import type { IdentityResult } from '../provision/schemas.ts';
import { policyDecidedDraft, requestReceivedDraft } from '../requests/request-audit.ts';
import type { RequestRecord } from '../requests/request-record.ts';
import type { Clock } from '../shared/clock.ts';
import { ConflictError, ValidationError } from '../shared/errors.ts';
import { UserNotFoundError } from '../provision/errors.ts';
import type { ConvergenceCounts, EmployeeInput, GrantInput, PlanInput, PreparedConvergence, SegmentInput, SummariseInput } from '../../tasks/converge-catalogue.ts';
import { guardVerdict, type ConvergenceGuard, type ConvergenceTotals } from './guard.ts';
import { companyImpact, type PersonRow } from './impact.ts';
import { changes, personChange, revocationsOf, type ConvergenceFinding, type PersonChange } from './person.ts';

/**
 * Catalogue convergence (statemachines/catalogue-convergence.asl.json): after a new catalogue
 * version is deployed, every active employee is brought to what their role grants now. Plan
 * (whole company, the guard, the fingerprint, the segments to fan out over), then per segment the
 * people whose access changes, then per person: prepare (request and audit), the approval chain a
 * mover's additions get, get-or-create the added memberships, and the mover's own steps to record
 * grants, remove memberships and close grants.
 */

/** An employees item as convergence reads it. */
export interface ConvergenceEmployee {
  employeeId: string;
  status?: string;
  role?: string;
  email?: string;
  managerEmail?: string;
  managerId?: string;
  employmentType?: 'employee' | 'contractor';
  startDate?: string;
  /** The Identity Store user the joiner or an adoption recorded as theirs. */
  identityUserId?: string;
}

export interface ConvergenceStore {
  employees(part?: { segment: number; totalSegments: number }): AsyncIterable<ConvergenceEmployee>;
  employee(employeeId: string): Promise<ConvergenceEmployee | undefined>;
  /** Every active grant item of the company, each with its employee id. */
  allActiveGrants(): AsyncIterable<GrantItem & { employeeId: string }>;
  activeGrants(employeeId: string): Promise<GrantItem[]>;
}

export interface ConvergenceSettings {
  /** Largest share (0-1) of active role grants one run may revoke without a confirmation. */
  maxRevokeShare: number;
  /** People per segment of the fan-out. */
  segmentSize: number;
  approvalTimeoutSeconds: number;
}

export interface ConvergenceDeps {
  catalogue: Catalogue;
  catalogueVersion: string;
  store: ConvergenceStore;
  requests: Pick<RequestRepository, 'get' | 'put'>;
  audit: Pick<AuditStore, 'append'>;
  identity: Pick<IdentityStorePort, 'findUserId' | 'ensureMemberships'>;
  clock: Clock;
  settings: ConvergenceSettings;
}

const FINDINGS_SHOWN = 100;

export interface ConvergencePlan {
  catalogueVersion: string;
  totals: ConvergenceTotals;
  fingerprint: string;
  guard: ConvergenceGuard;
  /** Findings by kind, and the first FINDINGS_SHOWN of them. */
  findingCounts: Record<string, number>;
  findings: ConvergenceFinding[];
  /** The fan-out: one item per segment of the employees table (empty when the guard blocks). */
  segments: { segment: number; totalSegments: number }[];
}

function checkVersion(deps: Pick<ConvergenceDeps, 'catalogueVersion'>, asked: string): void {
  if (asked !== deps.catalogueVersion) {
    throw new ValidationError(
      `catalogueVersion: the deployed catalogue is ${deps.catalogueVersion}, not ${asked}; convergence applies the catalogue the functions run with (deploy it first)`,
    );
  }
}

const isActive = (employee: ConvergenceEmployee): boolean => employee.status === 'active';

export async function planConvergence(deps: Pick<ConvergenceDeps, 'catalogue' | 'catalogueVersion' | 'store' | 'clock' | 'settings'>, input: PlanInput): Promise<ConvergencePlan> {
  checkVersion(deps, input.catalogueVersion);
  const at = deps.clock.now();
  const grantsOf = new Map<string, GrantItem[]>();
  for await (const item of deps.store.allActiveGrants()) {
    const list = grantsOf.get(item.employeeId);
    if (list) list.push(item);
    else grantsOf.set(item.employeeId, [item]);
  }
  const rows: PersonRow[] = [];
  for await (const employee of deps.store.employees()) rows.push({ employee, items: grantsOf.get(employee.employeeId) ?? [] });
  const { totals, findings, fingerprint } = companyImpact(deps.catalogue, input.catalogueVersion, rows, at);
  const guard = guardVerdict(totals, deps.settings.maxRevokeShare, fingerprint, input.confirm);
  const findingCounts: Record<string, number> = {};
  for (const finding of findings) findingCounts[finding.kind] = (findingCounts[finding.kind] ?? 0) + 1;
  const totalSegments = Math.max(1, Math.ceil(totals.employees / deps.settings.segmentSize));
  return {
    catalogueVersion: input.catalogueVersion,
    totals,
    fingerprint,
    guard,
    findingCounts,
    findings: findings.slice(0, FINDINGS_SHOWN),
    segments: guard.outcome === 'blocked' || totals.changing === 0 ? [] : Array.from({ length: totalSegments }, (_, segment) => ({ segment, totalSegments })),
  };
}

/** The people of one segment whose access changes, in scan order. */
export async function listSegment(deps: Pick<ConvergenceDeps, 'catalogue' | 'catalogueVersion' | 'store' | 'clock'>, input: SegmentInput): Promise<{ employeeIds: string[] }> {
  checkVersion(deps, input.catalogueVersion);
  const at = deps.clock.now();
  const employeeIds: string[] = [];
  for await (const employee of deps.store.employees(input.part)) {
    if (!isActive(employee)) continue;
    if (changes(personChange(deps.catalogue, employee, await deps.store.activeGrants(employee.employeeId), at))) employeeIds.push(employee.employeeId);
  }
  return { employeeIds };
}

/** One request per person and catalogue version: `converge-<hash>-<employeeId>` (at most 90 of A-Z a-z 0-9 . _ -). */
export const convergenceRequestId = (catalogueVersion: string, employeeId: string): string => `converge-${catalogueVersion.slice('cat-'.length)}-${employeeId}`;

/** The policy's subject: what the employees table knows (the approval chain reads the manager and the e-mail). */
function subjectOf(employee: ConvergenceEmployee, role: string): Employee {
  return {
    employeeId: employee.employeeId,
    email: employee.email ?? `${employee.employeeId}@invalid.example`,
    firstName: employee.employeeId,
    lastName: '-',
    role,
    employmentType: employee.employmentType ?? 'employee',
    startDate: employee.startDate ?? '1970-01-01',
    ...(employee.managerEmail ? { managerEmail: employee.managerEmail } : {}),
    ...(employee.managerId ? { managerId: employee.managerId } : {}),
  };
}

/**
 * Prepare Employee: the person's change recomputed from the tables now (the plan may be minutes
 * old), the policy's decision on what is added (as for a mover's additions), the request record
 * and its audit entries, once. Someone who left since the plan, or whose access is already right
 * (a resumed run), is `changed: false`.
 */
export async function prepareEmployee(deps: ConvergenceDeps, input: EmployeeInput): Promise<PreparedConvergence> {
  checkVersion(deps, input.catalogueVersion);
  const { employeeId, executionId, executionName } = input;
  const requestId = convergenceRequestId(input.catalogueVersion, employeeId);
  const employee = await deps.store.employee(employeeId);
  const change = employee && isActive(employee) ? personChange(deps.catalogue, employee, await deps.store.activeGrants(employeeId), deps.clock.now()) : undefined;
  const role = change?.role ?? employee?.role ?? '';
  const revocation = {
    fromRole: role || 'none',
    toRole: role || 'none',
    revoke: [...(change?.revoke ?? []).map((group) => group.entitlementId), ...(change?.revokeAccounts ?? [])],
    groups: change?.revoke ?? [],
    workstations: [],
    dropsWorkstation: false,
    accountTargets: change?.removeTargets ?? [],
    stale: change?.stale ?? [],
  };
  const base = { requestId, employeeId, role, approvalTimeoutSeconds: deps.settings.approvalTimeoutSeconds, revocation, revokes: revocation.stale.length > 0 };
  if (!employee || !change || !changes(change)) {
    return { ...base, changed: false, added: [], addedGroups: [], accountTargets: [], decision: { decision: 'auto-approved', reason: `convergence ${employeeId}: nothing to change` } };
  }
  const existing = await deps.requests.get(requestId);
  if (existing && existing.employeeId !== employeeId) throw new ConflictError(`requestId: request ${requestId} belongs to another person`);
  const decision: PolicyDecision = existing?.decision ?? decide({ kind: 'mover', subject: subjectOf(employee, role), entitlements: change.add });
  const ids = { requestId, executionId, executionName };
  await deps.audit.append(
    requestReceivedDraft(ids, {
      subject: employeeId,
      actor: { type: 'system', id: 'catalogue-convergence' },
      reason: `catalogue ${input.catalogueVersion}: role ${role} grants ${change.add.length} more and ${revocationsOf(change)} fewer entitlements to ${employeeId}`,
      detail: { requestType: 'convergence', role, catalogueVersion: input.catalogueVersion },
    }),
  );
  if (!existing) await deps.requests.put(recordOf(deps, input, role, change, decision, requestId));
  await deps.audit.append(policyDecidedDraft(ids, { subject: employeeId, requestType: 'mover', decision, entitlements: change.add, policyRule: decision.decision === 'auto-approved' ? 'convergence-low-risk-auto-approved' : 'convergence-high-risk-needs-approval' }));
  const addedGroups = change.add.filter((entitlement) => entitlement.kind === 'group');
  return { ...base, changed: true, ...(employee.email ? { userName: employee.email } : {}), added: change.add, addedGroups, accountTargets: change.addTargets, decision };
}

function recordOf(deps: ConvergenceDeps, input: EmployeeInput, role: string, change: PersonChange, decision: PolicyDecision, requestId: string): RequestRecord {
  const found = findRole(deps.catalogue, role);
  return {
    requestId,
    // The approval page and the console read requests by kind; a convergence adds to a role as a move does.
    kind: 'mover',
    employeeId: input.employeeId,
    employeeDisplayName: input.employeeId,
    role,
    roleDisplayName: found.displayName,
    entitlements: change.add,
    decision,
    createdAt: deps.clock.now().toISOString(),
    executionId: input.executionId,
    executionName: input.executionName,
  };
}

/**
 * Grant Added Memberships: the user linked to the person (never created here: convergence moves
 * existing people), each added group found and its membership got-or-created. Shaped as the
 * joiner's identity result, so the mover's Record Grants records it (and an added account
 * assignment, made next by Assign Added Accounts, names this user).
 *
 * The user is the one the employees item records (the joiner or adoption wrote it after checking
 * the link), so adding a group costs one CreateGroupMembership and no GetUserId / DescribeUser.
 * Ids are never reused, so a recorded id can only be this person's user or gone; gone
 * (UserNotFoundError) falls back to the user linked to the person by user name, as does a person
 * with no recorded user or nothing but account assignments to add.
 */
export async function grantAdded(deps: Pick<ConvergenceDeps, 'identity' | 'store'>, input: GrantInput): Promise<IdentityResult> {
  const recorded = input.groups.length > 0 ? (await deps.store.employee(input.employeeId))?.identityUserId : undefined;
  if (recorded) {
    try {
      return { userId: recorded, userCreated: false, memberships: await deps.identity.ensureMemberships(recorded, input.groups) };
    } catch (error) {
      if (!(error instanceof UserNotFoundError)) throw error;
    }
  }
  const userId = await deps.identity.findUserId(input.userName, input.employeeId);
  if (!userId) {
    throw new ValidationError(`employeeId: no Identity Store user ${input.userName} linked to ${input.employeeId}; convergence never creates users (the joiner or adoption does)`);
  }
  if (input.groups.length === 0) return { userId, userCreated: false, memberships: [] };
  return { userId, userCreated: false, memberships: await deps.identity.ensureMemberships(userId, input.groups) };
}

/** Counts of a segment's people, or the sum of the segments' counts. */
export function summarise(input: SummariseInput): ConvergenceCounts {
  const counts: ConvergenceCounts = { people: 0, converged: 0, unchanged: 0, failed: 0, added: 0, revoked: 0 };
  for (const outcome of input.outcomes ?? []) {
    counts.people += 1;
    counts[outcome.outcome] += 1;
    counts.added += outcome.added ?? 0;
    counts.revoked += outcome.revoked ?? 0;
  }
  for (const segment of input.segments ?? []) {
    for (const key of Object.keys(counts) as (keyof ConvergenceCounts)[]) counts[key] += segment[key];
  }
  return counts;
}
