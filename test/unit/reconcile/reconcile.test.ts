import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { auditDraftSchema } from '#lib/domain/audit/entry';
import { roleCatalogue } from '#lib/runtime/catalogue';
import {
  findDrift,
  toAuditDraft,
  type ActualState,
  type DesiredState,
  type EmployeeRecord,
  type IdentityUser,
} from '#lib/domain/reconcile/reconcile';
import { fingerprintOf, planRemoval } from '#lib/domain/reconcile/removal';

const AT = new Date('2026-11-22T05:00:00Z');

// ---- factories ---------------------------------------------------------------------------------

const anEmployee = (id: string, status: EmployeeRecord['status'] = 'active'): EmployeeRecord => ({ employeeId: id, email: `${id.toLowerCase()}@example.com`, status });
const aUser = (id: string, groups: string[] = []): IdentityUser => ({
  userId: `u-${id}`,
  userName: `${id.toLowerCase()}@example.com`,
  memberships: groups.map((displayName) => ({ membershipId: `m-${id}-${displayName}`, groupId: `g-${displayName}`, displayName })),
});
const engineerGrants = (id: string) =>
  ['group:AllStaff', 'group:Engineering', 'group:ProdReadOnly', 'workstation:dev-arm'].map((entitlementId) => ({ employeeId: id, entitlementId }));
const anInstance = (id: string, employeeId: string | undefined, state = 'running') => ({ id, employeeId, entitlementId: 'workstation:dev-arm', state });

/** One engineer with everything in place: no findings. */
function inPlace(): { desired: DesiredState; actual: ActualState } {
  return {
    desired: { employees: [anEmployee('E1')], grants: engineerGrants('E1') },
    actual: {
      users: [aUser('E1', ['AllStaff', 'Engineering', 'ProdReadOnly'])],
      instances: [anInstance('i-1', 'E1')],
      volumes: [{ id: 'vol-1', employeeId: 'E1', entitlementId: 'workstation:dev-arm', state: 'in-use' }],
    },
  };
}

describe('findDrift', () => {
  it('finds nothing when what exists is what was granted', () => {
    const { desired, actual } = inPlace();
    expect(findDrift(roleCatalogue, desired, actual, AT)).toEqual([]);
  });

  it('reports the user of an employee who left, and of an unknown user name, as orphans', () => {
    const { desired, actual } = inPlace();
    const findings = findDrift(
      roleCatalogue,
      { ...desired, employees: [...desired.employees, anEmployee('E2', 'left')] },
      { ...actual, users: [...actual.users, aUser('E2', ['AllStaff']), aUser('X9')] },
      AT,
    );
    expect(findings).toEqual([
      { kind: 'orphan-user', employeeId: 'E2', userId: 'u-E2', why: 'left' },
      { kind: 'orphan-user', employeeId: undefined, userId: 'u-X9', why: 'unknown' },
    ]);
  });

  it('reports a catalogue group membership no grant justifies, ignoring groups outside the catalogue', () => {
    const { desired, actual } = inPlace();
    const findings = findDrift(roleCatalogue, desired, { ...actual, users: [aUser('E1', ['AllStaff', 'Engineering', 'ProdReadOnly', 'ProdAdmin', 'Printers'])] }, AT);
    expect(findings).toEqual([
      { kind: 'unexpected-membership', employeeId: 'E1', userId: 'u-E1', membershipId: 'm-E1-ProdAdmin', entitlementId: 'group:ProdAdmin' },
    ]);
  });

  it('treats an expired time-bound grant as no grant', () => {
    const { desired, actual } = inPlace();
    const grants = [...desired.grants, { employeeId: 'E1', entitlementId: 'group:ProdAdmin', expiresAt: '2026-11-22T04:00:00Z' }];
    const users = [aUser('E1', ['AllStaff', 'Engineering', 'ProdReadOnly', 'ProdAdmin'])];
    expect(findDrift(roleCatalogue, { ...desired, grants }, { ...actual, users }, AT).map((finding) => finding.kind)).toEqual(['unexpected-membership']);
  });

  it('reports an active grant without its membership', () => {
    const { desired, actual } = inPlace();
    const findings = findDrift(roleCatalogue, desired, { ...actual, users: [aUser('E1', ['AllStaff', 'Engineering'])] }, AT);
    expect(findings).toEqual([{ kind: 'missing-membership', employeeId: 'E1', entitlementId: 'group:ProdReadOnly', userId: 'u-E1' }]);
  });

  it('reports managed instances and volumes no active workstation grant covers, but not terminated or deleted ones', () => {
    const { desired, actual } = inPlace();
    const findings = findDrift(
      roleCatalogue,
      desired,
      {
        ...actual,
        instances: [...actual.instances, anInstance('i-2', 'E7'), anInstance('i-3', undefined), anInstance('i-4', 'E7', 'terminated')],
        volumes: [...actual.volumes, { id: 'vol-2', employeeId: 'E7', state: 'available' }, { id: 'vol-3', employeeId: 'E7', state: 'deleted' }],
      },
      AT,
    );
    expect(findings).toEqual([
      { kind: 'untracked-instance', employeeId: 'E7', resourceId: 'i-2', entitlementId: 'workstation:dev-arm' },
      { kind: 'untracked-instance', employeeId: undefined, resourceId: 'i-3', entitlementId: 'workstation:dev-arm' },
      { kind: 'untracked-volume', employeeId: 'E7', resourceId: 'vol-2', entitlementId: undefined },
    ]);
  });
});

describe('findDrift, account assignments', () => {
  const ADMIN_ARN = 'arn:aws:sso:::permissionSet/ssoins-0123456789abcdef/ps-0123456789abcdef';
  const granted = [...engineerGrants('E1'), { employeeId: 'E1', entitlementId: 'account-assignment:ProdAdministrator' }];

  it('matches a held assignment to the grant by permission set name or ARN, and finds nothing when in place', () => {
    const { actual } = inPlace();
    const user = { ...aUser('E1', ['AllStaff', 'Engineering', 'ProdReadOnly']), assignments: [{ accountId: '111122223333', permissionSetArn: ADMIN_ARN, permissionSetName: 'AdministratorAccess' }] };
    expect(findDrift(roleCatalogue, { employees: [anEmployee('E1')], grants: granted }, { ...actual, users: [user] }, AT)).toEqual([]);
  });

  it('reports an assignment without a grant (naming the entitlement it looks like) and a grant without its assignment', () => {
    const { desired, actual } = inPlace();
    const user = { ...aUser('E1', ['AllStaff', 'Engineering', 'ProdReadOnly']), assignments: [{ accountId: '111122223333', permissionSetArn: ADMIN_ARN, permissionSetName: 'AdministratorAccess' }] };
    expect(findDrift(roleCatalogue, desired, { ...actual, users: [user] }, AT)).toEqual([
      { kind: 'unexpected-assignment', employeeId: 'E1', userId: 'u-E1', accountId: '111122223333', permissionSet: 'AdministratorAccess', entitlementId: 'account-assignment:ProdAdministrator' },
    ]);
    const bare = { ...user, assignments: [] };
    expect(findDrift(roleCatalogue, { ...desired, grants: granted }, { ...actual, users: [bare] }, AT)).toEqual([
      { kind: 'missing-assignment', employeeId: 'E1', userId: 'u-E1', entitlementId: 'account-assignment:ProdAdministrator', accountId: '111122223333', permissionSet: 'AdministratorAccess' },
    ]);
  });

  it('says nothing of assignments it did not read', () => {
    const { actual } = inPlace();
    expect(findDrift(roleCatalogue, { employees: [anEmployee('E1')], grants: granted }, actual, AT)).toEqual([]);
  });
});

describe('planRemoval', () => {
  const policy = { maxShare: 0.1 };
  const users = (n: number) => Array.from({ length: n }, (_, i) => aUser(`E${i}`));

  it('plans to delete the orphans, remove unjustified memberships and stop untracked instances when within the share', () => {
    const desired: DesiredState = { employees: Array.from({ length: 19 }, (_, i) => anEmployee(`E${i}`)), grants: [] };
    const actual: ActualState = { users: [...users(19).slice(1), aUser('E0', ['ProdAdmin']), aUser('E19')], instances: [anInstance('i-9', 'E77')], volumes: [] };
    const plan = planRemoval(findDrift(roleCatalogue, desired, actual, AT), desired, actual, policy);
    expect(plan.guard).toEqual({ outcome: 'passed' });
    expect(plan.actions).toEqual([
      { action: 'remove-membership', membershipId: 'm-E0-ProdAdmin', userId: 'u-E0', employeeId: 'E0', entitlementId: 'group:ProdAdmin' },
      { action: 'delete-user', userId: 'u-E19', why: 'unknown' },
      { action: 'stop-instance', instanceId: 'i-9', employeeId: 'E77', entitlementId: 'workstation:dev-arm' },
    ]);
    expect(plan.fingerprint).toBe(fingerprintOf(plan.actions));
    expect(plan.fingerprint).toMatch(/^[0-9a-f]{16}$/);
  });

  it('removes nothing and says why when the active roster is empty', () => {
    const desired: DesiredState = { employees: [anEmployee('E0', 'left')], grants: [] };
    const actual: ActualState = { users: users(1), instances: [], volumes: [] };
    const plan = planRemoval(findDrift(roleCatalogue, desired, actual, AT), desired, actual, policy);
    expect(plan.guard).toEqual({ outcome: 'blocked', reason: 'empty-roster', message: 'the active roster is empty: the source of truth may be broken, nothing is removed' });
  });

  it('removes nothing and says why when the orphans exceed the share', () => {
    const desired: DesiredState = { employees: Array.from({ length: 17 }, (_, i) => anEmployee(`E${i}`)), grants: [] };
    const actual: ActualState = { users: users(20), instances: [], volumes: [] };
    const plan = planRemoval(findDrift(roleCatalogue, desired, actual, AT), desired, actual, policy);
    expect(plan.guard).toEqual({ outcome: 'blocked', reason: 'over-share', message: 'removing 3 of 20 users exceeds the 10% limit (2): nothing is removed' });
    expect(plan.actions).toHaveLength(3);
  });

  it('never passes the guard with an empty roster (property)', () => {
    const user = fc.record({ userId: fc.uuid(), userName: fc.emailAddress(), memberships: fc.constant([]) });
    const employee = fc.record({ employeeId: fc.stringMatching(/^E[0-9]{1,4}$/), email: fc.emailAddress(), status: fc.constant('left' as const) });
    fc.assert(
      fc.property(fc.array(user, { maxLength: 30 }), fc.array(employee, { maxLength: 10 }), fc.double({ min: 0, max: 1, noNaN: true }), (us, leavers, maxShare) => {
        const desired: DesiredState = { employees: leavers, grants: [] };
        const actual: ActualState = { users: us, instances: [], volumes: [] };
        const plan = planRemoval(findDrift(roleCatalogue, desired, actual, AT), desired, actual, { maxShare });
        expect(plan.guard.outcome).toBe('blocked');
      }),
    );
  });
});

describe('toAuditDraft', () => {
  it('makes a valid reconciliation.finding draft keyed by run date and finding', () => {
    const draft = toAuditDraft({ kind: 'orphan-user', employeeId: undefined, userId: 'u-X9', why: 'unknown' }, '2026-11-22');
    expect(auditDraftSchema.parse(draft)).toMatchObject({
      kind: 'reconciliation.finding',
      subject: 'unknown',
      idempotencyKey: '2026-11-22/orphan-user/u-X9',
      detail: { finding: 'stale-grant', action: 'flagged', resourceId: 'u-X9' },
    });
    const membership = toAuditDraft({ kind: 'missing-membership', employeeId: 'E1', entitlementId: 'group:Sales' }, '2026-11-22');
    expect(auditDraftSchema.parse(membership)).toMatchObject({ subject: 'E1', entitlementId: 'group:Sales', detail: { finding: 'missing-grant' } });
  });
});
