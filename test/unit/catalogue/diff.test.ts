import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { changesAccess, diffCatalogues } from '#lib/domain/catalogue/diff';
import { checkCatalogue } from '#lib/domain/catalogue/load';
import type { Catalogue } from '#lib/domain/catalogue/schema';
import { runCatalogueCli } from '../../../tools/catalogue-cli.ts';

const DIR = join(import.meta.dirname, '../../fixtures/catalogues');
const base = JSON.parse(readFileSync(join(DIR, 'valid-small.json'), 'utf8')) as Record<string, unknown> & {
  roles: { id: string; displayName: string; entitlements: string[] }[];
  assignments: { id: string; when: Record<string, unknown>; role: string }[];
};

function parsed(json: unknown): Catalogue {
  const check = checkCatalogue(json);
  if (!check.ok) throw new Error(JSON.stringify(check.issues));
  return check.catalogue;
}

/** The designer role gains Engineering and loses Design; the engineer role vanishes with its rule. */
function changed(): typeof base {
  return {
    ...base,
    roles: [{ id: 'designer', displayName: 'Designer', entitlements: ['group:Engineering'] }],
    assignments: base.assignments.filter((rule) => rule.role !== 'engineer'),
  };
}

describe('diffing two catalogue versions', () => {
  it('says per role what it gains and loses, and which roles and rules vanish', () => {
    const diff = diffCatalogues(parsed(base), parsed(changed()));

    expect(diff.rolesChanged).toEqual([{ roleId: 'designer', added: ['group:Engineering'], removed: ['group:Design'] }]);
    expect(diff.rolesRemoved).toEqual(['engineer']);
    expect(diff.rules).toEqual({ added: [], removed: ['engineers-by-title'], changed: [], reordered: false });
    expect(changesAccess(diff)).toBe(true);
  });

  it('applies a birthright change to every role', () => {
    const diff = diffCatalogues(parsed(base), parsed({ ...base, birthright: ['group:AllStaff', 'group:Design'] }));

    expect(diff.birthright).toEqual({ added: ['group:Design'], removed: [] });
    expect(diff.rolesChanged).toEqual([{ roleId: 'engineer', added: ['group:Design'], removed: [] }]);
  });

  it('sees no access change in a re-worded description or a new unassigned role', () => {
    const entitlements = (base.entitlements as { description: string }[]).map((e, i) => (i === 0 ? { ...e, description: 'Everyone.' } : e));
    const roles = [...base.roles, { id: 'writer', displayName: 'Writer', entitlements: ['group:Design'] }];
    const diff = diffCatalogues(parsed(base), parsed({ ...base, entitlements, roles }));

    expect(diff.entitlementsChanged).toEqual(['group:AllStaff']);
    expect(diff.rolesAdded).toEqual(['writer']);
    expect(changesAccess(diff)).toBe(false);
  });

  it('notices rules that swap places (first match wins)', () => {
    const diff = diffCatalogues(parsed(base), parsed({ ...base, assignments: [...base.assignments].reverse() }));

    expect(diff.rules.reordered).toBe(true);
    expect(changesAccess(diff)).toBe(true);
  });

  it('catalogue diff prints both versions and each role change', () => {
    const out: string[] = [];
    const files: Record<string, string> = { 'old.json': JSON.stringify(base), 'new.json': JSON.stringify(changed()) };
    const io = { stdout: (text: string) => out.push(text), stderr: (text: string) => out.push(text) };

    const code = runCatalogueCli(['diff', 'old.json', 'new.json'], io, { cwd: DIR, readFile: (path) => files[path] ?? '' });

    expect(code).toBe(0);
    expect(out.join('')).toMatch(/^cat-[0-9a-f]{16} -> cat-[0-9a-f]{16}\n/);
    expect(out.join('')).toContain('role designer: + group:Engineering  - group:Design\n');
    expect(out.join('')).toContain('roles removed (a finding for operators, nobody loses access by it): engineer\n');
    expect(out.join('')).toContain('access changes: applying it starts convergence\n');
  });
});
