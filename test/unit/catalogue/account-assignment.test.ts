import { describe, expect, it } from 'vitest';
import { ConfigError } from '#lib/domain/shared/errors';
import { parseCatalogue } from '#lib/domain/catalogue/catalogue';
import { catalogueJsonSchema } from '#lib/domain/catalogue/json-schema';
import { aCatalogueDocument, anAccountAssignment, thrownBy } from './factories.ts';

/** The sample document with one account-assignment entitlement added (and used by its first role). */
function withAssignment(entitlement: unknown) {
  const doc = aCatalogueDocument();
  return { ...doc, entitlements: [...doc.entitlements, entitlement] };
}

function refusal(entitlement: unknown): string {
  const error = thrownBy(() => parseCatalogue(withAssignment(entitlement)));
  expect(error).toBeInstanceOf(ConfigError);
  return (error as ConfigError).message;
}

describe('entitlement kind account-assignment', () => {
  it('accepts a permission set by name on one account and by ARN on a list of accounts', () => {
    const byName = anAccountAssignment('ProdAdministrator');
    const byArn = anAccountAssignment('StagingReadOnly', {
      permissionSet: 'arn:aws:sso:::permissionSet/ssoins-0123456789abcdef/ps-0123456789abcdef',
      accountIds: ['111122223333', '444455556666'],
      risk: 'low',
    });
    const catalogue = parseCatalogue({ ...withAssignment(byName), entitlements: [...withAssignment(byName).entitlements, byArn] });
    expect(catalogue.entitlements.filter((e) => e.kind === 'account-assignment').map((e) => e.id)).toEqual([
      'account-assignment:ProdAdministrator',
      'account-assignment:StagingReadOnly',
    ]);
  });

  it('names the field of each mistake', () => {
    expect(refusal(anAccountAssignment('X', { id: 'account-assignment:Y' }))).toContain("id must be 'account-assignment:X'");
    expect(refusal(anAccountAssignment('X', { accountIds: ['12345'] }))).toMatch(/accountIds.*12 digits/s);
    expect(refusal(anAccountAssignment('X', { accountIds: [] }))).toContain('accountIds');
    expect(refusal(anAccountAssignment('X', { accountIds: ['111122223333', '111122223333'] }))).toContain('must not repeat');
    expect(refusal(anAccountAssignment('X', { permissionSet: 'arn:aws:sso:::permissionSet/nope' }))).toContain('permissionSet');
    expect(refusal({ ...anAccountAssignment('X'), principalType: 'GROUP' })).toContain('principalType');
  });

  it('is refused in a role or birthright (joiner and mover do not provision it yet)', () => {
    const doc = withAssignment(anAccountAssignment('ProdAdministrator'));
    const role = doc.roles[0];
    if (!role) throw new Error('the sample has a role');
    role.entitlements.push('account-assignment:ProdAdministrator');
    const error = thrownBy(() => parseCatalogue(doc));
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).message).toContain('requestable time-bound only');
  });

  it('is in the shipped JSON Schema', () => {
    expect(JSON.stringify(catalogueJsonSchema())).toContain('"account-assignment"');
  });
});
