import type { AuditStore, Clock } from '../audit/audit-store.ts';
import type { AuditDraft } from '../audit/entry.ts';
import { findEntitlement, findRole, maxRisk, resolveEntitlements } from '../catalogue/resolve.ts';
import type { Catalogue, Entitlement } from '../catalogue/schema.ts';
import { ConflictError, ValidationError } from '../errors.ts';
import type { EmployeeChanged } from '../events/employee-events.ts';
import { diffForMove } from '../grants/grants.ts';
import { planRoleChange } from '../grants/plan.ts';
import { clip } from '../joiner/task-ids.ts';
import { decide } from '../policy/policy.ts';
import type { PolicyDecision } from '../policy/schema.ts';
import type { RequestRecord } from '../requests/request-record.ts';
import type { RequestRepository } from '../requests/request-repository.ts';
import type { MoveStore } from './move-store.ts';
import { asGrants } from './revocation.ts';
import type { KeptWorkstation, PreparedMove, PrepareMoveInput } from './schemas.ts';

/**
 * Prepare Move: who moves from which role to which, what the new role adds (what the policy
 * and the approvers see), what this execution must create, and whether a workstation is
 * launched or kept. The old role is the employees table's (written by the joiner), falling
 * back to the event's previousRole. Someone Gatehouse does not know, or who left, is a
 * ValidationError (recorded as request.rejected). Audits request.received and policy.decided.
 * A retry of the same execution finds its own request record and writes nothing twice.
 */

export interface PrepareMoveDeps {
  catalogue: Catalogue;
  requests: Pick<RequestRepository, 'get' | 'put'>;
  store: Pick<MoveStore, 'employee' | 'activeGrants'>;
  audit: Pick<AuditStore, 'append'>;
  clock: Clock;
  settings: { approvalTimeoutSeconds: number; overlapSeconds: number };
}

type WorkstationEntitlement = Extract<Entitlement, { kind: 'workstation' }>;

export async function prepareMove(deps: PrepareMoveDeps, input: PrepareMoveInput): Promise<PreparedMove> {
  const { event, executionId, executionName } = input;
  const { employee } = event;
  const requestId = executionName;
  const known = await deps.store.employee(employee.employeeId);
  if (!known || known.status === 'left') {
    const why = known ? 'has left' : 'has no hire recorded';
    throw new ValidationError(`event.employee.employeeId: Gatehouse does not know ${employee.employeeId} as a current employee (${why}); a role change needs a hire first`);
  }
  const fromRole = known.role ?? event.previousRole;
  if (fromRole === undefined) throw new ValidationError(`event.previousRole: no current role recorded for ${employee.employeeId} and the event names none`);
  const toRole = findRole(deps.catalogue, employee.role).id;
  const existing = await deps.requests.get(requestId);
  if (existing && existing.executionId !== executionId) throw new ConflictError(`requestId: request ${requestId} belongs to another execution`);

  const moved = fromRole !== toRole;
  const plain = (ids: readonly { id: string }[]): Entitlement[] => ids.map((entitlement) => findEntitlement(deps.catalogue, entitlement.id));
  // An old role the catalogue no longer knows adds everything the new role grants.
  const knownOld = deps.catalogue.roles.some((role) => role.id === fromRole);
  const added = moved ? plain(knownOld ? diffForMove(deps.catalogue, fromRole, toRole).add : resolveEntitlements(deps.catalogue, toRole)) : [];
  const all = plain(resolveEntitlements(deps.catalogue, toRole));
  const decision: PolicyDecision = existing?.decision ?? decide({ kind: 'mover', subject: employee, entitlements: added });

  await deps.audit.append(receivedDraft(event, fromRole, requestId, executionId, executionName));
  if (moved && !existing) await deps.requests.put(newRecord(deps, input, toRole, added, decision));
  await deps.audit.append(decidedDraft(employee.employeeId, added, decision, requestId, executionId, executionName, moved));

  const items = moved ? await deps.store.activeGrants(employee.employeeId) : [];
  const plan = moved ? planRoleChange(deps.catalogue, asGrants(employee.employeeId, items), employee.employeeId, toRole) : undefined;
  const provision = plan ? plan.provision.map((id) => findEntitlement(deps.catalogue, id)) : [];
  const workstation = singleWorkstation(all);
  const held = workstation ? items.find((item) => item.entitlementId === workstation.id && item.instanceId !== undefined) : undefined;
  const keptWorkstation: KeptWorkstation | undefined =
    held?.instanceId !== undefined ? { entitlementId: held.entitlementId, instanceId: held.instanceId, ...(held.volumeId ? { volumeId: held.volumeId } : {}) } : undefined;

  return {
    requestId,
    employeeId: employee.employeeId,
    fromRole,
    toRole,
    moved,
    entitlements: all,
    added,
    provision,
    decision,
    approvalTimeoutSeconds: deps.settings.approvalTimeoutSeconds,
    overlapSeconds: deps.settings.overlapSeconds,
    ...(workstation && !keptWorkstation ? { workstation } : {}),
    ...(keptWorkstation ? { keptWorkstation } : {}),
  };
}

function newRecord(deps: PrepareMoveDeps, input: PrepareMoveInput, toRole: string, added: Entitlement[], decision: PolicyDecision): RequestRecord {
  const { employee } = input.event;
  const role = findRole(deps.catalogue, toRole);
  return {
    requestId: input.executionName,
    kind: 'mover',
    employeeId: employee.employeeId,
    employeeDisplayName: `${employee.firstName} ${employee.lastName}`,
    role: role.id,
    roleDisplayName: role.displayName,
    entitlements: added,
    decision,
    createdAt: deps.clock.now().toISOString(),
    executionId: input.executionId,
    executionName: input.executionName,
  };
}

/** A role grants at most one workstation ("Launch Workstation" takes one profile). */
function singleWorkstation(entitlements: readonly Entitlement[]): WorkstationEntitlement | undefined {
  const workstations = entitlements.filter((entitlement): entitlement is WorkstationEntitlement => entitlement.kind === 'workstation');
  if (workstations.length > 1) throw new ValidationError(`event.employee.role: the role grants ${workstations.length} workstations; a mover gets at most one`);
  return workstations[0];
}

function receivedDraft(event: EmployeeChanged, fromRole: string, requestId: string, executionId: string, executionName: string): AuditDraft {
  const { employee } = event;
  return {
    kind: 'request.received',
    subject: employee.employeeId,
    actor: { type: 'hris', id: event.source },
    requestId,
    executionId,
    reason: clip(`role change of ${employee.employeeId} from ${fromRole} to ${employee.role}, delivered by ${event.source}`),
    idempotencyKey: `${executionName}/request.received`,
    detail: { requestType: 'mover', deliveryId: event.deliveryId, role: employee.role, previousRole: fromRole, effectiveAt: new Date(event.occurredAt).toISOString() },
  };
}

function decidedDraft(
  employeeId: string,
  added: readonly Entitlement[],
  decision: PolicyDecision,
  requestId: string,
  executionId: string,
  executionName: string,
  moved: boolean,
): AuditDraft {
  const auto = decision.decision === 'auto-approved';
  return {
    kind: 'policy.decided',
    subject: employeeId,
    actor: { type: 'system', id: 'policy' },
    requestId,
    executionId,
    reason: clip(moved ? decision.reason : `mover ${employeeId}: role unchanged, nothing to grant`),
    idempotencyKey: `${executionName}/policy.decided`,
    detail: {
      outcome: auto ? 'auto-approved' : 'approval-required',
      policyRule: moved ? (auto ? 'mover-low-risk-auto-approved' : 'mover-high-risk-needs-approval') : 'mover-role-unchanged',
      risk: maxRisk(added),
      entitlementIds: added.map((entitlement) => entitlement.id).slice(0, 100),
      ...(decision.decision === 'needs-approval' ? { approverIds: decision.chain.map((approver) => approver.email).slice(0, 10) } : {}),
    },
  };
}
