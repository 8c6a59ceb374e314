import { describe, expect, it } from 'vitest';
import { roleCatalogue } from '#lib/runtime/catalogue';
import { roleGrants, type Grant, type GrantSource } from '#lib/domain/grants/grants';
import { planExpirySweep, planTimeBoundGrant, planLeave, planRevocation, planRoleChange } from '#lib/domain/grants/plan';

const timeBound: Extract<GrantSource, { kind: 'time-bound' }> = { kind: 'time-bound', requestId: 'req-1', expiresAt: '2025-06-01T10:00:00Z' };
const now = new Date('2025-06-01T09:00:00Z');
const keys = (grants: Grant[]) => grants.map((grant) => `${grant.entitlementId}@${grant.source.kind}`);

describe('planRoleChange', () => {
  it('provisions and records everything for a joiner', () => {
    const plan = planRoleChange(roleCatalogue, [], 'E1', 'sales', now);

    expect(plan).toEqual({
      provision: ['group:AllStaff', 'group:Sales'],
      put: roleGrants(roleCatalogue, 'E1', 'sales'),
      revoke: [],
      delete: [],
    });
  });

  it('for a mover, keeps birthright, and does not revoke what a time-bound grant still justifies', () => {
    const grants = [...roleGrants(roleCatalogue, 'E1', 'engineer'), { employeeId: 'E1', entitlementId: 'group:ProdReadOnly', source: timeBound }];

    const plan = planRoleChange(roleCatalogue, grants, 'E1', 'data-scientist', now);

    expect(plan.provision).toEqual(['group:DataScience', 'workstation:gpu']);
    expect(keys(plan.put)).toEqual(['group:AllStaff@role', 'group:DataScience@role', 'workstation:gpu@role']);
    expect(plan.revoke).toEqual(['group:Engineering', 'workstation:dev-arm']);
    expect(keys(plan.delete)).toEqual(['group:AllStaff@role', 'group:Engineering@role', 'group:ProdReadOnly@role', 'workstation:dev-arm@role']);
  });

  it('is a no-op once applied (and for a move to the same role)', () => {
    const grants = roleGrants(roleCatalogue, 'E1', 'engineer');

    expect(planRoleChange(roleCatalogue, grants, 'E1', 'engineer', now)).toEqual({ provision: [], put: [], revoke: [], delete: [] });
  });
});

describe('time-bound grants, revocations, sweeps and leavers', () => {
  const asSales = roleGrants(roleCatalogue, 'E1', 'sales');

  it('provisions only what the employee lacks, but records every time-bound grant', () => {
    const plan = planTimeBoundGrant(asSales, 'E1', ['group:Sales', 'group:ProdAdmin'], timeBound, now);

    expect(plan.provision).toEqual(['group:ProdAdmin']);
    expect(keys(plan.put)).toEqual(['group:Sales@time-bound', 'group:ProdAdmin@time-bound']);
  });

  it('revokes at expiry only what the role does not grant', () => {
    const grants = [...asSales, ...planTimeBoundGrant(asSales, 'E1', ['group:Sales', 'group:ProdAdmin'], timeBound).put];

    const plan = planRevocation(grants, timeBound, new Date('2025-06-01T10:00:00Z'));

    expect(plan.revoke).toEqual(['group:ProdAdmin']);
    expect(keys(plan.delete)).toEqual(['group:Sales@time-bound', 'group:ProdAdmin@time-bound']);
  });

  it('sweeps time-bound grants whose schedule was lost', () => {
    const grants = [...asSales, { employeeId: 'E1', entitlementId: 'group:ProdAdmin', source: timeBound }];

    expect(planExpirySweep(grants, now).revoke).toEqual([]);
    expect(planExpirySweep(grants, new Date('2025-06-01T10:00:01Z'))).toMatchObject({ revoke: ['group:ProdAdmin'], delete: [grants[2]] });
  });

  it('takes everything from a leaver', () => {
    const grants = [...asSales, { employeeId: 'E1', entitlementId: 'group:ProdAdmin', source: timeBound }];

    expect(planLeave(grants)).toEqual({ provision: [], put: [], revoke: ['group:AllStaff', 'group:Sales', 'group:ProdAdmin'], delete: grants });
  });
});
