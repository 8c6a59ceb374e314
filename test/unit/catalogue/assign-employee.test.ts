import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ValidationError } from '#lib/domain/shared/errors';
import { assignEmployee, assignEvents, assignmentDetail, attributesOf, NoRoleAssignedError, refuseUnassigned, type VersionedCatalogue } from '#lib/domain/catalogue/assign-employee';
import { NO_ROLE } from '#lib/domain/catalogue/assignments';
import { checkCatalogueText } from '#lib/domain/catalogue/load';
import type { HrisEmployee } from '#lib/domain/events/employee-events';
import { thrownBy } from './factories.ts';

function fixture(name: string): VersionedCatalogue {
  const check = checkCatalogueText(readFileSync(join(import.meta.dirname, '../../fixtures/catalogues', name), 'utf8'));
  if (!check.ok) throw new Error(JSON.stringify(check.issues));
  return check;
}

const small = fixture('valid-small.json');
const refusing: VersionedCatalogue = { ...small, catalogue: { ...small.catalogue, unassigned: 'refuse' } };

const dana: HrisEmployee = {
  employeeId: 'E-2001',
  email: 'dana.design@example.com',
  firstName: 'Dana',
  lastName: 'Design',
  department: 'Design',
  employmentType: 'employee',
  startDate: '2026-03-02',
};

describe('assigning roles at ingest', () => {
  it('gives a person with department Design and no role the designer role, naming the rule and the catalogue version', () => {
    const employee = assignEmployee(small, dana);

    expect(employee.role).toBe('designer');
    expect(employee.assignment).toEqual({ source: 'rule', ruleId: 'designers-by-department', catalogueVersion: small.version });
  });

  it('reads the adapter attributes as well as the employee fields', () => {
    const engineer = { ...dana, department: 'Platform', attributes: { jobTitle: 'Backend Engineer' } };

    expect(attributesOf(engineer)).toEqual({ jobTitle: 'Backend Engineer', department: 'Platform', employmentType: 'employee' });
    expect(assignEmployee(small, engineer)).toMatchObject({ role: 'engineer', assignment: { source: 'rule', ruleId: 'engineers-by-title' } });
  });

  it('keeps a role the HRIS sent, recorded as the HRIS choice', () => {
    expect(assignEmployee(small, { ...dana, role: 'engineer' }).assignment).toEqual({ source: 'hris', catalogueVersion: small.version });
  });

  it('refuses an HRIS role the catalogue does not have', () => {
    expect(() => assignEmployee(small, { ...dana, role: 'pilot' })).toThrow(ValidationError);
  });

  it('gives somebody no rule assigns the no-role under birthright-only, audited as unassigned', () => {
    const birthrightOnly: VersionedCatalogue = { ...small, catalogue: { ...small.catalogue, unassigned: 'birthright-only' } };

    const employee = assignEmployee(birthrightOnly, { ...dana, department: 'Legal' });

    expect(employee.role).toBe(NO_ROLE);
    expect(employee.assignment).toEqual({ source: 'unassigned', outcome: 'birthright-only', catalogueVersion: small.version });
    expect(assignmentDetail(employee)).toEqual({ roleSource: 'unassigned', unassigned: 'birthright-only', catalogueVersion: small.version });
    expect(() => refuseUnassigned(employee)).not.toThrow();
  });

  it('marks somebody no rule assigns as refused under refuse; the workflow refuses them, naming the attributes read but not their values', () => {
    const employee = assignEmployee(refusing, { ...dana, department: 'Legal' });
    expect(employee.assignment).toEqual({ source: 'unassigned', outcome: 'refused', catalogueVersion: small.version });

    const error = thrownBy(() => refuseUnassigned(employee));

    expect(error).toBeInstanceOf(NoRoleAssignedError);
    expect((error as Error).message).toBe(
      `employee E-2001 has no role: the HRIS sent none and no assignment rule matches its attributes (department, employmentType); the catalogue (${small.version}) refuses people no rule assigns`,
    );
    expect((error as Error).message).not.toContain('Legal');
    expect(() => refuseUnassigned(assignEmployee(small, dana))).not.toThrow();
  });

  it('assigns hires and changes and leaves other events alone; an unassignable one carries the refusal to its workflow', () => {
    const envelope = { deliveryId: 'd-1', source: 'generic' as const, occurredAt: '2026-03-02T08:00:00.000Z' };
    const left = { type: 'employee.left' as const, ...envelope, employeeId: 'E-9', effectiveAt: envelope.occurredAt, immediate: false };

    const events = assignEvents(small, [{ type: 'employee.hired', ...envelope, employee: dana }, left]);

    expect(events).toEqual([{ type: 'employee.hired', ...envelope, employee: assignEmployee(small, dana) }, left]);
    const refused = assignEvents(refusing, [left, { type: 'employee.changed', ...envelope, employee: { ...dana, department: 'Legal' } }]);
    expect(refused.map((event) => (event.type === 'employee.changed' ? event.employee.assignment?.outcome : event.type))).toEqual(['employee.left', 'refused']);
  });
});
