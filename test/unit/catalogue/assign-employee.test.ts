import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ValidationError } from '#lib/domain/shared/errors';
import { assignEmployee, assignEvents, attributesOf, NoRoleAssignedError, type VersionedCatalogue } from '#lib/domain/catalogue/assign-employee';
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

  it('refuses somebody no rule assigns, naming the attributes read but not their values', () => {
    const error = thrownBy(() => assignEmployee(refusing, { ...dana, department: 'Legal' }));

    expect(error).toBeInstanceOf(NoRoleAssignedError);
    expect((error as Error).message).toBe(
      `employee E-2001 has no role: the HRIS sent none and no assignment rule matches its attributes (department, employmentType); the catalogue (${small.version}) refuses people no rule assigns`,
    );
    expect((error as Error).message).not.toContain('Legal');
  });

  it('assigns hires and changes and leaves other events alone; one unassignable event publishes nothing', () => {
    const envelope = { deliveryId: 'd-1', source: 'generic' as const, occurredAt: '2026-03-02T08:00:00.000Z' };
    const left = { type: 'employee.left' as const, ...envelope, employeeId: 'E-9', effectiveAt: envelope.occurredAt, immediate: false };

    const events = assignEvents(small, [{ type: 'employee.hired', ...envelope, employee: dana }, left]);

    expect(events).toEqual([{ type: 'employee.hired', ...envelope, employee: assignEmployee(small, dana) }, left]);
    expect(() => assignEvents(refusing, [left, { type: 'employee.changed', ...envelope, employee: { ...dana, department: 'Legal' } }])).toThrow(NoRoleAssignedError);
  });
});
