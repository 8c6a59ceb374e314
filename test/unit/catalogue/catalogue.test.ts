import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ConfigError, ValidationError } from '#lib/domain/shared/errors';
import { parseCatalogue } from '#lib/domain/catalogue/catalogue';
import { findEntitlement, resolveEntitlements, roleRisk } from '#lib/domain/catalogue/resolve';
import { maxTimeBoundMinutes } from '#lib/domain/catalogue/schema';
import { roleCatalogue } from '#lib/runtime/catalogue';
import { aCatalogueDocument, aGroup, thrownBy } from './factories.ts';

type Document = ReturnType<typeof aCatalogueDocument>;

/** Parses a broken copy of the sample document and returns the ConfigError message. */
function configErrorFor(breakIt: (doc: Document) => unknown): string {
  const doc = aCatalogueDocument();
  const replaced = breakIt(doc);
  const error = thrownBy(() => parseCatalogue(replaced === undefined ? doc : replaced));
  expect(error).toBeInstanceOf(ConfigError);
  return (error as ConfigError).message;
}

describe('the deployed role catalogue', () => {
  it('defines the five roles', () => {
    expect(roleCatalogue.roles.map((role) => role.id)).toEqual(['engineer', 'platform-engineer', 'data-scientist', 'sales', 'finance-admin']);
  });

  it.each([
    ['engineer', 'low'],
    ['platform-engineer', 'high'],
    ['data-scientist', 'high'],
    ['sales', 'low'],
    ['finance-admin', 'high'],
  ] as const)('rates %s as %s risk', (roleId, risk) => {
    expect(roleRisk(roleCatalogue, roleId)).toBe(risk);
  });

  it('resolves an engineer to birthright first, then the role, with provenance', () => {
    const resolved = resolveEntitlements(roleCatalogue, 'engineer');

    expect(resolved.map((entitlement) => [entitlement.id, entitlement.via])).toEqual([
      ['group:AllStaff', 'birthright'],
      ['group:Engineering', 'role'],
      ['group:ProdReadOnly', 'role'],
      ['workstation:dev-arm', 'role'],
    ]);
  });

  it('describes workstations with an instance type, an AMI SSM parameter and a data volume', () => {
    const workstation = findEntitlement(roleCatalogue, 'workstation:dev-arm');

    expect(workstation).toMatchObject({
      kind: 'workstation',
      instanceType: 'm7g.large',
      amiParameter: '/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-arm64',
      volumeSizeGiB: 100,
    });
  });

  it('reads maximum just-in-time durations in ISO-8601 or minutes, and absent as not requestable', () => {
    expect(maxTimeBoundMinutes(findEntitlement(roleCatalogue, 'group:ProdAdmin'))).toBe(240);
    expect(maxTimeBoundMinutes(findEntitlement(roleCatalogue, 'group:BillingAdmin'))).toBe(120);
    expect(maxTimeBoundMinutes(findEntitlement(roleCatalogue, 'group:Engineering'))).toBeUndefined();
  });
});

describe('resolveEntitlements', () => {
  it('lists an entitlement that is both birthright and in the role once, as birthright', () => {
    const doc = aCatalogueDocument();
    doc.roles[0]?.entitlements.unshift('group:AllStaff');

    const ids = resolveEntitlements(parseCatalogue(doc), 'engineer').map((entitlement) => `${entitlement.id}/${entitlement.via}`);

    expect(ids).toEqual(['group:AllStaff/birthright', 'group:Engineering/role', 'workstation:dev-arm/role']);
  });

  it('rejects an unknown role, naming it', () => {
    expect(() => resolveEntitlements(roleCatalogue, 'astronaut')).toThrow(ValidationError);
    expect(() => resolveEntitlements(roleCatalogue, 'astronaut')).toThrow(/unknown role 'astronaut'/);
  });

  it('rejects an unknown entitlement id, naming it', () => {
    expect(() => findEntitlement(roleCatalogue, 'group:Nope')).toThrow(/unknown entitlement 'group:Nope'/);
  });
});

describe('parseCatalogue', () => {
  it('accepts the sample document', () => {
    expect(parseCatalogue(aCatalogueDocument()).roles).toHaveLength(2);
  });

  it.each<[string, (doc: Document) => unknown, string]>([
    ['an unknown entitlement in a role', (doc) => void doc.roles[1]?.entitlements.push('group:Nope'), "roles[1].entitlements[2]: unknown entitlement id 'group:Nope'"],
    ['an unknown birthright entitlement', (doc) => void doc.birthright.push('group:Ghost'), "birthright[1]: unknown entitlement id 'group:Ghost'"],
    ['a duplicate entitlement id', (doc) => void doc.entitlements.push(aGroup('Engineering')), "entitlements[4].id: duplicate entitlement id 'group:Engineering'"],
    ['a duplicate role id', (doc) => void doc.roles.push({ id: 'engineer', displayName: 'Again', entitlements: [] }), "roles[2].id: duplicate role id 'engineer'"],
    ['an entitlement listed twice in a role', (doc) => void doc.roles[0]?.entitlements.push('group:Engineering'), "roles[0].entitlements[2]: duplicate entitlement id 'group:Engineering'"],
    ['an id that does not match the group name', (doc) => void (doc.entitlements[1] = { ...aGroup('Engineering'), id: 'group:Eng' }), "entitlements[1].id: id must be 'group:Engineering'"],
    ['a high-risk birthright', (doc) => void doc.birthright.push('group:ProdAdmin'), "birthright[1]: birthright entitlement 'group:ProdAdmin' must be low risk"],
    ['a misspelled field', (doc) => ({ ...doc, entitlements: [{ ...aGroup('AllStaff'), maxTimeBoundDurations: 'PT1H' }] }), 'entitlements[0]'],
    ['a month duration', (doc) => void (doc.entitlements[2] = { ...aGroup('ProdAdmin'), maxTimeBoundDuration: 'P1M' }), 'entitlements[2].maxTimeBoundDuration'],
    [
      'an AMI that is not an SSM parameter name',
      (doc) => ({ ...doc, entitlements: doc.entitlements.map((e) => (e.kind === 'workstation' ? { ...e, amiParameter: 'ami-0abc' } : e)) }),
      'entitlements[3].amiParameter: amiParameter must be an SSM parameter name',
    ],
    ['an unknown entitlement kind', (doc) => ({ ...doc, entitlements: [{ ...aGroup('AllStaff'), kind: 'bucket' }] }), 'entitlements[0].kind'],
    ['a bad owner email', (doc) => void (doc.entitlements[0] = aGroup('AllStaff', { ownerGroupEmail: 'it-access' })), 'entitlements[0].ownerGroupEmail'],
    ['a role id that is not kebab-case', (doc) => void (doc.roles[0] = { id: 'Engineer', displayName: 'E', entitlements: [] }), 'roles[0].id'],
    ['a missing version', (doc) => ({ ...doc, version: undefined }), 'version'],
    ['no document at all', () => null, '(root)'],
  ])('rejects %s, naming the field', (_what, breakIt, expected) => {
    expect(configErrorFor(breakIt)).toContain(expected);
  });

  it('keeps the zod error as the cause', () => {
    const error = thrownBy(() => parseCatalogue({ version: 2 }));

    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).name).toBe('ConfigError');
    expect((error as ConfigError).cause).toBeInstanceOf(z.ZodError);
  });
});
