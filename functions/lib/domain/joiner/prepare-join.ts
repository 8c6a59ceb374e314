import { z } from 'zod';
import type { AuditStore } from '../audit/ports.ts';
import type { Clock } from '../shared/clock.ts';
import type { AuditDraft } from '../audit/entry.ts';
import { findEntitlement, findRole, resolveEntitlements } from '../catalogue/resolve.ts';
import type { Catalogue, Entitlement } from '../catalogue/schema.ts';
import { ConflictError, ValidationError } from '../shared/errors.ts';
import { employeeHiredSchema, type EmployeeHired } from '../events/employee-events.ts';
import { decide } from '../policy/policy.ts';
import type { PolicyDecision } from '../policy/schema.ts';
import { recordDecidedDraft, requestReceivedDraft } from '../requests/request-audit.ts';
import type { RequestRecord } from '../requests/request-record.ts';
import type { RequestRepository } from '../requests/ports.ts';
import { roleRequestRecord, singleWorkstation, type WorkstationEntitlement } from '../requests/role-request.ts';
import { assignmentDetail, refuseUnassigned } from '../catalogue/assign-employee.ts';
import { endOfDayUtc, pastStartNote, provisionAt } from '../shared/dates.ts';
import type { EmployeeDirectory } from './ports.ts';
import { executionIds } from '../shared/ids.ts';
import { targetsOf, type AssignmentTarget } from '../account-assignments/targets.ts';
import { ignoredDraft } from '../ordering/ignored-draft.ts';
import { staleHire, type AppliedFacts, type StaleReason } from '../ordering/person-facts.ts';

/**
 * Prepare Request: validate the hire, resolve the role, decide by policy, write the request
 * record and the employee, audit request.received and policy.decided. The request id is the
 * execution name (the HRIS delivery id). A retry of the same execution finds its own record
 * and answers from it, so it returns the same result and writes nothing twice.
 *
 * Unknown role (ValidationError) and MissingApproverError propagate: the ASL catches them
 * and records a rejection.
 */

export const prepareRequestInputSchema = z.object({ event: employeeHiredSchema, ...executionIds });
export type PrepareRequestInput = z.infer<typeof prepareRequestInputSchema>;

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

/** `$.request`: what the Choice, Wait and later Task states read. Optional keys are absent, never null. */
export interface PreparedRequest {
  requestId: string;
  employeeId: string;
  entitlements: Entitlement[];
  /** The catalogue version the role was resolved with (the request's; Record Grants keeps it on each grant). */
  catalogueVersion: string;
  decision: PolicyDecision;
  approvalTimeoutSeconds: number;
  provisionAt: string;
  /** The person's current employment (item.ts EMPLOYED_SINCE): with the profile, it keys the workstation. */
  generation: string;
  /** The account assignments the role's entitlements make (Assign Accounts); empty when it grants none. */
  accountTargets: AssignmentTarget[];
  /** Said to the sender and the logs, and noted on request.received (a start date in the past). */
  warnings?: string[];
  workstation?: WorkstationEntitlement;
  endAt?: string;
}

/** `$.request` of a hire that was not newer than the person's record: the joiner ends here (Ignored Stale). */
export interface IgnoredRequest {
  requestId: string;
  employeeId: string;
  ignored: { status: 'ignored'; why: 'stale'; detail: StaleReason };
}

export async function prepareRequest(deps: PrepareRequestDeps, input: PrepareRequestInput): Promise<PreparedRequest | IgnoredRequest> {
  const { event, executionId, executionName } = input;
  const { employee } = event;
  const requestId = executionName;
  if (employee.endDate !== undefined && employee.endDate < employee.startDate) {
    throw new ValidationError(`event.employee.endDate: ${employee.endDate} is before startDate ${employee.startDate}`);
  }
  const endAt = employee.endDate === undefined ? undefined : endOfDayUtc(employee.endDate);

  const existing = await deps.requests.get(requestId);
  if (existing && existing.executionId !== executionId) {
    throw new ConflictError(`requestId: request ${requestId} belongs to another execution`);
  }
  const pastStart = pastStartNote(employee.employeeId, employee.startDate, deps.clock.now());
  await deps.audit.append(receivedDraft(event, requestId, executionId, executionName, endAt, pastStart));
  // The catalogue refuses people no rule assigns: rejected here (Record Rejection audits it), nothing written.
  refuseUnassigned(employee);

  const record = existing ?? newRecord(deps, event, input);
  const workstation = singleWorkstation(record.entitlements, 'joiner');
  // The employee first: a hire that is not newer than what the person's item holds changes nothing.
  const upsert = await deps.employees.upsertHire({ employee, source: event.source, occurredAt: event.occurredAt, requestId, at: record.createdAt });
  if ('stale' in upsert) return ignoredHire(deps, input, upsert.stale);
  if (!existing) await deps.requests.put(record);
  await deps.audit.append(recordDecidedDraft(record));

  return {
    requestId,
    employeeId: employee.employeeId,
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

/** Ends the joiner `ignored: stale`: the audit says why, nothing else is written. */
async function ignoredHire(deps: PrepareRequestDeps, input: PrepareRequestInput, facts: AppliedFacts): Promise<IgnoredRequest> {
  const { event, executionId, executionName } = input;
  const why = staleHire(facts, event.occurredAt, executionName) ?? 'newer-applied';
  const appliedAt = facts.status === 'left' ? facts.statusOccurredAt : (facts.hrisOccurredAt ?? facts.statusOccurredAt);
  const ids = { requestId: executionName, executionId, executionName };
  await deps.audit.append(
    ignoredDraft({ requestType: 'joiner', subject: event.employee.employeeId, actor: { type: 'hris', id: event.source }, deliveryId: event.deliveryId, occurredAt: event.occurredAt, why, appliedAt, ids }),
  );
  return { requestId: executionName, employeeId: event.employee.employeeId, ignored: { status: 'ignored', why: 'stale', detail: why } };
}

/** Resolves the role and decides; throws for an unknown role or a missing approver. */
function newRecord(deps: PrepareRequestDeps, event: EmployeeHired, input: PrepareRequestInput): RequestRecord {
  const { employee } = event;
  const roleId = findRole(deps.catalogue, employee.role).id;
  const entitlements = resolveEntitlements(deps.catalogue, roleId).map((resolved) => findEntitlement(deps.catalogue, resolved.id));
  const decision = decide({ kind: 'joiner', subject: employee, entitlements });
  const { executionId, executionName } = input;
  return roleRequestRecord(deps.catalogue, { kind: 'joiner', employee, roleId, entitlements, decision, catalogueVersion: deps.catalogueVersion, createdAt: deps.clock.now().toISOString(), executionId, executionName });
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
