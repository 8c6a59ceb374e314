import { describe, expect, it } from 'vitest';
import { verifyChain } from '#lib/domain/audit/chain';
import { ValidationError } from '#lib/domain/shared/errors';
import { recordGrants, type RecordGrantsInput } from '#lib/domain/joiner/record-grants';
import { FakeClock, MemoryAudit, MemoryGrants, executionIds } from './fakes.ts';

const identity = {
  userId: 'u-123',
  userCreated: true,
  memberships: [
    { entitlementId: 'group:AllStaff', groupId: 'g-1', membershipId: 'm-1' },
    { entitlementId: 'group:DataScience', groupId: 'g-2', membershipId: 'm-2' },
  ],
};

function input(overrides: Partial<RecordGrantsInput> = {}): RecordGrantsInput {
  return {
    requestId: executionIds.executionName,
    employeeId: 'E-1001',
    entitlements: [
      { id: 'group:AllStaff', kind: 'group' },
      { id: 'group:DataScience', kind: 'group' },
      { id: 'workstation:gpu', kind: 'workstation' },
    ],
    source: { kind: 'role', roleId: 'data-scientist' },
    catalogueVersion: 'cat-0123456789abcdef',
    results: {
      approvals: [{ approver: 'pat.manager@example.com' }, { approver: 'data-owners@example.com' }],
      identity,
      workstation: { entitlementId: 'workstation:gpu', instanceId: 'i-0123456789abcdef0', availabilityZone: 'us-east-1a' },
      storage: { entitlementId: 'workstation:gpu', volumeId: 'vol-0123456789abcdef0', device: '/dev/sdf' },
    },
    ...executionIds,
    ...overrides,
  };
}

function setup() {
  const clock = new FakeClock(new Date('2026-03-08T00:00:05.000Z'));
  const grants = new MemoryGrants();
  const audit = new MemoryAudit(clock);
  return { deps: { grants, audit, clock }, grants, audit };
}

describe('recordGrants', () => {
  it('writes one grant per entitlement with the resources that realise it and who approved it', async () => {
    const { deps, grants, audit } = setup();

    const result = await recordGrants(deps, input());

    expect(result).toEqual({
      recorded: 3,
      alreadyRecorded: 0,
      grantKeys: ['group:AllStaff#role#data-scientist', 'group:DataScience#role#data-scientist', 'workstation:gpu#role#data-scientist'],
    });
    expect(grants.items.get('E-1001/group:DataScience#role#data-scientist')).toEqual({
      employeeId: 'E-1001',
      grantKey: 'group:DataScience#role#data-scientist',
      entitlementId: 'group:DataScience',
      source: 'role:data-scientist',
      status: 'active',
      grantedAt: '2026-03-08T00:00:05.000Z',
      requestId: executionIds.executionName,
      approvedBy: ['pat.manager@example.com', 'data-owners@example.com'],
      userId: 'u-123',
      membershipId: 'm-2',
      catalogueVersion: 'cat-0123456789abcdef',
    });
    expect(grants.items.get('E-1001/workstation:gpu#role#data-scientist')).toMatchObject({
      instanceId: 'i-0123456789abcdef0',
      volumeId: 'vol-0123456789abcdef0',
    });
    expect(audit.entries.map((entry) => [entry.kind, entry.entitlementId, entry.detail])).toEqual([
      ['grant.applied', 'group:AllStaff', { basis: 'role', role: 'data-scientist', catalogueVersion: 'cat-0123456789abcdef', resourceId: 'm-1' }],
      ['grant.applied', 'group:DataScience', { basis: 'role', role: 'data-scientist', catalogueVersion: 'cat-0123456789abcdef', resourceId: 'm-2' }],
      ['grant.applied', 'workstation:gpu', { basis: 'role', role: 'data-scientist', catalogueVersion: 'cat-0123456789abcdef', resourceId: 'i-0123456789abcdef0' }],
    ]);
  });

  it('marks an auto-approved grant as such', async () => {
    const { deps, grants } = setup();

    await recordGrants(deps, input({ entitlements: [{ id: 'group:AllStaff', kind: 'group' }], results: { identity } }));

    expect(grants.items.get('E-1001/group:AllStaff#role#data-scientist')?.approvedBy).toEqual(['auto-approved']);
  });

  it('running twice writes each grant and audit entry once', async () => {
    const { deps, grants, audit } = setup();

    await recordGrants(deps, input());
    const again = await recordGrants(deps, input());

    expect(again).toMatchObject({ recorded: 0, alreadyRecorded: 3 });
    expect(grants.items.size).toBe(3);
    expect(audit.entries).toHaveLength(3);
    expect(verifyChain(audit.entries)).toEqual({ ok: true });
  });

  it('refuses to record a group grant without its membership', async () => {
    const { deps, grants } = setup();
    const partial = { ...identity, memberships: identity.memberships.slice(0, 1) };

    await expect(recordGrants(deps, input({ results: { identity: partial } }))).rejects.toThrow(ValidationError);
    await expect(recordGrants(deps, input({ results: { identity: partial } }))).rejects.toThrow(/no membership for group:DataScience/);
    expect([...grants.items.keys()]).toEqual(['E-1001/group:AllStaff#role#data-scientist']);
  });

  it('refuses to record a workstation grant without its instance', async () => {
    const { deps } = setup();

    await expect(recordGrants(deps, input({ results: { identity } }))).rejects.toThrow(/no instance for workstation:gpu/);
  });

  describe('account assignments', () => {
    const target = (accountId: string) => ({ entitlementId: 'account-assignment:ProdReadOnly', permissionSet: 'ReadOnlyAccess', accountId });
    const accounts = (status: 'succeeded' | 'in-progress' | 'failed') => ({
      state: status === 'succeeded' ? ('done' as const) : ('in-progress' as const),
      waitSeconds: 1,
      operations: [
        { target: target('111122223333'), action: 'create' as const, status: 'succeeded' as const },
        { target: target('444455556666'), action: 'create' as const, status },
      ],
    });
    const withAssignment = (results: RecordGrantsInput['results']) =>
      input({ entitlements: [{ id: 'group:AllStaff', kind: 'group' }, { id: 'account-assignment:ProdReadOnly', kind: 'account-assignment' }], results });

    it('records the grant on the user once every account of it is assigned', async () => {
      const { deps, grants, audit } = setup();

      await recordGrants(deps, withAssignment({ identity, accounts: accounts('succeeded') }));

      expect(grants.items.get('E-1001/account-assignment:ProdReadOnly#role#data-scientist')).toMatchObject({ userId: 'u-123', status: 'active', source: 'role:data-scientist' });
      expect(audit.entries.map((entry) => entry.entitlementId)).toEqual(['group:AllStaff', 'account-assignment:ProdReadOnly']);
    });

    it('refuses while one account is not assigned, naming it', async () => {
      const { deps, grants } = setup();

      await expect(recordGrants(deps, withAssignment({ identity, accounts: accounts('in-progress') }))).rejects.toThrow(
        'results.accounts: account-assignment:ProdReadOnly is not assigned (444455556666 in-progress); the grant cannot be recorded',
      );
      expect([...grants.items.keys()]).toEqual(['E-1001/group:AllStaff#role#data-scientist']);
    });

    it('records one held before this execution (no operation for it) on the user', async () => {
      const { deps, grants } = setup();

      await recordGrants(deps, withAssignment({ identity }));

      expect(grants.items.get('E-1001/account-assignment:ProdReadOnly#role#data-scientist')?.userId).toBe('u-123');
    });
  });
});
