import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { hirePace } from '#lib/domain/adoption/workflow';
import { parseCatalogue } from '#lib/domain/catalogue/catalogue';
import { joinerIdentityCalls } from '#lib/domain/provision/identity-calls';

/** Adoption paces its hires to the Identity Store rate: the wait after a batch of joiners. */

const catalogue = parseCatalogue(JSON.parse(readFileSync(join(import.meta.dirname, '../../../config/role-catalogue.json'), 'utf8')));
const hires = (role: string, n: number) => Array.from({ length: n }, () => ({ employee: { role } }));

describe('hire pacing', () => {
  it('counts a joiner\'s Identity Store calls from the catalogue: GetUserId, CreateUser and one membership per group', () => {
    const groups = (role: string) => catalogue.roles.find((r) => r.id === role)!.entitlements.concat(catalogue.birthright).filter((id) => id.startsWith('group:'));
    expect(joinerIdentityCalls(catalogue, 'sales')).toBe(2 + new Set(groups('sales')).size);
    expect(joinerIdentityCalls(catalogue, 'no-such-role')).toBe(0);
  });

  it('waits as long as the rate needs for the batch\'s calls, rounded up, and not at all for a batch without hires', () => {
    const pacing = { rate: 20, callsPerHire: (role: string) => joinerIdentityCalls(catalogue, role) };
    const perSales = joinerIdentityCalls(catalogue, 'sales');

    expect(hirePace(hires('sales', 100), pacing)).toBe(Math.ceil((100 * perSales) / 20));
    expect(hirePace(hires('sales', 1), { rate: 20, callsPerHire: () => 4 })).toBe(1);
    expect(hirePace([], pacing)).toBe(0);
  });
});
