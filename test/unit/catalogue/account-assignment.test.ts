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

  it('may be granted by a role and, when low risk, by birthright (joiner, mover and leaver provision it)', () => {
    const doc = withAssignment(anAccountAssignment('ProdAdministrator'));
    const low = anAccountAssignment('StagingReadOnly', { risk: 'low', accountIds: ['444455556666'] });
    doc.entitlements.push(low);
    const role = doc.roles[0];
    if (!role) throw new Error('the sample has a role');
    role.entitlements.push('account-assignment:ProdAdministrator');
    doc.birthright.push('account-assignment:StagingReadOnly');
    const catalogue = parseCatalogue(doc);
    expect(catalogue.roles[0]?.entitlements).toContain('account-assignment:ProdAdministrator');
    expect(catalogue.birthright).toContain('account-assignment:StagingReadOnly');

    doc.birthright.push('account-assignment:ProdAdministrator');
    expect(thrownBy(() => parseCatalogue(doc))).toMatchObject({ message: expect.stringContaining("birthright entitlement 'account-assignment:ProdAdministrator' must be low risk") as unknown });
  });

  it('names the JSON path of a bad account id and of a bad permission set ARN', () => {
    const doc = withAssignment(anAccountAssignment('X', { accountIds: ['111122223333', '12345678901a'], permissionSet: 'arn:aws:sso:::permissionSet/ssoins-0123456789abcdef/ps-short' }));
    const at = doc.entitlements.length - 1;
    const message = (thrownBy(() => parseCatalogue(doc)) as ConfigError).message;
    expect(message).toContain(`entitlements[${at}].accountIds[1]: an account id is 12 digits`);
    expect(message).toContain(`entitlements[${at}].permissionSet: permissionSet 'arn:aws:sso:::permissionSet/ssoins-0123456789abcdef/ps-short' is not a permission set ARN`);
  });

  it('takes an approver policy, and names the field of a bad one', () => {
    const withApproval = (approval: unknown) => ({ ...anAccountAssignment('X'), approval });
    const catalogue = parseCatalogue(withAssignment(withApproval({ approvers: ['sec@example.com', 'cto@example.com'], manager: false })));
    expect(catalogue.entitlements.at(-1)?.approval).toEqual({ approvers: ['sec@example.com', 'cto@example.com'], manager: false, always: false });
    expect(refusal(withApproval({ approvers: ['sec@example.com', 'SEC@example.com'] }))).toMatch(/approval\.approvers: approvers must not repeat/);
    expect(refusal(withApproval({ approvers: ['not-an-email'] }))).toMatch(/approval\.approvers\[0\]/);
    expect(refusal(withApproval({ count: 2 }))).toContain('approval');
  });

  it('takes a quorum (N of M, with manager and owners), and names what is wrong with a bad one', () => {
    const withApproval = (approval: unknown) => ({ ...anAccountAssignment('X'), approval });
    const quorum = { approvers: ['sec@example.com', 'owners', 'manager'], required: 2 };
    expect(parseCatalogue(withAssignment(withApproval({ quorum }))).entitlements.at(-1)?.approval).toEqual({ quorum, manager: true, always: false });
    expect(refusal(withApproval({ quorum, approvers: ['sec@example.com'] }))).toMatch(/approval\.quorum: give either approvers \(each must approve, in order\) or quorum \(any N of M\), not both/);
    expect(refusal(withApproval({ quorum: { ...quorum, required: 4 } }))).toMatch(/approval\.quorum\.required: required must be at most the number of approvers/);
    expect(refusal(withApproval({ quorum: { approvers: ['sec@example.com', 'security'], required: 1 } }))).toMatch(/approval\.quorum\.approvers\[1\]: a quorum approver is an e-mail address, "manager" or "owners"; got "security"/);
    expect(refusal(withApproval({ quorum: { approvers: ['Owners', 'owners'], required: 1 } }))).toMatch(/approval\.quorum\.approvers/);
  });

  it('may be marked break-glass for at most an hour', () => {
    const marked = (maxDuration: string) => ({ ...anAccountAssignment('X'), breakGlass: { maxDuration } });
    expect(parseCatalogue(withAssignment(marked('PT45M'))).entitlements.at(-1)?.breakGlass).toEqual({ maxDuration: 'PT45M' });
    expect(refusal(marked('PT2H'))).toMatch(/breakGlass\.maxDuration: maxDuration must be at most 60 minutes/);
  });

  it('is in the shipped JSON Schema', () => {
    expect(JSON.stringify(catalogueJsonSchema())).toContain('"account-assignment"');
  });
});
