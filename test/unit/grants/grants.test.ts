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
const jitA: GrantSource = { kind: 'jit', requestId: 'req-a', expiresAt: '2025-06-01T10:00:00Z' };
const jitB: GrantSource = { kind: 'jit', requestId: 'req-b', expiresAt: '2025-06-01T12:00:00Z' };
const grant = (entitlementId: string, source: GrantSource, employeeId = 'E1001'): Grant => ({ employeeId, entitlementId, source });
const ids = (entitlements: { id: string }[]) => entitlements.map((entitlement) => entitlement.id);

describe('grantKey', () => {
  it('names the entitlement and the source', () => {
    expect(grantKey('group:ProdAdmin', engineer)).toBe('group:ProdAdmin#role#engineer');
    expect(grantKey('group:ProdAdmin', jitA)).toBe('group:ProdAdmin#jit#req-a');
  });

  it('does not depend on when a JIT grant expires', () => {
    expect(grantKey('group:ProdAdmin', { ...jitA, expiresAt: '2030-01-01T00:00:00Z' })).toBe(grantKey('group:ProdAdmin', jitA));
  });

  it('refuses an entitlement id that would make the key ambiguous', () => {
    expect(() => grantKey('group:Odd#jit', engineer)).toThrow(ValidationError);
  });
});

describe('sameSource', () => {
  it('compares roles by id and JIT grants by request', () => {
    expect(sameSource(engineer, { kind: 'role', roleId: 'engineer' })).toBe(true);
    expect(sameSource(engineer, { kind: 'role', roleId: 'sales' })).toBe(false);
    expect(sameSource(jitA, { ...jitA, expiresAt: '2031-01-01T00:00:00Z' })).toBe(true);
    expect(sameSource(jitA, jitB)).toBe(false);
    expect(sameSource(engineer, jitA)).toBe(false);
  });
});

describe('grantSchema', () => {
  it('accepts a grant item and rejects a malformed JIT source', () => {
    expect(grantSchema.safeParse(grant('group:ProdAdmin', jitA)).success).toBe(true);
    expect(grantSchema.safeParse(grant('group:ProdAdmin', { ...jitA, expiresAt: 'tomorrow' })).success).toBe(false);
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

  it('never lets an expiring JIT grant remove what the role also grants', () => {
    const grants = [...asEngineer, grant('group:ProdReadOnly', jitA)];

    expect(entitlementsToRevoke(grants, jitA)).toEqual([]);
  });

  it('removes JIT-only access when its grant ends', () => {
    const grants = [...asEngineer, grant('group:ProdAdmin', jitA)];

    expect(entitlementsToRevoke(grants, jitA)).toEqual(['group:ProdAdmin']);
  });

  it('lets overlapping JIT grants keep the access until the last one ends', () => {
    const grants = [grant('group:ProdAdmin', jitA), grant('group:ProdAdmin', jitB)];

    expect(entitlementsToRevoke(grants, jitA)).toEqual([]);
    expect(entitlementsToRevoke(grants, jitB)).toEqual([]);
    expect(entitlementsToRevoke([grant('group:ProdAdmin', jitB)], jitB)).toEqual(['group:ProdAdmin']);
  });

  it('ignores grants that have already expired at the given time', () => {
    const grants = [grant('group:ProdAdmin', jitA), grant('group:ProdAdmin', jitB)];

    expect(entitlementsToRevoke(grants, jitB, new Date('2025-06-01T12:00:00Z'))).toEqual(['group:ProdAdmin']);
    expect(entitlementsToRevoke(grants, jitA, new Date('2025-06-01T11:59:59Z'))).toEqual([]);
  });

  it('keeps role access a JIT grant still justifies when the role ends', () => {
    const grants = [...asEngineer, grant('workstation:dev-arm', jitB)];

    expect(entitlementsToRevoke(grants, engineer)).toEqual(['group:AllStaff', 'group:Engineering', 'group:ProdReadOnly']);
  });

  it('revokes nothing for a source with no grants', () => {
    expect(entitlementsToRevoke(asEngineer, jitA)).toEqual([]);
  });

  it('refuses grants of several employees', () => {
    const grants = [grant('group:ProdAdmin', jitA), grant('group:ProdAdmin', jitB, 'E2002')];

    expect(() => entitlementsToRevoke(grants, jitA)).toThrow(/grants span several employees \(E1001, E2002\)/);
  });
});

describe('effectiveEntitlements', () => {
  it('is every entitlement some active grant justifies, sorted', () => {
    const grants = [grant('group:Sales', { kind: 'role', roleId: 'sales' }), grant('group:ProdAdmin', jitA), grant('group:AllStaff', jitB)];

    expect(effectiveEntitlements(grants)).toEqual(['group:AllStaff', 'group:ProdAdmin', 'group:Sales']);
    expect(effectiveEntitlements(grants, new Date('2025-06-01T11:00:00Z'))).toEqual(['group:AllStaff', 'group:Sales']);
  });
});
