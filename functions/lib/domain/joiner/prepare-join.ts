import type { AuditStore } from '../audit/ports.ts';
import type { Clock } from '../shared/clock.ts';
import type { AuditDraft } from '../audit/entry.ts';
import { findEntitlement, findRole, resolveEntitlements } from '../catalogue/resolve.ts';
import type { Catalogue } from '../catalogue/schema.ts';
import { ConflictError, ValidationError } from '../shared/errors.ts';
import type { Employee, EmployeeHired } from '../events/employee-events.ts';
import { decide } from '../policy/policy.ts';
import { recordDecidedDraft, requestReceivedDraft } from '../requests/request-audit.ts';
import type { RequestRecord } from '../requests/request-record.ts';
import type { RequestRepository } from '../requests/ports.ts';
import { roleRequestRecord, singleWorkstation } from '../requests/role-request.ts';
import { assignmentDetail, refuseUnassigned } from '../catalogue/assign-employee.ts';
import { endOfDayUtc, pastStartNote, provisionAt } from '../shared/dates.ts';
import type { EmployeeDirectory } from './ports.ts';
import { targetsOf } from '../account-assignments/targets.ts';
import { ignoredDraft } from '../ordering/ignored-draft.ts';
import type { StaleReason } from '../ordering/person-facts.ts';

/**
 * Prepare Request: validate the hire, resolve the role, decide by policy, write the request
 * record and the employee, audit request.received and policy.decided. The request id is the
 * execution name (the HRIS delivery id). A retry of the same execution finds its own record
 * and answers from it, so it returns the same result and writes nothing twice.
 *
 * Unknown role (ValidationError) and MissingApproverError propagate: the ASL catches them
 * and records a rejection.
 */

import type { IgnoredRequest, PreparedRequest, PrepareJoinInput } from '../../tasks/prepare-join.ts';

export interface PrepareSettings {
  /** Hours before the start day (00:00 UTC) that provisioning may begin. */
  provisionLeadHours: number;
  /** How long each approver has; the approval task's TimeoutSecondsPath. */
  approvalTimeoutSeconds: number;
}

export interface PrepareRequestDeps {
  catalogue: Catalogue;
  /** The deployed catalogue's version id: kept on the request, its grants and their grant.applied. */
  catalogueVersion: string;
  requests: Pick<RequestRepository, 'get' | 'put'>;
  employees: Pick<EmployeeDirectory, 'upsertHire'>;
  audit: Pick<AuditStore, 'append'>;
  clock: Clock;
  settings: PrepareSettings;
}

export async function prepareRequest(deps: PrepareRequestDeps, input: PrepareJoinInput): Promise<PreparedRequest | IgnoredRequest> {
  const { event, executionId, executionName } = input;
  const requestId = executionName;
  if (event.employee.endDate !== undefined && event.employee.endDate < event.employee.startDate) {
    throw new ValidationError(`event.employee.endDate: ${event.employee.endDate} is before startDate ${event.employee.startDate}`);
  }

  const existing = await deps.requests.get(requestId);
  if (existing && existing.executionId !== executionId) {
    throw new ConflictError(`requestId: request ${requestId} belongs to another execution`);
  }
  const pastStart = pastStartNote(event.employee.employeeId, event.employee.startDate, deps.clock.now());
  await deps.audit.append(receivedDraft(event, requestId, executionId, executionName, endOf(event.employee), pastStart));
  // The catalogue refuses people no rule assigns: rejected here (Record Rejection audits it), nothing written.
  refuseUnassigned(event.employee);
  // The hire's own role must resolve before anything is written (an unknown role changes nothing).
  const createdAt = existing?.createdAt ?? deps.clock.now().toISOString();
  if (!existing) singleWorkstation(newRecord(deps, event, input, createdAt).entitlements, 'joiner');

  // The employee first, merged per fact (domain/ordering/merge.ts): a hire no newer than the status the
  // person's item holds changes nothing; otherwise the joiner acts on the merged record, so a change
  // delivered before this hire keeps its newer role.
  const upsert = await deps.employees.upsertHire({ employee: event.employee, source: event.source, occurredAt: event.occurredAt, requestId, at: createdAt });
  if ('stale' in upsert) return ignoredHire(deps, input, upsert);
  const { employee } = upsert;
  const record = existing ?? newRecord(deps, { ...event, employee }, input, createdAt);
  const workstation = singleWorkstation(record.entitlements, 'joiner');
  if (!existing) await deps.requests.put(record);
  await deps.audit.append(recordDecidedDraft(record));
  const endAt = endOf(employee);

  return {
    requestId,
    employeeId: employee.employeeId,
    employee,
    entitlements: record.entitlements,
    catalogueVersion: record.catalogueVersion ?? deps.catalogueVersion,
    decision: record.decision,
    approvalTimeoutSeconds: deps.settings.approvalTimeoutSeconds,
    provisionAt: provisionAt(employee.startDate, new Date(record.createdAt), deps.settings.provisionLeadHours),
    generation: upsert.generation,
    accountTargets: targetsOf(record.entitlements),
    ...(pastStart ? { warnings: [pastStart] } : {}),
    ...(workstation ? { workstation } : {}),
    ...(endAt ? { endAt } : {}),
  };
}

const endOf = (employee: Employee): string | undefined => (employee.endDate === undefined ? undefined : endOfDayUtc(employee.endDate));

/** Ends the joiner `ignored: stale`: the audit says why, nothing else is written. */
async function ignoredHire(deps: PrepareRequestDeps, input: PrepareJoinInput, stale: { stale: StaleReason; appliedAt?: string }): Promise<IgnoredRequest> {
  const { event, executionId, executionName } = input;
  const why = stale.stale;
  const ids = { requestId: executionName, executionId, executionName };
  await deps.audit.append(
    ignoredDraft({ requestType: 'joiner', subject: event.employee.employeeId, actor: { type: 'hris', id: event.source }, deliveryId: event.deliveryId, occurredAt: event.occurredAt, why, appliedAt: stale.appliedAt, ids }),
  );
  return { requestId: executionName, employeeId: event.employee.employeeId, ignored: { status: 'ignored', why: 'stale', detail: why } };
}

/** Resolves the role and decides; throws for an unknown role or a missing approver. */
function newRecord(deps: PrepareRequestDeps, event: EmployeeHired, input: PrepareJoinInput, createdAt: string): RequestRecord {
  const { employee } = event;
  const roleId = findRole(deps.catalogue, employee.role).id;
  const entitlements = resolveEntitlements(deps.catalogue, roleId).map((resolved) => findEntitlement(deps.catalogue, resolved.id));
  const decision = decide({ kind: 'joiner', subject: employee, entitlements });
  const { executionId, executionName } = input;
  return roleRequestRecord(deps.catalogue, { kind: 'joiner', employee, roleId, entitlements, decision, catalogueVersion: deps.catalogueVersion, createdAt, executionId, executionName });
}

function receivedDraft(event: EmployeeHired, requestId: string, executionId: string, executionName: string, endAt?: string, note?: string): AuditDraft {
  const { employee } = event;
  return requestReceivedDraft(
    { requestId, executionId, executionName },
    {
      subject: employee.employeeId,
      actor: { type: 'hris', id: event.source },
      reason: `hire of ${employee.employeeId} as ${employee.role} starting ${employee.startDate}, delivered by ${event.source}`,
      detail: {
        requestType: 'joiner',
        deliveryId: event.deliveryId,
        role: employee.role,
        ...assignmentDetail(employee),
        effectiveAt: `${employee.startDate}T00:00:00Z`,
        ...(endAt ? { endsAt: endAt } : {}),
        ...(note ? { notes: [note] } : {}),
      },
    },
  );
}
