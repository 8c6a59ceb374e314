import { ValidationError } from '#lib/domain/shared/errors';
import type { Employee, EmployeeEvent, HrisEmployee } from '#lib/domain/events/employee-events';
import type { HrisEvent } from '#lib/domain/hris/types';
import { assignRole, type AssignmentCatalogue } from './assignments.ts';
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

/** Nobody is assigned: no role from the HRIS, no rule matched. HTTP 400 at the webhook; nothing is published. */
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

export function assignEmployee(ref: VersionedCatalogue, employee: HrisEmployee): Employee {
  const attributes = attributesOf(employee);
  const assignment = assignRole(ref.catalogue, { role: employee.role, attributes });
  if (assignment.kind === 'none') {
    const read = Object.keys(attributes).sort().join(', ');
    const why =
      assignment.outcome === 'refused'
        ? `the catalogue (${ref.version}) refuses people no rule assigns`
        : `the catalogue (${ref.version}) says birthright-only, which is not provisioned yet (docs/catalogue.md)`;
    throw new NoRoleAssignedError(`employee ${employee.employeeId} has no role: the HRIS sent none and no assignment rule matches its attributes (${read}); ${why}`);
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

/** The audit detail of a request's role choice: `roleSource`, `assignmentRule`, `catalogueVersion` (absent for events from before ingest assigned roles). */
export function assignmentDetail(employee: Employee): { roleSource?: 'hris' | 'rule'; assignmentRule?: string; catalogueVersion?: string } {
  const assignment = employee.assignment;
  if (!assignment) return {};
  return {
    roleSource: assignment.source,
    ...(assignment.ruleId ? { assignmentRule: assignment.ruleId } : {}),
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
