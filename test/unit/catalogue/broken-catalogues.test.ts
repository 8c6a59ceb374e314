import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkCatalogueText, loadCatalogue, CatalogueInvalidError } from '#lib/domain/catalogue/load';
import { runCatalogueCli } from '../../../tools/catalogue-cli.ts';

const DIR = join(import.meta.dirname, '../../fixtures/catalogues');
const read = (file: string): string => readFileSync(join(DIR, file), 'utf8');

/** Each broken file and the one issue (JSON path + what is said) it must be refused with. */
const BROKEN: Record<string, { path: string; message: RegExp }> = {
  'unknown-entitlement.json': { path: '$.roles[1].entitlements[1]', message: /unknown entitlement id 'group:Marketing'/ },
  'duplicate-role-id.json': { path: '$.roles[2].id', message: /duplicate role id 'engineer'/ },
  'duplicate-entitlement-id.json': { path: '$.entitlements[5].id', message: /duplicate entitlement id 'group:Design'/ },
  'rule-unknown-role.json': { path: '$.assignments[1].role', message: /unknown role 'developer'/ },
  'reserved-group-name.json': { path: '$.entitlements[5].displayName', message: /'AWSAdministrators' is reserved by Identity Center/ },
  'group-name-refused.json': { path: '$.entitlements[5].displayName', message: /displayName must be 1-128 of/ },
  'unknown-attribute.json': { path: '$.assignments[0].when.dept', message: /unknown attribute "dept"/ },
  'rule-never-matches.json': { path: '$.assignments[1]', message: /'design-leads' can never match: assignments\[0\]/ },
  'high-risk-birthright.json': { path: '$.birthright[1]', message: /must be low risk/ },
  'time-bound-limit-in-months.json': { path: '$.entitlements[3].maxTimeBoundDuration', message: /ISO-8601 duration in W\/D\/H\/M/ },
  'empty-when.json': { path: '$.assignments[0].when', message: /at least one attribute/ },
  'unassigned-misspelt.json': { path: '$.unassigned', message: /birthright-only.*refuse/ },
  'not-json.json': { path: '$', message: /not JSON/ },
  'role-id-reserved.json': { path: '$.roles[2].id', message: /'no-role' is reserved for people no rule assigns/ },
};

describe('catalogue validation of broken files', () => {
  it('covers every file in the broken folder, and at least ten', () => {
    const files = readdirSync(join(DIR, 'broken')).sort();

    expect(files).toEqual(Object.keys(BROKEN).sort());
    expect(files.length).toBeGreaterThanOrEqual(10);
  });

  it('accepts the valid base every broken file was made from', () => {
    const check = checkCatalogueText(read('valid-small.json'));

    expect(check.ok).toBe(true);
  });

  it.each(Object.entries(BROKEN))('refuses %s with exactly its issue at its JSON path', (file, expected) => {
    const check = checkCatalogueText(read(`broken/${file}`));

    expect(check.ok).toBe(false);
    const issues = check.ok ? [] : check.issues;
    expect(issues).toHaveLength(1);
    expect(issues[0]?.path).toBe(expected.path);
    expect(issues[0]?.message).toMatch(expected.message);
  });

  it('names the source and every path in the error the functions and synth throw', () => {
    const error = (() => {
      try {
        loadCatalogue(read('broken/rule-unknown-role.json'), 'catalogues/broken.json');
      } catch (thrown) {
        return thrown;
      }
      return undefined;
    })();

    expect(error).toBeInstanceOf(CatalogueInvalidError);
    expect((error as CatalogueInvalidError).message).toBe(
      "role catalogue catalogues/broken.json is invalid: $.assignments[1].role: unknown role 'developer'",
    );
  });

  it('catalogue validate prints each file\'s issue with its path and exits 1; valid files print their version', () => {
    const out: string[] = [];
    const err: string[] = [];
    const io = { stdout: (text: string) => out.push(text), stderr: (text: string) => err.push(text) };

    const code = runCatalogueCli(['validate', 'valid-small.json', ...Object.keys(BROKEN).map((f) => `broken/${f}`)], io, { cwd: DIR });

    expect(code).toBe(1);
    expect(out.join('')).toMatch(/^valid-small\.json: valid, version cat-[0-9a-f]{16}, 2 roles, 2 rules\n$/);
    const lines = err.join('').trimEnd().split('\n');
    expect(lines).toHaveLength(Object.keys(BROKEN).length);
    for (const [file, expected] of Object.entries(BROKEN)) {
      expect(lines).toContainEqual(expect.stringContaining(`broken/${file}: ${expected.path}: `));
    }
  });

  it('catalogue validate exits 0 when every file is valid and 2 without a file', () => {
    const io = { stdout: () => undefined, stderr: () => undefined };

    expect(runCatalogueCli(['validate', 'valid-small.json'], io, { cwd: DIR })).toBe(0);
    expect(runCatalogueCli(['validate'], io, { cwd: DIR })).toBe(2);
  });
});
