import type { AuditStore } from '../audit/ports.ts';
import type { Clock } from '../shared/clock.ts';
import type { AuditDraft } from '../audit/entry.ts';
import { toMinutes } from '../catalogue/duration.ts';
import { findEntitlement, findRole, hasRole } from '../catalogue/resolve.ts';
import type { AccountAssignmentEntitlement, Catalogue, Entitlement } from '../catalogue/schema.ts';
import { targetsOf } from '../account-assignments/targets.ts';
import { ConflictError, ForbiddenError, NotFoundError } from '../shared/errors.ts';
import type { Employee } from '../events/employee-events.ts';
import { decide } from '../policy/policy.ts';
import { recordDecidedDraft, requestReceivedDraft } from '../requests/request-audit.ts';
import type { RequestRecord } from '../requests/request-record.ts';
import type { RequestRepository } from '../requests/ports.ts';
import { asEmployee, type EmployeeLookup } from './employee.ts';
import type { GrantRequest } from './schemas.ts';
import type { PreparedAccessRequest, PrepareTimeBoundInput } from '../../tasks/prepare-time-bound.ts';

/**
 * Prepare Access Request: the subject as Gatehouse knows them, the requested entitlements from
 * the catalogue (groups and account assignments), the policy's decision (kind `time-bound`), the request record, and the
 * audit entries request.received (requestType time-bound) and policy.decided. A retry of the
 * same execution finds its own record and decides nothing anew.
 */

type GroupEntitlement = Extract<Entitlement, { kind: 'group' }>;
/** The step's input for a new request (an extension goes to extend.ts). */
type GrantInput = Omit<PrepareTimeBoundInput, 'request'> & { request: GrantRequest };

export interface PrepareAccessRequestDeps {
  catalogue: Catalogue;
  employees: Pick<EmployeeLookup, 'get' | 'displayNameOf'>;
  requests: Pick<RequestRepository, 'get' | 'put'>;
  audit: Pick<AuditStore, 'append'>;
  clock: Clock;
  approvalTimeoutSeconds: number;
}

export type RequestableEntitlement = GroupEntitlement | AccountAssignmentEntitlement;

/** Time-bound grants are Identity Center group memberships or account assignments; a workstation is not requestable (403). */
export function requestableEntitlements(catalogue: Catalogue, ids: readonly string[]): RequestableEntitlement[] {
  return ids.map((id) => {
    const entitlement = findEntitlement(catalogue, id);
    if (entitlement.kind === 'workstation') {
      throw new ForbiddenError(`entitlementIds: ${id} is a ${entitlement.kind} and cannot be requested just-in-time; only groups and account assignments can`);
    }
    return entitlement;
  });
}

export async function prepareAccessRequest(deps: PrepareAccessRequestDeps, input: GrantInput): Promise<PreparedAccessRequest> {
  const { request, executionId, executionName } = input;
  const existing = await deps.requests.get(request.requestId);
  if (existing && existing.executionId !== executionId) throw new ConflictError(`requestId: request ${request.requestId} belongs to another execution`);

  const subject = await deps.employees.get(request.employeeId);
  if (!subject || subject.status !== 'active') throw new NotFoundError(`employeeId: no active employee ${request.employeeId}`);
  const displayName = existing?.employeeDisplayName ?? (await deps.employees.displayNameOf(request.employeeId));
  const employee = asEmployee(subject, displayName);
  await deps.audit.append(receivedDraft(request, executionId, executionName));

  const record = existing ?? newRecord(deps, request, employee, displayName, input);
  if (!existing) await deps.requests.put(record);
  await deps.audit.append(recordDecidedDraft(record));
  return {
    requestId: request.requestId,
    employeeId: request.employeeId,
    employee,
    entitlements: record.entitlements.filter((entitlement): entitlement is GroupEntitlement => entitlement.kind === 'group'),
    accountAssignments: record.entitlements.filter((entitlement): entitlement is AccountAssignmentEntitlement => entitlement.kind === 'account-assignment'),
    accountTargets: targetsOf(record.entitlements),
    decision: record.decision,
    approvalTimeoutSeconds: deps.approvalTimeoutSeconds,
    durationMinutes: toMinutes(request.duration),
  };
}

function newRecord(deps: PrepareAccessRequestDeps, request: GrantRequest, employee: Employee, displayName: string | undefined, input: GrantInput): RequestRecord {
  const entitlements = requestableEntitlements(deps.catalogue, request.entitlementIds);
  const decision = decide({ kind: 'time-bound', subject: employee, entitlements, requester: request.requester, duration: request.duration, ...(request.breakGlass ? { breakGlass: true as const } : {}) });
  const role = hasRole(deps.catalogue, employee.role) ? findRole(deps.catalogue, employee.role) : undefined;
  return {
    requestId: request.requestId,
    kind: 'time-bound',
    employeeId: employee.employeeId,
    employeeDisplayName: displayName ?? employee.employeeId,
    role: employee.role,
    ...(role ? { roleDisplayName: role.displayName } : {}),
    entitlements,
    decision,
    requester: request.requester,
    duration: request.duration,
    justification: request.justification,
    ...(request.breakGlass ? { breakGlass: true as const } : {}),
    createdAt: deps.clock.now().toISOString(),
    executionId: input.executionId,
    executionName: input.executionName,
  };
}

/** request.received for what an employee asked (a time-bound grant, an extension): what, who asked for whom, and why. */
export function employeeAskedDraft(
  request: Pick<GrantRequest, 'requestId' | 'employeeId' | 'requester' | 'justification'>,
  ids: { executionId: string; executionName: string },
  what: string,
  detail: Extract<AuditDraft, { kind: 'request.received' }>['detail'],
): AuditDraft {
  const forWhom = request.requester.employeeId === request.employeeId ? 'themself' : request.employeeId;
  return requestReceivedDraft(
    { requestId: request.requestId, ...ids },
    { subject: request.employeeId, actor: { type: 'employee', id: request.requester.email }, reason: `${what}, asked by ${request.requester.employeeId} for ${forWhom}: ${request.justification}`, detail },
  );
}

function receivedDraft(request: GrantRequest, executionId: string, executionName: string): AuditDraft {
  const what = `${request.breakGlass ? 'BREAK-GLASS ' : ''}time-bound access to ${request.entitlementIds.join(', ')} for ${request.duration}`;
  return employeeAskedDraft(request, { executionId, executionName }, what, { requestType: 'time-bound', ...(request.breakGlass ? { breakGlass: true as const } : {}) });
}
