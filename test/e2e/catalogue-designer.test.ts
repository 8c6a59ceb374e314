import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { createAuditStore } from '../../functions/lib/adapters/dynamodb/audit.ts';
import { HRIS_SECRET_PREFIX } from '../../local/function-env.ts';
import { signBambooHr, signHiBob, signStandardWebhook } from '../../local/hris-sender.ts';
import { accessOf } from '../../local/demo/inspect.ts';
import { REPO_ROOT } from '../../infra/gatehouse.ts';
import { employeeId, finishedJoiner, startE2eCloud, userNameOf, type E2eCloud } from './support/e2e-cloud.ts';

/**
 * Issue #13's first demonstration: a role that exists only in the operator's catalogue file. A
 * copy of the shipped catalogue gains `designer` (group Design) and the rule `department = Design`;
 * the local cloud boots on that copy (GATEHOUSE_CATALOGUE's option), and a person hired through the
 * generic, BambooHR and HiBob webhooks with department Design and no role ends with the Design
 * membership, the request's audit entry naming the rule and the catalogue version.
 */

const dir = mkdtempSync(join(tmpdir(), 'gatehouse-designer-'));
const catalogueFile = join(dir, 'catalogue.json');
const today = new Date().toISOString().slice(0, 10);
const ids = { generic: employeeId('dsg'), bamboohr: String(70_000 + Math.floor(Math.random() * 9_999)), hibob: `39${Date.now()}` };

function writeCatalogueCopy(): void {
  const shipped = JSON.parse(readFileSync(join(REPO_ROOT, 'config/role-catalogue.json'), 'utf8')) as Record<string, unknown[]>;
  const copy = {
    ...shipped,
    entitlements: [
      ...(shipped.entitlements ?? []),
      { id: 'group:Design', kind: 'group', displayName: 'Design', description: 'Design tools and the brand library.', risk: 'low', ownerGroupEmail: 'design-owners@example.com' },
    ],
    roles: [...(shipped.roles ?? []), { id: 'designer', displayName: 'Designer', entitlements: ['group:Design'] }],
    assignments: [{ id: 'designers-by-department', when: { department: 'Design' }, role: 'designer' }, ...(shipped.assignments ?? [])],
    unassigned: 'birthright-only',
  };
  writeFileSync(catalogueFile, JSON.stringify(copy, null, 2));
}

/** One HiBob person in Design with no Gatehouse role, in the local HRIS (HiBob webhooks are thin: the adapter reads Bob's People API). */
function addHiBobDesigner(cloud: E2eCloud): void {
  cloud.cloud.hris.people.put('hibob', {
    id: ids.hibob, email: `hb${ids.hibob}@example.com`, firstName: 'Hana', lastName: 'Bob', title: 'Product Designer', department: 'Design',
    employmentType: 'employee', startDate: today, managerEmail: 'dana.lead@example.com', status: 'active',
  });
}

let e2e: E2eCloud;
const secrets: Record<string, string> = {};

beforeAll(async () => {
  writeCatalogueCopy();
  e2e = await startE2eCloud('catalogue', { catalogueFile });
  addHiBobDesigner(e2e);
  const client = new SecretsManagerClient({});
  for (const source of ['generic', 'bamboohr', 'hibob']) {
    secrets[source] = (await client.send(new GetSecretValueCommand({ SecretId: `${HRIS_SECRET_PREFIX}${source}` }))).SecretString ?? '';
  }
  client.destroy();
});

afterAll(async () => {
  await e2e?.stop();
});

async function post(source: string, body: Buffer, headers: Record<string, string>): Promise<{ status: number; deliveryId: string }> {
  const res = await fetch(`${e2e.cloud.endpoints.frontdoor}/hris/${source}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
  const text = await res.text();
  if (res.status !== 202) return { status: res.status, deliveryId: text };
  return { status: res.status, deliveryId: (JSON.parse(text) as { deliveryId: string }).deliveryId };
}

const now = (): number => Math.floor(Date.now() / 1000);

const hires: Record<string, () => Promise<{ status: number; deliveryId: string; employeeId: string; userName: string }>> = {
  generic: async () => {
    const id = ids.generic;
    const body = Buffer.from(JSON.stringify({
      type: 'employee.hired',
      timestamp: new Date().toISOString(),
      data: { employeeId: id, email: userNameOf(id), firstName: 'Gene', lastName: 'Rick', department: 'Design', managerEmail: 'dana.lead@example.com', employmentType: 'employee', startDate: today },
    }));
    const posted = await post('generic', body, signStandardWebhook(body, secrets.generic ?? '', `${id}-hire`, now()));
    return { ...posted, employeeId: id, userName: userNameOf(id) };
  },
  bamboohr: async () => {
    const id = ids.bamboohr;
    const email = `bb${id}@example.com`;
    const fields = { 'First Name': 'Bam', 'Last Name': 'Boo', 'Work Email': email, Department: 'Design', 'Supervisor Email': 'dana.lead@example.com', 'Employment Status': 'Full-Time', Status: 'Active', 'Hire Date': today };
    const body = Buffer.from(JSON.stringify({ employees: [{ id, action: 'Created', timestamp: new Date().toISOString().replace(/\.\d{3}Z$/, '+0000'), changedFields: Object.keys(fields), fields }] }));
    const posted = await post('bamboohr', body, signBambooHr(body, secrets.bamboohr ?? '', now()));
    return { ...posted, employeeId: id, userName: email };
  },
  hibob: async () => {
    const id = ids.hibob;
    const body = Buffer.from(JSON.stringify({ id: `joined-${id}`, companyId: 636192, type: 'employee.joined', triggeredBy: 'system', triggeredAt: new Date().toISOString().slice(0, -1), version: 'v2', data: { employeeId: id } }));
    const posted = await post('hibob', body, signHiBob(body, secrets.hibob ?? ''));
    return { ...posted, employeeId: id, userName: `hb${id}@example.com` };
  },
};

describe.concurrent('a role that exists only in the catalogue file, assigned by a rule', () => {
  it.for(Object.keys(hires))('hires a designer through %s with department Design and no role', async (source, { expect }) => {
    const hire = await hires[source]!();

    expect(hire.status, hire.deliveryId).toBe(202);
    const execution = await finishedJoiner(e2e.sfn, hire.deliveryId);
    expect(execution.status).toBe('SUCCEEDED');
    const access = await accessOf(hire.employeeId, hire.userName);
    expect(access.groups).toEqual(['AllStaff', 'Design']);
    expect(access.activeGrants).toBe(2);
    expect(access.auditChainOk).toBe(true);
    const audit = await createAuditStore({ client: new DynamoDBClient({}), tableName: process.env.AUDIT_TABLE_NAME ?? '', clock: { now: () => new Date() } }).listBySubject(hire.employeeId);
    const received = audit.find((entry) => entry.kind === 'request.received');
    expect(received?.detail).toMatchObject({
      requestType: 'joiner',
      role: 'designer',
      roleSource: 'rule',
      assignmentRule: 'designers-by-department',
      catalogueVersion: e2e.cloud.catalogue.version,
    });
    const applied = audit.filter((entry) => entry.kind === 'grant.applied');
    expect(applied.map((entry) => [entry.entitlementId, entry.detail?.catalogueVersion])).toEqual([
      ['group:AllStaff', e2e.cloud.catalogue.version],
      ['group:Design', e2e.cloud.catalogue.version],
    ]);
  });

  it('hires somebody no rule assigns with the birthright alone (unassigned: birthright-only), audited as such', async ({ expect }) => {
    const id = employeeId('nob');
    const body = Buffer.from(JSON.stringify({
      type: 'employee.hired',
      timestamp: new Date().toISOString(),
      data: { employeeId: id, email: userNameOf(id), firstName: 'Nora', lastName: 'Rule', department: 'Legal', managerEmail: 'dana.lead@example.com', employmentType: 'employee', startDate: today },
    }));

    const posted = await post('generic', body, signStandardWebhook(body, secrets.generic ?? '', `${id}-hire`, now()));

    expect(posted.status, posted.deliveryId).toBe(202);
    expect((await finishedJoiner(e2e.sfn, posted.deliveryId)).status).toBe('SUCCEEDED');
    const access = await accessOf(id, userNameOf(id));
    expect(access.groups).toEqual(['AllStaff']);
    expect(access.activeGrants).toBe(1);
    const audit = await createAuditStore({ client: new DynamoDBClient({}), tableName: process.env.AUDIT_TABLE_NAME ?? '', clock: { now: () => new Date() } }).listBySubject(id);
    expect(audit.find((entry) => entry.kind === 'request.received')?.detail).toMatchObject({ role: 'no-role', roleSource: 'unassigned', unassigned: 'birthright-only', catalogueVersion: e2e.cloud.catalogue.version });
    expect(audit.filter((entry) => entry.kind === 'grant.applied').map((entry) => entry.detail)).toEqual([expect.objectContaining({ role: 'no-role', catalogueVersion: e2e.cloud.catalogue.version })]);
  });
});
