import { describe, expect, it } from 'vitest';
import { ValidationError } from '#lib/domain/shared/errors';
import { roleCatalogue } from '#lib/runtime/catalogue';
import {
  diffForMove,
  effectiveEntitlements,
  entitlementsToRevoke,
  grantKey,
  grantSchema,
  roleGrants,
  sameSource,
  type Grant,
  type GrantSource,
} from '#lib/domain/grants/grants';

const engineer: GrantSource = { kind: 'role', roleId: 'engineer' };
const timeBoundA: GrantSource = { kind: 'time-bound', requestId: 'req-a', expiresAt: '2025-06-01T10:00:00Z' };
const timeBoundB: GrantSource = { kind: 'time-bound', requestId: 'req-b', expiresAt: '2025-06-01T12:00:00Z' };
const grant = (entitlementId: string, source: GrantSource, employeeId = 'E1001'): Grant => ({ employeeId, entitlementId, source });
const ids = (entitlements: { id: string }[]) => entitlements.map((entitlement) => entitlement.id);

describe('grantKey', () => {
  it('names the entitlement and the source', () => {
    expect(grantKey('group:ProdAdmin', engineer)).toBe('group:ProdAdmin#role#engineer');
    expect(grantKey('group:ProdAdmin', timeBoundA)).toBe('group:ProdAdmin#time-bound#req-a');
  });

  it('does not depend on when a time-bound grant expires', () => {
    expect(grantKey('group:ProdAdmin', { ...timeBoundA, expiresAt: '2030-01-01T00:00:00Z' })).toBe(grantKey('group:ProdAdmin', timeBoundA));
  });

  it('refuses an entitlement id that would make the key ambiguous', () => {
    expect(() => grantKey('group:Odd#time-bound', engineer)).toThrow(ValidationError);
  });
});

describe('sameSource', () => {
  it('compares roles by id and time-bound grants by request', () => {
    expect(sameSource(engineer, { kind: 'role', roleId: 'engineer' })).toBe(true);
    expect(sameSource(engineer, { kind: 'role', roleId: 'sales' })).toBe(false);
    expect(sameSource(timeBoundA, { ...timeBoundA, expiresAt: '2031-01-01T00:00:00Z' })).toBe(true);
    expect(sameSource(timeBoundA, timeBoundB)).toBe(false);
    expect(sameSource(engineer, timeBoundA)).toBe(false);
  });
});

describe('grantSchema', () => {
  it('accepts a grant item and rejects a malformed time-bound source', () => {
    expect(grantSchema.safeParse(grant('group:ProdAdmin', timeBoundA)).success).toBe(true);
    expect(grantSchema.safeParse(grant('group:ProdAdmin', { ...timeBoundA, expiresAt: 'tomorrow' })).success).toBe(false);
    expect(grantSchema.safeParse(grant('ProdAdmin', engineer)).success).toBe(false);
  });
});

describe('diffForMove', () => {
  it('adds what the new role has, removes what only the old one had, keeps the rest', () => {
    const diff = diffForMove(roleCatalogue, 'engineer', 'data-scientist');

    expect({ add: ids(diff.add), remove: ids(diff.remove), keep: ids(diff.keep) }).toEqual({
      add: ['group:DataScience', 'workstation:gpu'],
      remove: ['group:Engineering', 'group:ProdReadOnly', 'workstation:dev-arm'],
      keep: ['group:AllStaff'],
    });
  });

  it('keeps everything when the role does not change', () => {
    const diff = diffForMove(roleCatalogue, 'sales', 'sales');

    expect([diff.add, diff.remove, ids(diff.keep)]).toEqual([[], [], ['group:AllStaff', 'group:Sales']]);
  });

  it('names an unknown role', () => {
    expect(() => diffForMove(roleCatalogue, 'engineer', 'wizard')).toThrow(/unknown role 'wizard'/);
  });
});

describe('entitlementsToRevoke', () => {
  const asEngineer = roleGrants(roleCatalogue, 'E1001', 'engineer');

  it('never lets an expiring time-bound grant remove what the role also grants', () => {
    const grants = [...asEngineer, grant('group:ProdReadOnly', timeBoundA)];

    expect(entitlementsToRevoke(grants, timeBoundA)).toEqual([]);
  });

  it('removes time-bound-only access when its grant ends', () => {
    const grants = [...asEngineer, grant('group:ProdAdmin', timeBoundA)];

    expect(entitlementsToRevoke(grants, timeBoundA)).toEqual(['group:ProdAdmin']);
  });

  it('lets overlapping time-bound grants keep the access until the last one ends', () => {
    const grants = [grant('group:ProdAdmin', timeBoundA), grant('group:ProdAdmin', timeBoundB)];

    expect(entitlementsToRevoke(grants, timeBoundA)).toEqual([]);
    expect(entitlementsToRevoke(grants, timeBoundB)).toEqual([]);
    expect(entitlementsToRevoke([grant('group:ProdAdmin', timeBoundB)], timeBoundB)).toEqual(['group:ProdAdmin']);
  });

  it('ignores grants that have already expired at the given time', () => {
    const grants = [grant('group:ProdAdmin', timeBoundA), grant('group:ProdAdmin', timeBoundB)];

    expect(entitlementsToRevoke(grants, timeBoundB, new Date('2025-06-01T12:00:00Z'))).toEqual(['group:ProdAdmin']);
    expect(entitlementsToRevoke(grants, timeBoundA, new Date('2025-06-01T11:59:59Z'))).toEqual([]);
  });

  it('keeps role access a time-bound grant still justifies when the role ends', () => {
    const grants = [...asEngineer, grant('workstation:dev-arm', timeBoundB)];

    expect(entitlementsToRevoke(grants, engineer)).toEqual(['group:AllStaff', 'group:Engineering', 'group:ProdReadOnly']);
  });

  it('revokes nothing for a source with no grants', () => {
    expect(entitlementsToRevoke(asEngineer, timeBoundA)).toEqual([]);
  });

  it('refuses grants of several employees', () => {
    const grants = [grant('group:ProdAdmin', timeBoundA), grant('group:ProdAdmin', timeBoundB, 'E2002')];

    expect(() => entitlementsToRevoke(grants, timeBoundA)).toThrow(/grants span several employees \(E1001, E2002\)/);
  });
});

describe('effectiveEntitlements', () => {
  it('is every entitlement some active grant justifies, sorted', () => {
    const grants = [grant('group:Sales', { kind: 'role', roleId: 'sales' }), grant('group:ProdAdmin', timeBoundA), grant('group:AllStaff', timeBoundB)];

    expect(effectiveEntitlements(grants)).toEqual(['group:AllStaff', 'group:ProdAdmin', 'group:Sales']);
    expect(effectiveEntitlements(grants, new Date('2025-06-01T11:00:00Z'))).toEqual(['group:AllStaff', 'group:Sales']);
  });
});
