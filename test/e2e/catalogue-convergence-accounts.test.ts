import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DescribePermissionSetCommand, ListAccountAssignmentsForPrincipalCommand, SSOAdminClient } from '@aws-sdk/client-sso-admin';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { approvalLink, decide } from '../../local/demo/approver.ts';
import { DemoHris, hirePayload } from '../../local/demo/hris.ts';
import { accessOf } from '../../local/demo/inspect.ts';
import { finishedExecution } from '../../local/demo/run.ts';
import { LOCAL_SSO_INSTANCE_ARN } from '../../local/function-env.ts';
import { REPO_ROOT } from '../../infra/gatehouse.ts';
import { createAuditStore } from '../../functions/lib/adapters/dynamodb/audit.ts';
import { loadCatalogue } from '../../functions/lib/domain/catalogue/load.ts';
import { convergenceCloud } from './support/convergence-cloud.ts';
import { employeeId, userNameOf } from './support/e2e-cloud.ts';

/**
 * Issue #13, convergence of account assignments and with approvals, on the local cloud: three
 * `sales` holders hired under the shipped catalogue. Version 2 gives sales the high-risk
 * ProdAdministrator account assignment (AdministratorAccess on 111122223333): convergence asks each
 * holder's manager, then the entitlement's owner, and only then assigns it to the person's own user
 * (Assign Added Accounts, a Wait+check on the asynchronous CreateAccountAssignment) and records the
 * grant; one holder's manager denies, and that holder gets nothing. Version 3 (the shipped one
 * again) drops it: convergence removes the assignment of the two who hold it (no approval for a
 * removal) and closes their grants.
 */

const MANAGER = 'dana.lead@example.com';
const OWNER = 'platform-owners@example.com';
const PROD = '111122223333';
const ENTITLEMENT = 'account-assignment:ProdAdministrator';

// Removing one of three role grants each is a third of them: above the default guard, which the 50-holder test covers.
const world = convergenceCloud('converge-aa', { CONVERGENCE_MAX_REVOKE_SHARE: '0.5', ACCOUNT_ASSIGNMENT_POLL_SECONDS: '1' });
let sso: SSOAdminClient;
const files = { v1: '', v2: '' };
const versions = { v1: '', v2: '' };
const holders = Array.from({ length: 3 }, () => employeeId('cva'));

async function writeCatalogues(): Promise<void> {
  const text = await readFile(join(REPO_ROOT, 'config/role-catalogue.json'), 'utf8');
  const shipped = JSON.parse(text) as { roles: { id: string; entitlements: string[] }[] };
  files.v1 = join(world.dataDir, 'catalogue-v1.json');
  files.v2 = join(world.dataDir, 'catalogue-v2.json');
  await writeFile(files.v1, text);
  const changed = JSON.stringify({ ...shipped, roles: shipped.roles.map((role) => (role.id === 'sales' ? { ...role, entitlements: [...role.entitlements, ENTITLEMENT] } : role)) });
  await writeFile(files.v2, changed);
  versions.v1 = loadCatalogue(text, files.v1).version;
  versions.v2 = loadCatalogue(changed, files.v2).version;
}

beforeAll(async () => {
  await world.setup();
  await writeCatalogues();
  await world.boot(files.v1);
  sso = new SSOAdminClient({});
}, 120_000);

afterAll(async () => {
  sso?.destroy();
  await world.teardown();
});

const converge = (name: string, catalogueVersion: string) => world.converge(name, { catalogueVersion });
const ended = (arn: string, timeoutMs: number) => world.ended(arn, timeoutMs, 250);

/** The permission set names the person's user holds on the production account, as Identity Center lists them. */
async function assignedOnProd(id: string): Promise<string[]> {
  const { userId } = await accessOf(id, userNameOf(id));
  if (!userId) return [];
  const { AccountAssignments = [] } = await sso.send(new ListAccountAssignmentsForPrincipalCommand({ InstanceArn: LOCAL_SSO_INSTANCE_ARN, PrincipalType: 'USER', PrincipalId: userId, Filter: { AccountId: PROD } }));
  const names = await Promise.all(
    AccountAssignments.map(async (a) => (await sso.send(new DescribePermissionSetCommand({ InstanceArn: LOCAL_SSO_INSTANCE_ARN, PermissionSetArn: a.PermissionSetArn }))).PermissionSet?.Name ?? ''),
  );
  return names.sort();
}

async function entriesOf(id: string, kind: string) {
  const client = new DynamoDBClient({});
  try {
    const all = await createAuditStore({ client, tableName: process.env.AUDIT_TABLE_NAME ?? '', clock: { now: () => new Date() } }).listBySubject(id);
    return all.filter((entry) => entry.kind === kind && entry.entitlementId === ENTITLEMENT);
  } finally {
    client.destroy();
  }
}

describe('catalogue convergence of account assignments, with approvals', () => {
  it('a role gaining a high-risk account assignment asks its approvers, then assigns it; a version dropping it removes it', { timeout: 240_000 }, async () => {
    const hris = new DemoHris(world.cloud.info.endpoints.frontdoor!);
    for (const id of holders) expect((await hris.post(hirePayload({ id, role: 'sales', managerEmail: MANAGER }), `${id}-hire`)).status).toBe(202);
    for (const id of holders) expect((await finishedExecution(world.sfn, 'joiner', `generic-${id}-hire`, 120_000)).status).toBe('SUCCEEDED');
    const [denied, ...approved] = holders as [string, ...string[]];

    // Version 2: every holder's addition is high risk, so each asks the manager, then the owner.
    await world.boot(files.v2);
    const adding = await converge('adds-prod-admin', versions.v2);
    // The holders are converged in any order: each answers its own approvals as its mails arrive.
    const answer = async (id: string, approvers: string[], decision: 'approve' | 'deny') => {
      for (const approver of approvers) expect((await decide(await approvalLink(world.sesEndpoint, approver, id, 90_000), decision, decision === 'deny' ? 'Not for sales' : '')).decisionStatus).toBe(303);
    };
    await Promise.all([...approved.map((id) => answer(id, [MANAGER, OWNER], 'approve')), answer(denied, [MANAGER], 'deny')]);
    const added = await ended(adding, 120_000);
    expect(added.status, added.cause ?? '').toBe('SUCCEEDED');
    expect(JSON.parse(added.output ?? '{}')).toMatchObject({ status: 'converged', counts: { people: 3, converged: 3, failed: 0, added: 2 } });
    for (const id of approved) {
      expect(await assignedOnProd(id)).toEqual(['AdministratorAccess']);
      const applied = await entriesOf(id, 'grant.applied');
      expect(applied.map((entry) => entry.detail)).toEqual([expect.objectContaining({ role: 'sales', catalogueVersion: versions.v2 })]);
    }
    expect(await assignedOnProd(denied)).toEqual([]);
    expect(await entriesOf(denied, 'grant.applied')).toEqual([]);

    // Version 3 (the shipped catalogue again): the assignment goes from the two who hold it, without asking anyone.
    await world.boot(files.v1);
    const removing = await ended(await converge('drops-prod-admin', versions.v1), 120_000);
    expect(removing.status, removing.cause ?? '').toBe('SUCCEEDED');
    expect(JSON.parse(removing.output ?? '{}')).toMatchObject({ status: 'converged', counts: { people: 2, converged: 2, failed: 0, revoked: 2 } });
    for (const id of approved) {
      expect(await assignedOnProd(id)).toEqual([]);
      const revoked = await entriesOf(id, 'grant.revoked');
      expect(revoked.map((entry) => entry.detail)).toEqual([expect.objectContaining({ trigger: 'catalogue', catalogueVersion: versions.v1 })]);
      const access = await accessOf(id, userNameOf(id));
      expect(access.groups).toEqual(['AllStaff', 'Sales']);
      expect(access.activeGrants).toBe(2);
      expect(access.auditChainOk).toBe(true);
    }
  });
});
