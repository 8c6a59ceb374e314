import { describe, expect, it } from 'vitest';
import { roleCatalogue } from '#lib/runtime/catalogue';
import { parseCatalogue } from '#lib/domain/catalogue/catalogue';
import { closeRoleGrants, revocationPlan } from '#lib/domain/mover/revocation';
import { asGrants } from '#lib/domain/grants/grant-items';
import { FakeClock, MemoryAudit } from '../joiner/fakes.ts';
import { ENGINEER, MemoryMoveStore, MOVE_IDS } from './fakes.ts';

const AT = new Date('2026-04-01T10:00:00Z');
const ID = 'E-2001';

function engineerMovingTo(toRole: string, extra: (store: MemoryMoveStore) => void = () => undefined) {
  const store = new MemoryMoveStore();
  store.grantRole(ID, 'engineer', ENGINEER, { 'group:Engineering': { membershipId: 'm-eng' }, 'workstation:dev-arm': { instanceId: 'i-0123456789abcdef0' } });
  extra(store);
  return store;
}

describe('revocationPlan', () => {
  it('engineer -> data-scientist (new grants recorded): revokes the groups and workstation only the old role justified, keeps AllStaff', async () => {
    const store = engineerMovingTo('data-scientist', (s) => s.grantRole(ID, 'data-scientist', ['group:AllStaff', 'group:DataScience', 'workstation:gpu']));

    const plan = revocationPlan(roleCatalogue, await store.activeGrants(ID), { employeeId: ID, fromRole: 'engineer', toRole: 'data-scientist' }, AT);

    expect(plan).toEqual({
      fromRole: 'engineer',
      toRole: 'data-scientist',
      revoke: ['group:Engineering', 'group:ProdReadOnly', 'workstation:dev-arm'],
      groups: [
        { entitlementId: 'group:Engineering', displayName: 'Engineering', membershipIds: ['m-eng'] },
        { entitlementId: 'group:ProdReadOnly', displayName: 'ProdReadOnly', membershipIds: [] },
      ],
      workstations: ['workstation:dev-arm'],
      dropsWorkstation: true,
      accountTargets: [],
      stale: ENGINEER.map((id) => `${id}#role#engineer`),
    });
  });

  it("removes the old role's account assignments unless a grant that stays makes the same permission set on the same account", async () => {
    const assignment = (name: string, permissionSet: string, accountIds: string[]) => ({
      id: `account-assignment:${name}`, kind: 'account-assignment' as const, name, description: name, risk: 'low' as const, ownerGroupEmail: 'platform-owners@example.com', permissionSet, accountIds,
    });
    const catalogue = parseCatalogue({
      ...roleCatalogue,
      entitlements: [...roleCatalogue.entitlements, assignment('EngReadOnly', 'ReadOnlyAccess', ['111122223333', '444455556666']), assignment('SalesReadOnly', 'ReadOnlyAccess', ['444455556666'])],
      roles: roleCatalogue.roles.map((role) =>
        role.id === 'engineer' ? { ...role, entitlements: [...role.entitlements, 'account-assignment:EngReadOnly'] } : role.id === 'sales' ? { ...role, entitlements: [...role.entitlements, 'account-assignment:SalesReadOnly'] } : role,
      ),
    });
    const store = engineerMovingTo('sales', (s) => {
      s.grantRole(ID, 'engineer', ['account-assignment:EngReadOnly']);
      s.grantRole(ID, 'sales', ['group:AllStaff', 'group:Sales', 'account-assignment:SalesReadOnly']);
    });

    const plan = revocationPlan(catalogue, await store.activeGrants(ID), { employeeId: ID, fromRole: 'engineer', toRole: 'sales' }, AT);

    expect(plan.revoke).toContain('account-assignment:EngReadOnly');
    expect(plan.accountTargets).toEqual([{ entitlementId: 'account-assignment:EngReadOnly', permissionSet: 'ReadOnlyAccess', accountId: '111122223333' }]);
  });

  it('keeps an entitlement an active just-in-time grant still justifies, but closes its role grant', async () => {
    const store = engineerMovingTo('sales', (s) => {
      s.grantRole(ID, 'sales', ['group:AllStaff', 'group:Sales']);
      s.grants.push({ employeeId: ID, grantKey: 'group:ProdReadOnly#time-bound#req-7', entitlementId: 'group:ProdReadOnly', source: 'time-bound:req-7', status: 'active', expiresAt: '2026-04-01T12:00:00Z' });
    });

    const plan = revocationPlan(roleCatalogue, await store.activeGrants(ID), { employeeId: ID, fromRole: 'engineer', toRole: 'sales' }, AT);

    expect(plan.revoke).toEqual(['group:Engineering', 'workstation:dev-arm']);
    expect(plan.stale).toContain('group:ProdReadOnly#role#engineer');
    expect(plan.stale).not.toContain('group:ProdReadOnly#time-bound#req-7');
  });

  it('an expired just-in-time grant justifies nothing; a non-role source without expiry always does', () => {
    const grants = asGrants(ID, [
      { employeeId: ID, grantKey: 'a#time-bound#1', entitlementId: 'group:ProdAdmin', source: 'time-bound:1', status: 'active', expiresAt: '2026-04-01T09:00:00Z' },
      { employeeId: ID, grantKey: 'b#x#2', entitlementId: 'group:Finance', source: 'break-glass:2', status: 'active' },
    ]);

    expect(grants.map((grant) => grant.source)).toEqual([
      { kind: 'time-bound', requestId: 'time-bound:1', expiresAt: '2026-04-01T09:00:00Z' },
      { kind: 'time-bound', requestId: 'break-glass:2', expiresAt: '9999-12-31T23:59:59Z' },
    ]);
  });

  it('after a chain of moves, every role grant other than the current role is stale (no privilege creep)', async () => {
    const store = engineerMovingTo('sales', (s) => {
      s.grantRole(ID, 'data-scientist', ['group:AllStaff', 'group:DataScience', 'workstation:gpu']);
      s.grantRole(ID, 'sales', ['group:AllStaff', 'group:Sales']);
    });

    const plan = revocationPlan(roleCatalogue, await store.activeGrants(ID), { employeeId: ID, fromRole: 'data-scientist', toRole: 'sales' }, AT);

    expect([...plan.revoke].sort()).toEqual(['group:DataScience', 'group:Engineering', 'group:ProdReadOnly', 'workstation:dev-arm', 'workstation:gpu']);
    expect(plan.stale.every((key) => !key.endsWith('#role#sales'))).toBe(true);
    expect(plan.stale).toHaveLength(ENGINEER.length + 3);
  });
});

describe('closeRoleGrants', () => {
  it('audits grant.revoked per revoked entitlement (role A -> B), closes every stale item, and a rerun writes nothing twice', async () => {
    const clock = new FakeClock(AT);
    const audit = new MemoryAudit(clock);
    const store = engineerMovingTo('data-scientist', (s) => s.grantRole(ID, 'data-scientist', ['group:AllStaff', 'group:DataScience', 'workstation:gpu']));
    const plan = revocationPlan(roleCatalogue, await store.activeGrants(ID), { employeeId: ID, fromRole: 'engineer', toRole: 'data-scientist' }, AT);
    const deps = { catalogue: roleCatalogue, store, audit, clock };

    const first = await closeRoleGrants(deps, { employeeId: ID, action: 'close-grants', plan, ...MOVE_IDS });
    const second = await closeRoleGrants(deps, { employeeId: ID, action: 'close-grants', plan, ...MOVE_IDS });

    expect(first).toEqual({ revoked: plan.revoke, closed: 4, auditEntries: 3 });
    expect(second.closed).toBe(4);
    const revoked = audit.entries.filter((entry) => entry.kind === 'grant.revoked');
    expect(revoked.map((entry) => entry.entitlementId)).toEqual(['group:Engineering', 'group:ProdReadOnly', 'workstation:dev-arm']);
    expect(revoked[0]).toMatchObject({ reason: expect.stringContaining('role engineer -> data-scientist') as string, detail: { basis: 'role', trigger: 'mover', resourceId: 'm-eng' } });
    expect((await store.activeGrants(ID)).map((item) => item.source)).toEqual(['role:data-scientist', 'role:data-scientist', 'role:data-scientist']);
  });

  it('ends a role grant whose access a time-bound grant keeps: audited as such, membership not revoked', async () => {
    const clock = new FakeClock(AT);
    const audit = new MemoryAudit(clock);
    const store = engineerMovingTo('sales', (s) => {
      s.grantRole(ID, 'sales', ['group:AllStaff', 'group:Sales']);
      s.grants.push({ employeeId: ID, grantKey: 'group:ProdReadOnly#time-bound#req-7', entitlementId: 'group:ProdReadOnly', source: 'time-bound:req-7', status: 'active', expiresAt: '2026-04-01T12:00:00Z' });
    });
    const plan = revocationPlan(roleCatalogue, await store.activeGrants(ID), { employeeId: ID, fromRole: 'engineer', toRole: 'sales' }, AT);

    const result = await closeRoleGrants({ catalogue: roleCatalogue, store, audit, clock }, { employeeId: ID, action: 'close-grants', plan, ...MOVE_IDS });

    expect(result.auditEntries).toBe(3);
    const revoked = audit.entries.filter((entry) => entry.kind === 'grant.revoked');
    expect(revoked.map((entry) => [entry.entitlementId, entry.reason.includes('access kept')])).toEqual([
      ['group:Engineering', false],
      ['workstation:dev-arm', false],
      ['group:ProdReadOnly', true],
    ]);
    expect((await store.activeGrants(ID)).map((item) => item.grantKey).sort()).toEqual([
      'group:AllStaff#role#sales',
      'group:ProdReadOnly#time-bound#req-7',
      'group:Sales#role#sales',
    ]);
  });
});
