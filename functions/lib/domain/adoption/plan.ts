import { createHash } from 'node:crypto';
import { canonicalJson } from '../audit/chain.ts';
import { assignEmployee, refuseUnassigned, type VersionedCatalogue } from '../catalogue/assign-employee.ts';
import { resolveEntitlements } from '../catalogue/resolve.ts';
import type { Catalogue } from '../catalogue/schema.ts';
import type { Employee, HrisSource } from '../events/employee-events.ts';
import { employeeOf } from '../hris/directory-lookup.ts';
import type { DirectoryEmployee } from '../hris/types.ts';
import { ValidationError } from '../shared/errors.ts';
import type { AdoptionInventory, IdentityMembership, IdentityUser, TaggedInstance } from './inventory.ts';
import { matchPeople, type Ambiguity, type MatchedBy } from './match.ts';

/**
 * The adoption plan (issue #14): pure, from the inventory and the catalogue. For each HRIS person
 * with exactly one Identity Store user: adopt it (record it as theirs, never recreate it), record
 * as grants the access they already hold that their role grants, and list what the role grants
 * that they lack (`missing`: granted later by `catalogue converge`, through approvals) and what
 * they hold that the role does not grant (`extras`: reported; removed only with --revoke-extras).
 * People without a user are hired by the normal joiner; terminated people who still have a user,
 * people whose role no rule decides, ambiguous matches and users matching nobody are reported.
 * The fingerprint covers every action, so `--apply --confirm` runs exactly the reviewed plan.
 */

export interface AdoptGrant {
  entitlementId: string;
  kind: 'group' | 'workstation';
  /** The membership id (group) or instance id (workstation) that realises it. */
  resourceId: string;
}

export interface Adoption {
  employeeId: string;
  userId: string;
  userName: string;
  matchedBy: MatchedBy;
  /** The person as workflows see them: role and how it was chosen (the HRIS or a rule). */
  employee: Employee;
  grants: AdoptGrant[];
  missing: string[];
  extras: IdentityMembership[];
}

export interface AdoptionPlan {
  source: HrisSource;
  catalogueVersion: string;
  adopt: Adoption[];
  /** Active HRIS people with no Identity Store user: hired through the joiner. */
  create: { employeeId: string; employee: Employee }[];
  /** No role: the HRIS sent none (or an unknown one) and no rule matches. Their user, if any, is left alone. */
  undecided: { employeeId: string; why: string; userId?: string }[];
  /** Terminated in the HRIS, still holding an Identity Store user: not adopted (end it with `gatehouse leave` or by hand). */
  terminated: { employeeId: string; userId: string }[];
  ambiguous: Ambiguity[];
  invalid: { employeeId: string; problem: string }[];
  /** Identity Store users no HRIS person (and no managed person) matches. */
  orphans: { userId: string; userName: string }[];
  /** HRIS people Gatehouse manages already (employees table): not part of the plan. */
  managed: number;
  counts: Record<'adopt' | 'create' | 'grants' | 'missing' | 'extras' | 'undecided' | 'terminated' | 'ambiguous' | 'invalid' | 'orphans' | 'managed', number>;
  fingerprint: string;
}

const LIVE_INSTANCE = new Set(['pending', 'running', 'stopping', 'stopped']);

function decide(ref: VersionedCatalogue, record: DirectoryEmployee): { employee: Employee } | { why: string } {
  try {
    const employee = assignEmployee(ref, employeeOf(record));
    refuseUnassigned(employee);
    return { employee };
  } catch (error) {
    if (error instanceof ValidationError) return { why: error.message };
    throw error;
  }
}

/** Live instances by `<employeeId> <entitlementId>` (EC2 tags). */
const instanceKey = (employeeId: string, entitlementId: string): string => `${employeeId} ${entitlementId}`;
function liveInstances(instances: readonly TaggedInstance[]): Map<string, string> {
  const byKey = new Map<string, string>();
  for (const i of instances) if (i.employeeId && i.entitlementId && LIVE_INSTANCE.has(i.state)) byKey.set(instanceKey(i.employeeId, i.entitlementId), i.instanceId);
  return byKey;
}

function holdings(catalogue: Catalogue, employee: Employee, user: IdentityUser, instances: ReadonlyMap<string, string>): Pick<Adoption, 'grants' | 'missing' | 'extras'> {
  const grants: AdoptGrant[] = [];
  const missing: string[] = [];
  const justified = new Set<string>();
  const byGroup = new Map(user.memberships.filter((m) => m.groupName !== undefined).map((m) => [m.groupName, m]));
  for (const entitlement of resolveEntitlements(catalogue, employee.role)) {
    if (entitlement.kind === 'group') {
      justified.add(entitlement.displayName);
      const membership = byGroup.get(entitlement.displayName);
      if (membership) grants.push({ entitlementId: entitlement.id, kind: 'group', resourceId: membership.membershipId });
      else missing.push(entitlement.id);
    } else if (entitlement.kind === 'workstation') {
      const instanceId = instances.get(instanceKey(employee.employeeId, entitlement.id));
      if (instanceId) grants.push({ entitlementId: entitlement.id, kind: 'workstation', resourceId: instanceId });
      else missing.push(entitlement.id);
    }
  }
  const extras = user.memberships.filter((m) => m.groupName === undefined || !justified.has(m.groupName));
  return { grants, missing, extras };
}

/** 16 hex of the SHA-256 over every action of the plan, in a stable order. */
export function planFingerprint(plan: Pick<AdoptionPlan, 'source' | 'catalogueVersion' | 'adopt' | 'create'>): string {
  const actions = {
    source: plan.source,
    catalogueVersion: plan.catalogueVersion,
    adopt: plan.adopt.map((a) => [a.employeeId, a.userId, a.employee.role, a.grants.map((g) => [g.entitlementId, g.resourceId]), a.extras.map((e) => e.membershipId)]),
    create: plan.create.map((c) => [c.employeeId, c.employee.role, c.employee.email]),
  };
  return createHash('sha256').update(canonicalJson(actions)).digest('hex').slice(0, 16);
}

export function planAdoption(inventory: AdoptionInventory, ref: VersionedCatalogue & { catalogue: Catalogue }): AdoptionPlan {
  const matching = matchPeople(inventory.roster, inventory.users, inventory.managed);
  const adopt: Adoption[] = [];
  const create: AdoptionPlan['create'] = [];
  const undecided: AdoptionPlan['undecided'] = [];
  const terminated: AdoptionPlan['terminated'] = [];
  const instances = liveInstances(inventory.instances);
  for (const { record, user, matchedBy } of matching.people) {
    if (record.terminated) {
      if (user) terminated.push({ employeeId: record.employeeId, userId: user.userId });
      continue;
    }
    const decided = decide(ref, record);
    if ('why' in decided) {
      undecided.push({ employeeId: record.employeeId, why: decided.why, ...(user ? { userId: user.userId } : {}) });
      continue;
    }
    if (!user || !matchedBy) {
      create.push({ employeeId: record.employeeId, employee: decided.employee });
      continue;
    }
    adopt.push({
      employeeId: record.employeeId,
      userId: user.userId,
      userName: user.userName,
      matchedBy,
      employee: decided.employee,
      ...holdings(ref.catalogue, decided.employee, user, instances),
    });
  }
  const byId = (a: { employeeId: string }, b: { employeeId: string }) => (a.employeeId < b.employeeId ? -1 : a.employeeId > b.employeeId ? 1 : 0);
  adopt.sort(byId);
  create.sort(byId);
  const orphans = matching.unclaimed.map((user) => ({ userId: user.userId, userName: user.userName })).sort((a, b) => (a.userName < b.userName ? -1 : 1));
  const base = { source: inventory.source, catalogueVersion: ref.version, adopt, create };
  const sum = (pick: (a: Adoption) => number) => adopt.reduce((total, a) => total + pick(a), 0);
  return {
    ...base,
    undecided,
    terminated,
    ambiguous: matching.ambiguous,
    invalid: matching.invalid,
    orphans,
    managed: matching.managed.length,
    counts: {
      adopt: adopt.length,
      create: create.length,
      grants: sum((a) => a.grants.length),
      missing: sum((a) => a.missing.length),
      extras: sum((a) => a.extras.length),
      undecided: undecided.length,
      terminated: terminated.length,
      ambiguous: matching.ambiguous.length,
      invalid: matching.invalid.length,
      orphans: orphans.length,
      managed: matching.managed.length,
    },
    fingerprint: planFingerprint(base),
  };
}
