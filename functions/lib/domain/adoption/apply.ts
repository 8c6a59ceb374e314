import { createHash } from 'node:crypto';
import type { AuditDraft } from '../audit/entry.ts';
import type { AuditStore } from '../audit/ports.ts';
import { assignmentDetail } from '../catalogue/assign-employee.ts';
import type { EmployeeHired } from '../events/employee-events.ts';
import { grantKey } from '../grants/grants.ts';
import type { NewGrantItem } from '../grants/item.ts';
import { roleSource } from '../grants/source.ts';
import type { Clock } from '../shared/clock.ts';
import type { Adoption, AdoptionPlan } from './plan.ts';
import type { AdoptionEmployees, AdoptionGrants, HirePublisher, MembershipRemover } from './ports.ts';

/**
 * Applies a reviewed adoption plan (issue #14), idempotently by person and entitlement, so a
 * second apply, or one after a crash, changes nothing that is done. Per adopted person, in this
 * order: their grants (conditional put) with a grant.applied entry each (origin adoption), the
 * extras removed when asked (grant.revoked, trigger adoption), an identity.adopted entry, and last
 * the employees item that records their user: until it exists the next plan lists the person
 * again and every step before it finds its own earlier write (audit idempotency keys per person).
 * People without a user are hired through the joiner: one employee.hired event each, whose
 * delivery id (the execution name) is derived from the employee id, so it starts once.
 */

export interface ApplyAdoptionDeps {
  employees: AdoptionEmployees;
  grants: AdoptionGrants;
  audit: Pick<AuditStore, 'append'>;
  hires: HirePublisher;
  memberships: MembershipRemover;
  clock: Clock;
}

export interface ApplyOptions {
  /** Who ran it (the operator's id), the audit actor. */
  operator: string;
  /** Remove memberships the role does not grant (default: report only). */
  revokeExtras: boolean;
  /** People applied at once (DynamoDB calls are per person). */
  concurrency?: number;
  onProgress?: (done: number, total: number) => void;
}

export interface ApplyResult {
  adopted: number;
  alreadyAdopted: number;
  grantsRecorded: number;
  grantsAlreadyRecorded: number;
  extrasRevoked: number;
  /** Extras a run before this one (a crashed attempt) had removed already. */
  extrasAlreadyGone: number;
  hiresPublished: number;
}

/** What apply acts on: a whole plan (the CLI's tests) or one stored batch of it (the adoption workflow). */
export type PlanToApply = Pick<AdoptionPlan, 'source' | 'catalogueVersion' | 'fingerprint' | 'adopt' | 'create'>;

const SAFE_ID = /^[A-Za-z0-9_-]{1,56}$/;
const digest = (value: string): string => createHash('sha256').update(value).digest('hex').slice(0, 24);

/**
 * The adoption's id for one person (A-Z a-z 0-9 _ -, the employee id itself when it fits, else its
 * hash): the request id of an adopted person's grants and audit entries, and the delivery id (so the
 * execution name) of the joiner that hires a person who has no user yet.
 */
export const adoptionId = (employeeId: string): string => `adopt-${SAFE_ID.test(employeeId) ? employeeId : digest(employeeId)}`;

const AUDIT_ENTITLEMENT = /^[A-Za-z0-9._:/-]{1,128}$/;
const extraEntitlementId = (extra: Adoption['extras'][number]): string =>
  extra.groupName !== undefined && AUDIT_ENTITLEMENT.test(`group:${extra.groupName}`) ? `group:${extra.groupName}` : `group-id:${extra.groupId}`;

async function inPool<T>(items: readonly T[], size: number, run: (item: T) => Promise<void>, onDone: () => void): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const item = items[next++] as T;
      await run(item);
      onDone();
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(size, items.length)) }, worker));
}

export async function applyAdoption(deps: ApplyAdoptionDeps, plan: PlanToApply, options: ApplyOptions): Promise<ApplyResult> {
  const result: ApplyResult = { adopted: 0, alreadyAdopted: 0, grantsRecorded: 0, grantsAlreadyRecorded: 0, extrasRevoked: 0, extrasAlreadyGone: 0, hiresPublished: 0 };
  const actor = { type: 'operator' as const, id: options.operator };
  const total = plan.adopt.length + plan.create.length;
  let done = 0;
  const progress = () => options.onProgress?.(++done, total);

  async function adopt(adoption: Adoption): Promise<void> {
    const { employeeId, employee } = adoption;
    const requestId = adoptionId(employeeId);
    const common = { subject: employeeId, actor, requestId, executionId: requestId };
    const at = deps.clock.now().toISOString();
    const role = { kind: 'role' as const, roleId: employee.role };
    for (const grant of adoption.grants) {
      const item: NewGrantItem = {
        employeeId,
        grantKey: grantKey(grant.entitlementId, role),
        entitlementId: grant.entitlementId,
        source: roleSource(employee.role),
        status: 'active',
        grantedAt: at,
        requestId,
        approvedBy: ['adopted'],
        catalogueVersion: plan.catalogueVersion,
        ...(grant.kind === 'group' ? { userId: adoption.userId, membershipId: grant.resourceId } : { instanceId: grant.resourceId }),
      };
      if (await deps.grants.putIfAbsent(item)) result.grantsRecorded += 1;
      else result.grantsAlreadyRecorded += 1;
      await deps.audit.append({
        ...common,
        kind: 'grant.applied',
        entitlementId: grant.entitlementId,
        reason: `adopted: ${employeeId} already held ${grant.entitlementId}, which role ${employee.role} grants; recorded, not granted`,
        idempotencyKey: `adoption/${employeeId}/grant/${grant.entitlementId}`,
        detail: { basis: 'role', role: employee.role, resourceId: grant.resourceId, catalogueVersion: plan.catalogueVersion, origin: 'adoption' },
      });
    }
    if (options.revokeExtras) {
      for (const extra of adoption.extras) {
        const outcome = await deps.memberships.removeMembership(extra.membershipId);
        if (outcome === 'undone') result.extrasRevoked += 1;
        else result.extrasAlreadyGone += 1;
        const entitlementId = extraEntitlementId(extra);
        await deps.audit.append({
          ...common,
          kind: 'grant.revoked',
          entitlementId,
          reason: `adoption removed ${entitlementId} from ${employeeId}: role ${employee.role} does not grant it (--revoke-extras)`,
          idempotencyKey: `adoption/${employeeId}/revoke/${extra.membershipId}`,
          detail: { basis: 'role', trigger: 'adoption', resourceId: extra.membershipId },
        });
      }
    }
    const adopted: AuditDraft = {
      ...common,
      kind: 'identity.adopted',
      reason: `adopted, not hired: ${employeeId} keeps Identity Store user ${adoption.userId} (matched by ${adoption.matchedBy}) with role ${employee.role}`,
      idempotencyKey: `adoption/${employeeId}/identity.adopted`,
      detail: { userId: adoption.userId, matchedBy: adoption.matchedBy, role: employee.role, ...assignmentDetail(employee), catalogueVersion: plan.catalogueVersion, fingerprint: plan.fingerprint },
    };
    await deps.audit.append(adopted);
    const written = await deps.employees.recordAdopted({ employee, source: plan.source, userId: adoption.userId, at, requestId });
    if (written === 'written') result.adopted += 1;
    else result.alreadyAdopted += 1;
  }

  await inPool(plan.adopt, options.concurrency ?? 8, adopt, progress);

  const at = deps.clock.now().toISOString();
  const hires: EmployeeHired[] = plan.create.map(({ employeeId, employee }) => ({
    type: 'employee.hired',
    deliveryId: adoptionId(employeeId),
    source: plan.source,
    occurredAt: at,
    employee,
  }));
  for (let i = 0; i < hires.length; i += 10) {
    const batch = hires.slice(i, i + 10);
    await deps.hires.publish(batch);
    result.hiresPublished += batch.length;
    batch.forEach(() => progress());
  }
  return result;
}
