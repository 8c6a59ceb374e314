import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ValidationError } from '#lib/domain/shared/errors';
import { assignRole, type AssignmentCatalogue, type AssignmentRule } from '#lib/domain/catalogue/assignments';
import { thrownBy } from './factories.ts';

const rule = (id: string, when: AssignmentRule['when'], role: string): AssignmentRule => ({ id, when, role });

function aCatalogue(overrides: Partial<AssignmentCatalogue> = {}): AssignmentCatalogue {
  return {
    roles: [{ id: 'designer' }, { id: 'engineer' }, { id: 'platform-engineer' }],
    assignments: [
      rule('platform-by-title', { jobTitle: 'Site Reliability Engineer', department: ['Platform', 'Infrastructure'] }, 'platform-engineer'),
      rule('engineers-by-department', { department: ['Engineering', 'Platform'] }, 'engineer'),
      rule('designers-by-department', { department: 'Design' }, 'designer'),
      rule('contract-designers', { 'custom.guild': 'design', employmentType: 'contractor' }, 'designer'),
    ],
    unassigned: 'birthright-only',
    ...overrides,
  };
}

describe('assigning a role from HRIS attributes', () => {
  it('picks the first rule whose every attribute matches', () => {
    const assignment = assignRole(aCatalogue(), { attributes: { department: 'Platform', jobTitle: 'Site Reliability Engineer' } });

    expect(assignment).toEqual({ kind: 'role', roleId: 'platform-engineer', source: 'rule', ruleId: 'platform-by-title' });
  });

  it('falls through to a later rule when one attribute of an earlier rule differs', () => {
    const assignment = assignRole(aCatalogue(), { attributes: { department: 'Platform', jobTitle: 'Backend Engineer' } });

    expect(assignment).toEqual({ kind: 'role', roleId: 'engineer', source: 'rule', ruleId: 'engineers-by-department' });
  });

  it('matches any value of a list, and custom fields by their configured name', () => {
    expect(assignRole(aCatalogue(), { attributes: { department: 'Engineering' } })).toMatchObject({ ruleId: 'engineers-by-department' });
    expect(assignRole(aCatalogue(), { attributes: { 'custom.guild': 'design', employmentType: 'contractor' } })).toMatchObject({
      ruleId: 'contract-designers',
    });
  });

  it('compares values exactly after trimming (case matters, blanks are absent)', () => {
    expect(assignRole(aCatalogue(), { attributes: { department: '  Design ' } })).toMatchObject({ roleId: 'designer' });
    expect(assignRole(aCatalogue(), { attributes: { department: 'design' } })).toEqual({ kind: 'none', outcome: 'birthright-only' });
  });

  it('lets an explicit HRIS role win over every rule', () => {
    const assignment = assignRole(aCatalogue(), { role: 'engineer', attributes: { department: 'Design' } });

    expect(assignment).toEqual({ kind: 'role', roleId: 'engineer', source: 'hris' });
  });

  it('refuses an explicit role the catalogue does not have, naming it and the known roles', () => {
    const error = thrownBy(() => assignRole(aCatalogue(), { role: 'pilot', attributes: {} }));

    expect(error).toBeInstanceOf(ValidationError);
    expect((error as Error).message).toBe("role 'pilot' sent by the HRIS is not in the catalogue (roles: designer, engineer, platform-engineer)");
  });

  it('says "no role" the way the catalogue chose: birthright only, or refused', () => {
    const attributes = { department: 'Legal' };

    expect(assignRole(aCatalogue(), { attributes })).toEqual({ kind: 'none', outcome: 'birthright-only' });
    expect(assignRole(aCatalogue({ unassigned: 'refuse' }), { attributes })).toEqual({ kind: 'none', outcome: 'refused' });
  });

  it('never picks a rule that does not match, and always the first that does (property)', () => {
    const value = fc.constantFrom('Design', 'Engineering', 'Platform', 'Legal', 'Site Reliability Engineer', 'contractor', 'design');
    const attributes = fc.dictionary(fc.constantFrom('department', 'jobTitle', 'employmentType', 'custom.guild'), value);
    fc.assert(
      fc.property(attributes, (attrs) => {
        const catalogue = aCatalogue();
        const assignment = assignRole(catalogue, { attributes: attrs });
        const matches = catalogue.assignments.filter((r) =>
          Object.entries(r.when).every(([name, wanted]) => (typeof wanted === 'string' ? [wanted] : wanted).includes(attrs[name] ?? '\u0000')),
        );
        if (matches.length === 0) return assignment.kind === 'none';
        return assignment.kind === 'role' && assignment.source === 'rule' && assignment.ruleId === matches[0]?.id;
      }),
    );
  });
});
