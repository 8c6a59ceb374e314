import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { contextSchema, parseContext } from '../../infra/config.ts';
import { checkCatalogueText } from '../../functions/lib/domain/catalogue/load.ts';
import { createGatehouseApp, REPO_ROOT } from '../../infra/gatehouse.ts';
import { DEPLOY_CONTEXT } from './synth.ts';

const parse = (raw: Record<string, unknown>) => parseContext(raw, REPO_ROOT);

describe('CDK context', () => {
  it('has a default for every key, so a clean clone synthesises, and lists the placeholders it used', () => {
    const config = parse({});
    expect(config.provisionLeadHours).toBe(24);
    expect(config.approvalTimeoutSeconds).toBe(259_200);
    expect(config.approvalBaseUrl).toBeUndefined();
    expect(config.catalogue.roles.length).toBeGreaterThan(0);
    expect(config.placeholders.sort()).toEqual(['identityCenterInstanceArn', 'identityStoreId', 'operatorEmail', 'senderEmail', 'workstationSecurityGroupId', 'workstationSubnetId']);
  });

  it('keeps the defaults written in cdk.json equal to the schema defaults', () => {
    const cdkJson = JSON.parse(readFileSync(join(REPO_ROOT, 'cdk.json'), 'utf8')) as { app: string; context: Record<string, unknown> };
    expect(cdkJson.app).toBe('npx tsx infra/app.ts');
    expect({ ...parse(cdkJson.context), catalogue: undefined }).toEqual({ ...parse({}), catalogue: undefined });
  });

  it('accepts a deployment context and coerces numbers given as strings on the command line', () => {
    const config = parse({ ...DEPLOY_CONTEXT, provisionLeadHours: '48', approvalTimeoutSeconds: '3600' });
    expect(config.identityStoreId).toBe(DEPLOY_CONTEXT.identityStoreId);
    expect(config.provisionLeadHours).toBe(48);
    expect(config.approvalTimeoutSeconds).toBe(3600);
    expect(config.placeholders).toEqual([]);
    expect(parse({ ...DEPLOY_CONTEXT, endingSoonLead: 'PT1H' }).endingSoonLead).toBe('PT1H');
    expect(parse({}).endingSoonLead).toBe('PT15M');
  });

  it.each([
    ['identityStoreId', 'd-123', /context identityStoreId: must be an Identity Store id/],
    ['senderEmail', 'not-an-address', /context senderEmail: must be an e-mail address/],
    ['approvalBaseUrl', 'http://approvals.example.com', /context approvalBaseUrl: must be an https:\/\/ URL/],
    ['workstationSubnetId', 'sg-0123456789abcdef0', /context workstationSubnetId: must be a subnet id/],
    ['provisionLeadHours', 'soon', /context provisionLeadHours:/],
    ['approvalTimeoutSeconds', '10', /context approvalTimeoutSeconds:/],
    ['logRetentionDays', '42', /context logRetentionDays: must be one of/],
    ['account', '1234', /context account: must be a 12-digit AWS account id/],
    ['reconcileSchedule', 'every day', /context reconcileSchedule:/],
    ['notificationsOff', 'access-ready,acess-revoked', /context notificationsOff: unknown notification kind 'acess-revoked'/],
    ['notificationsOff', 'approval-needed', /context notificationsOff: 'approval-needed' cannot be switched off/],
    ['endingSoonLead', '15', /context endingSoonLead: "15" is not an ISO-8601 duration in W\/D\/H\/M/],
    ['endingSoonLead', 'PT30S', /context endingSoonLead: "PT30S" is not an ISO-8601 duration/],
    ['endingSoonLead', 'P2W', /context endingSoonLead: P2W is 20160 minutes; it must be from PT1M to P7D/],
    ['endingSoonLead', 'PT0M', /context endingSoonLead: PT0M is 0 minutes; it must be from PT1M to P7D/],
  ])('rejects a bad %s with a message naming the key', (key, value, message) => {
    expect(() => parse({ [key]: value })).toThrow(message);
  });

  it('names every bad key at once, and a key that differs only in case', () => {
    expect(() => parse({ identityStoreID: 'd-1234567890', senderEmail: 'x' })).toThrow(
      /context identityStoreID: unknown key, did you mean identityStoreId\?.*context senderEmail/,
    );
  });

  it('rejects a burst limit below the rate limit', () => {
    expect(() => parse({ apiRateLimit: 100, apiBurstLimit: 10 })).toThrow(/context apiBurstLimit/);
  });

  it('validates the catalogue file, naming the file and the JSON path that is wrong', () => {
    const dir = mkdtempSync(join(tmpdir(), 'gatehouse-catalogue-'));
    const file = join(dir, 'catalogue.json');
    writeFileSync(file, JSON.stringify({ version: 2, birthright: [], entitlements: [], roles: [] }));
    expect(() => parse({ catalogueFile: file })).toThrow(`context catalogueFile:\n  ${file}: $.version: `);
    expect(() => parse({ catalogueFile: join(dir, 'missing.json') })).toThrow(/context catalogueFile: cannot read/);
  });

  it('takes any valid catalogue (the functions load it from S3, not from their bundle) and its version id', () => {
    const config = parse({ catalogueFile: 'test/fixtures/catalogues/valid-small.json' });

    expect(config.catalogue.roles.map((role) => role.id)).toEqual(['engineer', 'designer']);
    expect(config.catalogueVersion).toMatch(/^cat-[0-9a-f]{16}$/);
    expect(config.catalogueFilePath).toBe(join(REPO_ROOT, 'test/fixtures/catalogues/valid-small.json'));
  });

  it('refuses at synth every broken catalogue that catalogue validate refuses, with the same path', () => {
    const dir = join(REPO_ROOT, 'test/fixtures/catalogues/broken');
    const files = readdirSync(dir);
    expect(files.length).toBeGreaterThanOrEqual(10);
    for (const name of files) {
      const file = `test/fixtures/catalogues/broken/${name}`;
      const check = checkCatalogueText(readFileSync(join(REPO_ROOT, file), 'utf8'));
      const issues = check.ok ? [] : check.issues;
      expect(issues.length, name).toBeGreaterThan(0);
      for (const issue of issues) expect(() => parse({ catalogueFile: file }), name).toThrow(`${file}: ${issue.path}: ${issue.message}`);
    }
  });

  it('fails the synth of the app itself with the key named', () => {
    expect(() => createGatehouseApp({ context: { identityStoreId: 'store-1' }, skipBundling: true })).toThrow(/context identityStoreId/);
  });

  it('documents every key in the schema in docs/deploy.md', () => {
    const docs = readFileSync(join(REPO_ROOT, 'docs/deploy.md'), 'utf8');
    for (const key of Object.keys(contextSchema.shape)) expect(docs, key).toContain(`\`${key}\``);
  });
});
