import { ValidationError } from '#lib/domain/shared/errors';
import type { Employee, EmployeeEvent, HrisEmployee } from '#lib/domain/events/employee-events';
import type { HrisEvent } from '#lib/domain/hris/types';
import { assignRole, NO_ROLE, type AssignmentCatalogue } from './assignments.ts';
import type { EmployeeAttributes } from '#lib/domain/events/attributes';

/**
 * Ingest's half of role assignment: an HRIS employee (role optional, attributes) becomes the
 * Employee workflows see, with the role and how it was chosen (`assignment`: the HRIS or a rule,
 * and the catalogue version). Hires and changes alike, so a change of any attribute a rule
 * reads becomes a move.
 */
export interface VersionedCatalogue {
  readonly catalogue: AssignmentCatalogue;
  readonly version: string;
}

/**
 * Nobody is assigned (no role from the HRIS, no rule matched) and the catalogue says `refuse`: the
 * joiner or mover records the request as rejected (request.rejected, audited) and grants nothing.
 */
export class NoRoleAssignedError extends ValidationError {}

/** The attributes rules read: the normalised employee fields, then the adapter's `attributes`. */
export function attributesOf(employee: HrisEmployee): EmployeeAttributes {
  const fields: Record<string, string | undefined> = {
    department: employee.department,
    managerId: employee.managerId,
    employmentType: employee.employmentType,
  };
  const defined = Object.fromEntries(Object.entries(fields).filter((entry): entry is [string, string] => entry[1] !== undefined));
  return { ...employee.attributes, ...defined };
}

/**
 * The role and how it was chosen. No role from the HRIS and no matching rule is the audited
 * "no role" outcome, decided here with the catalogue's `unassigned`: the person gets NO_ROLE
 * (birthright only) with `assignment.outcome`, and a `refused` one is turned down by the workflow
 * (`refuseUnassigned`), so the HRIS gets its 202 and the refusal is in the person's audit chain.
 */
export function assignEmployee(ref: VersionedCatalogue, employee: HrisEmployee): Employee {
  const attributes = attributesOf(employee);
  const assignment = assignRole(ref.catalogue, { role: employee.role, attributes });
  if (assignment.kind === 'none') {
    return { ...employee, role: NO_ROLE, assignment: { source: 'unassigned', outcome: assignment.outcome, catalogueVersion: ref.version } };
  }
  return {
    ...employee,
    role: assignment.roleId,
    assignment: {
      source: assignment.source,
      ...(assignment.source === 'rule' ? { ruleId: assignment.ruleId } : {}),
      catalogueVersion: ref.version,
    },
  };
}

/** Throws NoRoleAssignedError for a person the catalogue refuses (no role, no rule, `unassigned: refuse`); names the attributes read, never their values. */
export function refuseUnassigned(employee: Employee): void {
  const assignment = employee.assignment;
  if (assignment?.source !== 'unassigned' || assignment.outcome !== 'refused') return;
  const read = Object.keys(attributesOf(employee)).sort().join(', ');
  throw new NoRoleAssignedError(
    `employee ${employee.employeeId} has no role: the HRIS sent none and no assignment rule matches its attributes (${read}); the catalogue (${assignment.catalogueVersion}) refuses people no rule assigns`,
  );
}

/** The audit detail of a request's role choice: `roleSource`, `assignmentRule` or `unassigned`, `catalogueVersion` (absent for events from before ingest assigned roles). */
export function assignmentDetail(employee: Employee): { roleSource?: 'hris' | 'rule' | 'unassigned'; assignmentRule?: string; unassigned?: 'birthright-only' | 'refused'; catalogueVersion?: string } {
  const assignment = employee.assignment;
  if (!assignment) return {};
  return {
    roleSource: assignment.source,
    ...(assignment.ruleId ? { assignmentRule: assignment.ruleId } : {}),
    ...(assignment.outcome ? { unassigned: assignment.outcome } : {}),
    catalogueVersion: assignment.catalogueVersion,
  };
}

/** Every hire and change with its role assigned; other events unchanged. Throws before returning anything. */
export function assignEvents(ref: VersionedCatalogue, events: readonly HrisEvent[]): EmployeeEvent[] {
  return events.map((event): EmployeeEvent => {
    if (event.type === 'employee.hired') return { ...event, employee: assignEmployee(ref, event.employee) };
    if (event.type === 'employee.changed') return { ...event, employee: assignEmployee(ref, event.employee) };
    return event;
  });
}
