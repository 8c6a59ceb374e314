import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseCatalogue } from '#lib/domain/catalogue/catalogue';
import type { Catalogue } from '#lib/domain/catalogue/schema';
import { guardVerdict, planFingerprint, planLines } from '#lib/domain/convergence/guard';
import { personChange } from '#lib/domain/convergence/person';
import { summarise } from '#lib/domain/convergence/converge';
import type { GrantItem } from '#lib/domain/grants/item';
import { aGroup } from '../catalogue/factories.ts';

/** Catalogue convergence for one person (pure): what a new catalogue version adds and takes away. */

const AT = new Date('2026-05-01T10:00:00Z');
const shipped = JSON.parse(readFileSync(join(import.meta.dirname, '../../../config/role-catalogue.json'), 'utf8')) as Catalogue;

/** The shipped catalogue with sales granting Marketing instead of Sales. */
function salesToMarketing(): Catalogue {
  return parseCatalogue({
    ...shipped,
    entitlements: [...shipped.entitlements, aGroup('Marketing')],
    roles: shipped.roles.map((role) => (role.id === 'sales' ? { ...role, entitlements: ['group:Marketing'] } : role)),
  });
}

const item = (entitlementId: string, source: string, extra: Partial<GrantItem> = {}): GrantItem => ({
  employeeId: 'E1',
  grantKey: `${entitlementId}#${source.replace(':', '#')}`,
  entitlementId,
  source,
  status: 'active',
  ...extra,
});

const salesHolder = (): GrantItem[] => [item('group:AllStaff', 'role:sales', { membershipId: 'm-all' }), item('group:Sales', 'role:sales', { membershipId: 'm-sales' })];

describe('personChange', () => {
  it('a role that gains one group and loses another: adds the new one, revokes the old one by its membership, closes its grant', () => {
    const change = personChange(salesToMarketing(), { employeeId: 'E1', role: 'sales' }, salesHolder(), AT);
    expect(change.add.map((entitlement) => entitlement.id)).toEqual(['group:Marketing']);
    expect(change.revoke).toEqual([{ entitlementId: 'group:Sales', displayName: 'Sales', membershipIds: ['m-sales'] }]);
    expect(change.stale).toEqual(['group:Sales#role#sales']);
    expect(change.findings).toEqual([]);
  });

  it('nothing changes for a holder already converged, or for a role the change does not touch', () => {
    const converged = [item('group:AllStaff', 'role:sales'), item('group:Marketing', 'role:sales')];
    expect(personChange(salesToMarketing(), { employeeId: 'E1', role: 'sales' }, converged, AT)).toMatchObject({ add: [], revoke: [], stale: [] });
    const finance = [item('group:AllStaff', 'role:finance-admin'), item('group:Finance', 'role:finance-admin'), item('group:BillingAdmin', 'role:finance-admin')];
    expect(personChange(salesToMarketing(), { employeeId: 'E2', role: 'finance-admin' }, finance, AT)).toMatchObject({ add: [], revoke: [], stale: [] });
  });

  it('keeps access another active grant justifies: the role grant closes, the membership stays', () => {
    const items = [...salesHolder(), item('group:Sales', 'time-bound:req-1', { expiresAt: '2026-06-01T00:00:00Z' })];
    const change = personChange(salesToMarketing(), { employeeId: 'E1', role: 'sales' }, items, AT);
    expect(change.revoke).toEqual([]);
    expect(change.stale).toEqual(['group:Sales#role#sales']);
  });

  it('a group the catalogue dropped altogether is still revoked by the name in its grant id', () => {
    const catalogue = parseCatalogue({
      ...shipped,
      entitlements: shipped.entitlements.filter((entitlement) => entitlement.id !== 'group:Sales'),
      roles: shipped.roles.map((role) => (role.id === 'sales' ? { ...role, entitlements: [] } : role)),
    });
    const change = personChange(catalogue, { employeeId: 'E1', role: 'sales' }, salesHolder(), AT);
    expect(change.revoke).toEqual([{ entitlementId: 'group:Sales', displayName: 'Sales', membershipIds: ['m-sales'] }]);
  });

  it('a role the new catalogue does not know is a finding, and nobody loses anything by it', () => {
    const catalogue = parseCatalogue({ ...shipped, roles: shipped.roles.filter((role) => role.id !== 'sales'), assignments: shipped.assignments.filter((rule) => rule.role !== 'sales') });
    const change = personChange(catalogue, { employeeId: 'E1', role: 'sales' }, salesHolder(), AT);
    expect(change).toMatchObject({ add: [], revoke: [], stale: [], findings: [{ kind: 'role-missing', employeeId: 'E1', role: 'sales' }] });
  });

  it('a workstation the role now grants or drops is a finding, not a launch or a retirement', () => {
    const catalogue = parseCatalogue({ ...shipped, roles: shipped.roles.map((role) => (role.id === 'engineer' ? { ...role, entitlements: ['group:Engineering', 'group:ProdReadOnly', 'workstation:gpu'] } : role)) });
    const held = [item('group:AllStaff', 'role:engineer'), item('group:Engineering', 'role:engineer'), item('group:ProdReadOnly', 'role:engineer'), item('workstation:dev-arm', 'role:engineer', { instanceId: 'i-0123456789abcdef0' })];
    const change = personChange(catalogue, { employeeId: 'E3', role: 'engineer' }, held, AT);
    expect(change).toMatchObject({ add: [], revoke: [], stale: [] });
    expect(change.findings).toEqual([
      { kind: 'workstation-change', employeeId: 'E3', entitlementId: 'workstation:gpu', change: 'add' },
      { kind: 'workstation-change', employeeId: 'E3', entitlementId: 'workstation:dev-arm', change: 'remove' },
    ]);
  });

  it('an account assignment the role now grants is added with its targets; one it drops is removed unless a staying grant makes the same assignment', () => {
    const prodAdmin = shipped.entitlements.find((entitlement) => entitlement.kind === 'account-assignment');
    if (!prodAdmin) throw new Error('the shipped catalogue has an account assignment');
    const catalogue = parseCatalogue({ ...shipped, roles: shipped.roles.map((role) => (role.id === 'engineer' ? { ...role, entitlements: [...role.entitlements, prodAdmin.id] } : role)) });
    const held = [item('group:AllStaff', 'role:engineer'), item('group:Engineering', 'role:engineer'), item('group:ProdReadOnly', 'role:engineer'), item('workstation:dev-arm', 'role:engineer', { instanceId: 'i-0123456789abcdef0' })];
    const target = { entitlementId: prodAdmin.id, permissionSet: 'AdministratorAccess', accountId: '111122223333' };

    const gains = personChange(catalogue, { employeeId: 'E3', role: 'engineer' }, held, AT);
    expect(gains.add.map((entitlement) => entitlement.id)).toEqual([prodAdmin.id]);
    expect(gains.addTargets).toEqual([target]);
    expect(gains.findings).toEqual([]);

    const drops = personChange(shipped, { employeeId: 'E3', role: 'engineer' }, [...held, item(prodAdmin.id, 'role:engineer', { userId: 'u-3' })], AT);
    expect(drops).toMatchObject({ add: [], revoke: [], revokeAccounts: [prodAdmin.id], removeTargets: [target], stale: [`${prodAdmin.id}#role#engineer`], findings: [] });
    expect(planLines([drops])).toContain(`revoke E3 ${prodAdmin.id}`);

    // A time-bound grant of the same entitlement keeps the assignment: the role grant closes, nothing is removed.
    const kept = personChange(shipped, { employeeId: 'E3', role: 'engineer' }, [...held, item(prodAdmin.id, 'role:engineer'), item(prodAdmin.id, 'time-bound:req-9', { expiresAt: '2026-05-01T12:00:00Z' })], AT);
    expect(kept).toMatchObject({ revokeAccounts: [], removeTargets: [], stale: [`${prodAdmin.id}#role#engineer`] });
  });

  it('an account assignment the new catalogue no longer defines is a finding: its permission set and accounts are unknown', () => {
    const held = [item('group:AllStaff', 'role:engineer'), item('group:Engineering', 'role:engineer'), item('group:ProdReadOnly', 'role:engineer'), item('workstation:dev-arm', 'role:engineer', { instanceId: 'i-0123456789abcdef0' })];
    const change = personChange(shipped, { employeeId: 'E3', role: 'engineer' }, [...held, item('account-assignment:Gone', 'role:engineer')], AT);
    expect(change.findings).toEqual([{ kind: 'account-assignment-change', employeeId: 'E3', entitlementId: 'account-assignment:Gone', change: 'remove' }]);
    expect(change).toMatchObject({ revokeAccounts: [], removeTargets: [], stale: [] });
  });
});

describe('the convergence guard', () => {
  const totals = { employees: 10, changing: 10, additions: 10, revocations: 10, activeRoleGrants: 20 };
  const lines = planLines([personChange(salesToMarketing(), { employeeId: 'E1', role: 'sales' }, salesHolder(), AT)]);

  it('fingerprints the plan, order-independent, and per catalogue version', () => {
    expect(lines).toEqual(['grant E1 group:Marketing', 'revoke E1 group:Sales', 'close E1 group:Sales#role#sales']);
    expect(planFingerprint('cat-0000000000000001', lines)).toEqual(planFingerprint('cat-0000000000000001', [...lines].reverse()));
    expect(planFingerprint('cat-0000000000000001', lines)).not.toEqual(planFingerprint('cat-0000000000000002', lines));
  });

  it('blocks a plan that revokes more than the share, until it is confirmed by exactly its fingerprint', () => {
    const fingerprint = planFingerprint('cat-0000000000000001', lines);
    expect(guardVerdict(totals, 0.6, fingerprint, undefined)).toEqual({ outcome: 'passed', confirmed: false });
    const blocked = guardVerdict(totals, 0.25, fingerprint, undefined);
    expect(blocked.outcome).toBe('blocked');
    expect(blocked.outcome === 'blocked' ? blocked.message : '').toContain(`--confirm ${fingerprint}`);
    expect(guardVerdict(totals, 0.25, 'ffffffffffffffff', 'ffffffffffffffff').outcome).toBe('passed');
    expect(guardVerdict(totals, 0.25, fingerprint, '0123456789abcdef')).toMatchObject({ outcome: 'blocked' });
    expect(guardVerdict(totals, 0.25, fingerprint, fingerprint)).toEqual({ outcome: 'passed', confirmed: true });
  });
});

describe('summarise', () => {
  it('counts a segment, then sums segments', () => {
    const segment = summarise({
      action: 'summarise',
      outcomes: [
        { employeeId: 'E1', outcome: 'converged', added: 1, revoked: 1 },
        { employeeId: 'E2', outcome: 'unchanged' },
        { employeeId: 'E3', outcome: 'failed', error: 'TransientError' },
      ],
    });
    expect(segment).toEqual({ people: 3, converged: 1, unchanged: 1, failed: 1, added: 1, revoked: 1 });
    expect(summarise({ action: 'summarise', segments: [segment, segment] })).toEqual({ people: 6, converged: 2, unchanged: 2, failed: 2, added: 2, revoked: 2 });
  });
});
