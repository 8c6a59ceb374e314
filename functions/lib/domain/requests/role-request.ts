import { findRole } from '../catalogue/resolve.ts';
import type { Catalogue, Entitlement } from '../catalogue/schema.ts';
import { ValidationError } from '../shared/errors.ts';
import type { Employee } from '../events/employee-events.ts';
import type { PolicyDecision } from '../policy/schema.ts';
import type { RequestRecord } from './request-record.ts';

/** The request record of an HRIS role event (joiner, mover), and the one-workstation rule both keep. */

export type WorkstationEntitlement = Extract<Entitlement, { kind: 'workstation' }>;

export interface RoleRequestFacts {
  kind: 'joiner' | 'mover';
  employee: Employee;
  /** A role the catalogue knows (findRole throws ValidationError otherwise). */
  roleId: string;
  /** What would be granted: the role's entitlements (joiner) or what the new role adds (mover). */
  entitlements: Entitlement[];
  decision: PolicyDecision;
  /** The deployed catalogue's version id (domain/catalogue/version.ts). */
  catalogueVersion: string;
  /** A mover: the old role and what the move removes. */
  previousRole?: string;
  removes?: Entitlement[];
  createdAt: string;
  /** The request id is the execution name (the HRIS delivery id). */
  executionId: string;
  executionName: string;
}

export function roleRequestRecord(catalogue: Catalogue, facts: RoleRequestFacts): RequestRecord {
  const { employee } = facts;
  const role = findRole(catalogue, facts.roleId);
  return {
    requestId: facts.executionName,
    kind: facts.kind,
    employeeId: employee.employeeId,
    employeeDisplayName: `${employee.firstName} ${employee.lastName}`,
    role: role.id,
    roleDisplayName: role.displayName,
    catalogueVersion: facts.catalogueVersion,
    entitlements: facts.entitlements,
    startDate: employee.startDate,
    ...(employee.endDate ? { endDate: employee.endDate } : {}),
    ...(employee.department ? { department: employee.department } : {}),
    ...(facts.previousRole ? { previousRole: facts.previousRole } : {}),
    ...(facts.removes ? { removes: facts.removes } : {}),
    decision: facts.decision,
    createdAt: facts.createdAt,
    executionId: facts.executionId,
    executionName: facts.executionName,
  };
}

/** A role grants at most one workstation ("Launch Workstation" takes one profile). */
export function singleWorkstation(entitlements: readonly Entitlement[], who: 'joiner' | 'mover'): WorkstationEntitlement | undefined {
  const workstations = entitlements.filter((entitlement): entitlement is WorkstationEntitlement => entitlement.kind === 'workstation');
  if (workstations.length > 1) {
    const ids = workstations.map((entitlement) => entitlement.id).join(', ');
    throw new ValidationError(`event.employee.role: the role grants ${workstations.length} workstations (${ids}); a ${who} gets at most one`);
  }
  return workstations[0];
}
