import type { AuditStore } from '../audit/ports.ts';
import type { Clock } from '../shared/clock.ts';
import type { AuditDraft } from '../audit/entry.ts';
import { findEntitlement, findRole, hasRole, resolveEntitlements } from '../catalogue/resolve.ts';
import type { Catalogue, Entitlement } from '../catalogue/schema.ts';
import { ConflictError, ValidationError } from '../shared/errors.ts';
import type { EmployeeChanged } from '../events/employee-events.ts';
import { diffForMove } from '../grants/grants.ts';
import { planRoleChange } from '../grants/plan.ts';
import { decide } from '../policy/policy.ts';
import type { PolicyDecision } from '../policy/schema.ts';
import { policyDecidedDraft, requestReceivedDraft, type RequestIds } from '../requests/request-audit.ts';
import type { RequestRecord } from '../requests/request-record.ts';
import type { RequestRepository } from '../requests/ports.ts';
import { roleRequestRecord, singleWorkstation } from '../requests/role-request.ts';
import type { KnownEmployee, MoveStore } from './ports.ts';
import { ignoredDraft } from '../ordering/ignored-draft.ts';
import { staleChange } from '../ordering/person-facts.ts';
import { asGrants } from '../grants/grant-items.ts';
import { targetsOf } from '../account-assignments/targets.ts';
import { updateUserEmail, type UpdateUserEmailDeps } from './update-user-email.ts';
import type { KeptWorkstation } from './schemas.ts';
import type { PreparedMove, PrepareMoveInput } from '../../tasks/prepare-move.ts';
import { assignmentDetail, refuseUnassigned } from '#lib/domain/catalogue/assign-employee';

/**
 * Prepare Move: who moves from which role to which, what the new role adds (what the policy
 * and the approvers see), what this execution must create, and whether a workstation is
 * launched or kept. The old role is the employees table's (written by the joiner), falling
 * back to the event's previousRole. Someone not employed now (no hire delivered yet, or left)
 * moves nothing: the change is kept (merged per fact) for a later hire. Audits request.received
 * and policy.decided.
 * A changed work e-mail updates the person's Identity Store user (update-user-email.ts).
 * A retry of the same execution finds its own request record and writes nothing twice.
 */

export interface PrepareMoveDeps {
  catalogue: Catalogue;
  /** The deployed catalogue's version id: kept on the request, its grants and their grant.applied. */
  catalogueVersion: string;
  requests: Pick<RequestRepository, 'get' | 'put'>;
  store: Pick<MoveStore, 'employee' | 'activeGrants'>;
  audit: Pick<AuditStore, 'append'>;
  identity: UpdateUserEmailDeps['identity'];
  clock: Clock;
  settings: { approvalTimeoutSeconds: number; overlapSeconds: number };
}

export async function prepareMove(deps: PrepareMoveDeps, input: PrepareMoveInput): Promise<PreparedMove> {
  const { event, executionId, executionName } = input;
  const { employee } = event;
  const requestId = executionName;
  const known = await deps.store.employee(employee.employeeId);
  // Not employed (no hire delivered yet, or left): nothing to move; Record Employee Change keeps the
  // change's facts, merged per fact, so the hire that arrives later provisions them (issue #11).
  if (known?.status !== 'active') return notEmployed(deps, input, known);
  const fromRole = known.role ?? event.previousRole;
  if (fromRole === undefined) throw new ValidationError(`event.previousRole: no current role recorded for ${employee.employeeId} and the event names none`);
  const toRole = findRole(deps.catalogue, employee.role).id;
  const existing = await deps.requests.get(requestId);
  if (existing && existing.executionId !== executionId) throw new ConflictError(`requestId: request ${requestId} belongs to another execution`);

  // An older change delivered late (a newer event already wrote the profile) moves nothing (issue #11).
  const stale = staleChange(known, event.occurredAt);
  const moved = fromRole !== toRole && stale === undefined;
  const plain = (ids: readonly { id: string }[]): Entitlement[] => ids.map((entitlement) => findEntitlement(deps.catalogue, entitlement.id));
  // An old role the catalogue no longer knows adds everything the new role grants.
  const knownOld = hasRole(deps.catalogue, fromRole);
  const added = moved ? plain(knownOld ? diffForMove(deps.catalogue, fromRole, toRole).add : resolveEntitlements(deps.catalogue, toRole)) : [];
  const all = plain(resolveEntitlements(deps.catalogue, toRole));
  const decision: PolicyDecision = existing?.decision ?? decide({ kind: 'mover', subject: employee, entitlements: added });

  const ids = { requestId, executionId, executionName };
  await deps.audit.append(receivedDraft(event, fromRole, ids));
  if (stale) {
    const actor = { type: 'hris' as const, id: event.source };
    await deps.audit.append(ignoredDraft({ requestType: 'mover', subject: employee.employeeId, actor, deliveryId: event.deliveryId, occurredAt: event.occurredAt, why: stale, appliedAt: known.hrisOccurredAt, ids }));
  }
  // The catalogue refuses people no rule assigns: the change is rejected (audited), the person keeps their role.
  if (!stale) refuseUnassigned(employee);
  // A new work e-mail renames the existing user before anything looks it up by the new one (issue #14).
  if (!stale) await updateUserEmail(deps, known, event, ids);
  const removes = moved && knownOld ? plain(diffForMove(deps.catalogue, fromRole, toRole).remove) : [];
  if (moved && !existing) await deps.requests.put(newRecord(deps, input, { fromRole, toRole, removes }, added, decision));
  await deps.audit.append(decidedDraft(employee.employeeId, added, decision, ids, moved));

  const items = moved ? await deps.store.activeGrants(employee.employeeId) : [];
  const plan = moved ? planRoleChange(deps.catalogue, asGrants(employee.employeeId, items), employee.employeeId, toRole) : undefined;
  const provision = plan ? plan.provision.map((id) => findEntitlement(deps.catalogue, id)) : [];
  const workstation = singleWorkstation(all, 'mover');
  const held = workstation ? items.find((item) => item.entitlementId === workstation.id && item.instanceId !== undefined) : undefined;
  const keptWorkstation: KeptWorkstation | undefined =
    held?.instanceId !== undefined ? { entitlementId: held.entitlementId, instanceId: held.instanceId, ...(held.volumeId ? { volumeId: held.volumeId } : {}) } : undefined;

  return {
    requestId,
    employeeId: employee.employeeId,
    fromRole,
    toRole,
    moved,
    employed: true,
    entitlements: all,
    added,
    provision,
    accountTargets: targetsOf(provision),
    catalogueVersion: existing?.catalogueVersion ?? deps.catalogueVersion,
    decision,
    approvalTimeoutSeconds: deps.settings.approvalTimeoutSeconds,
    overlapSeconds: deps.settings.overlapSeconds,
    ...(workstation && !keptWorkstation ? { workstation } : {}),
    generation: moveGeneration(known, event.occurredAt),
    ...(keptWorkstation ? { keptWorkstation } : {}),
  };
}

/** A change of someone not employed now: audited, nothing granted; the ASL records the facts and ends Kept For The Hire. */
async function notEmployed(deps: PrepareMoveDeps, input: PrepareMoveInput, known: KnownEmployee | undefined): Promise<PreparedMove> {
  const { event, executionId, executionName } = input;
  const { employee } = event;
  const toRole = findRole(deps.catalogue, employee.role).id;
  const fromRole = known?.role ?? event.previousRole ?? toRole;
  const ids = { requestId: executionName, executionId, executionName };
  const why = known ? 'has left' : 'has no hire delivered yet';
  const decision: PolicyDecision = { decision: 'auto-approved', reason: `mover ${employee.employeeId}: ${why}; the change is kept for the next hire newer than it` };
  await deps.audit.append(receivedDraft(event, fromRole, ids));
  await deps.audit.append(policyDecidedDraft(ids, { subject: employee.employeeId, requestType: 'mover', decision, entitlements: [], reason: decision.reason, policyRule: 'mover-not-employed' }));
  return {
    requestId: executionName,
    employeeId: employee.employeeId,
    fromRole,
    toRole,
    moved: false,
    employed: false,
    entitlements: [],
    added: [],
    provision: [],
    accountTargets: [],
    catalogueVersion: deps.catalogueVersion,
    decision,
    approvalTimeoutSeconds: deps.settings.approvalTimeoutSeconds,
    overlapSeconds: deps.settings.overlapSeconds,
    generation: moveGeneration(known ?? {}, event.occurredAt),
  };
}

/**
 * The mover's workstation generation: `<employedSince>@<occurredAt>` (at most 49 characters).
 * Duplicates of one change (an HRIS firing twice, a retry storm under new delivery ids) carry
 * the same event time and launch one instance; an employment recorded before generations were
 * kept falls back to `-`. The joiner's generation is the bare employedSince, so a move never
 * collides with the hire's own launch.
 */
export function moveGeneration(known: { employedSince?: string }, occurredAt: string): string {
  return `${known.employedSince ?? '-'}@${new Date(occurredAt).toISOString()}`;
}

function newRecord(
  deps: PrepareMoveDeps,
  input: PrepareMoveInput,
  move: { fromRole: string; toRole: string; removes: Entitlement[] },
  added: Entitlement[],
  decision: PolicyDecision,
): RequestRecord {
  const { executionId, executionName } = input;
  const createdAt = deps.clock.now().toISOString();
  const { fromRole, toRole, removes } = move;
  return roleRequestRecord(deps.catalogue, { kind: 'mover', employee: input.event.employee, roleId: toRole, previousRole: fromRole, removes, entitlements: added, decision, catalogueVersion: deps.catalogueVersion, createdAt, executionId, executionName });
}

function receivedDraft(event: EmployeeChanged, fromRole: string, ids: RequestIds): AuditDraft {
  const { employee } = event;
  return requestReceivedDraft(ids, {
    subject: employee.employeeId,
    actor: { type: 'hris', id: event.source },
    reason: `role change of ${employee.employeeId} from ${fromRole} to ${employee.role}, delivered by ${event.source}`,
    detail: {
      requestType: 'mover',
      deliveryId: event.deliveryId,
      role: employee.role,
      previousRole: fromRole,
      ...assignmentDetail(employee),
      effectiveAt: new Date(event.occurredAt).toISOString(),
    },
  });
}

function decidedDraft(employeeId: string, added: readonly Entitlement[], decision: PolicyDecision, ids: RequestIds, moved: boolean): AuditDraft {
  return policyDecidedDraft(ids, {
    subject: employeeId,
    requestType: 'mover',
    decision,
    entitlements: added,
    ...(moved ? {} : { reason: `mover ${employeeId}: role unchanged, nothing to grant`, policyRule: 'mover-role-unchanged' }),
  });
}
