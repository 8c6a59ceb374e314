import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DemoHris, hirePayload } from '../../local/demo/hris.ts';
import { finishedExecution } from '../../local/demo/run.ts';
import { REPO_ROOT } from '../../infra/gatehouse.ts';
import { loadCatalogue } from '../../functions/lib/domain/catalogue/load.ts';
import { convergenceCloud } from './support/convergence-cloud.ts';
import { employeeId, userNameOf } from './support/e2e-cloud.ts';

/**
 * Issue #13, convergence on the local cloud: 50 holders of `sales` are hired under the shipped
 * catalogue; a new version (sales grants Marketing instead of Sales) is deployed (the cloud, a
 * child process, boots on it: the functions load the catalogue at cold start, as after
 * `cdk deploy`). The first run revokes more than the guard's share: it changes nothing and
 * names the plan's fingerprint. The confirmed run meets 20 % Identity Store throttling and a
 * SIGKILL of the cloud in the middle (at the 20th Record Grants); the restarted cloud resumes it.
 * Every holder ends with exactly AllStaff + Marketing, one grant.applied (Marketing) and one
 * grant.revoked (Sales) each, chains intact, one user each.
 */

const HOLDERS = 50;
const MACHINE = 'catalogue-convergence';

const world = convergenceCloud('converge', { CONVERGENCE_SEGMENT_SIZE: '20' });
let shippedFile = '';
let changedFile = '';
let changedVersion = '';
const holders = Array.from({ length: HOLDERS }, () => employeeId('cv'));

async function writeCatalogues(): Promise<void> {
  const shipped = JSON.parse(await readFile(join(REPO_ROOT, 'config/role-catalogue.json'), 'utf8')) as { entitlements: object[]; roles: { id: string; entitlements: string[] }[] };
  shippedFile = join(world.dataDir, 'catalogue-v1.json');
  changedFile = join(world.dataDir, 'catalogue-v2.json');
  await writeFile(shippedFile, JSON.stringify(shipped));
  const changed = {
    ...shipped,
    entitlements: [...shipped.entitlements, { id: 'group:Marketing', kind: 'group', displayName: 'Marketing', description: 'Campaigns and the brand library.', risk: 'low', ownerGroupEmail: 'marketing-owners@example.com' }],
    roles: shipped.roles.map((role) => (role.id === 'sales' ? { ...role, entitlements: ['group:Marketing'] } : role)),
  };
  const text = JSON.stringify(changed, null, 2);
  await writeFile(changedFile, text);
  changedVersion = loadCatalogue(text, changedFile).version;
}

beforeAll(async () => {
  await world.setup();
  await writeCatalogues();
  await world.boot(shippedFile);
}, 120_000);

afterAll(() => world.teardown());

const converge = (name: string, confirm?: string) => world.converge(name, { catalogueVersion: changedVersion, ...(confirm ? { confirm } : {}) });

describe('catalogue convergence on the local cloud', () => {
  it('50 holders: guarded until confirmed, then under 20 % throttling and a SIGKILL mid-way, each ends with exactly the new access, once', { timeout: 900_000 }, async () => {
    const hris = new DemoHris(world.cloud.info.endpoints.frontdoor!);
    for (const id of holders) expect((await hris.post(hirePayload({ id, role: 'sales' }), `${id}-hire`)).status).toBe(202);
    for (const id of holders) expect((await finishedExecution(world.sfn, 'joiner', `generic-${id}-hire`, 180_000)).status).toBe('SUCCEEDED');
    const inspect = await import('../../local/demo/inspect.ts');
    const audit = await import('../../functions/lib/adapters/dynamodb/audit.ts');
    const { DynamoDBClient } = await import('@aws-sdk/client-dynamodb');
    const before = await inspect.accessOf(holders[0]!, userNameOf(holders[0]!));
    expect(before.groups).toEqual(['AllStaff', 'Sales']);

    // The new version deployed; the guard (25 % by default) holds a plan revoking 50 of 100 role grants.
    await world.boot(changedFile);
    const guarded = await world.ended(await converge('guarded'), 120_000);
    expect(guarded.status).toBe('SUCCEEDED');
    const held = JSON.parse(guarded.output ?? '{}') as { status: string; fingerprint: string; totals: Record<string, number> };
    expect(held).toMatchObject({ status: 'needs-confirmation', totals: { employees: HOLDERS, changing: HOLDERS, additions: HOLDERS, revocations: HOLDERS, activeRoleGrants: 2 * HOLDERS } });
    expect(held.fingerprint).toMatch(/^[0-9a-f]{16}$/);
    expect((await inspect.accessOf(holders[7]!, userNameOf(holders[7]!))).groups).toEqual(['AllStaff', 'Sales']);

    // Confirmed, with 20 % of Identity Store calls throttled; the cloud kills itself as the 20th Record Grants starts.
    const faults = [{ service: 'identitystore', operation: '*', throttle: 0.2 }];
    await world.boot(changedFile, { faults, crashAt: `${MACHINE}/Segments/Record Grants#20` });
    const arn = await converge('confirmed', held.fingerprint);
    const crashed = await world.cloud.exited;
    expect(crashed.signal).toBe('SIGKILL');
    await world.boot(changedFile, { faults });
    const done = await world.ended(arn, 600_000);
    expect(done.status, done.cause ?? '').toBe('SUCCEEDED');
    const output = JSON.parse(done.output ?? '{}') as { status: string; counts: Record<string, number> };
    expect(output).toMatchObject({ status: 'converged', counts: { people: HOLDERS, converged: HOLDERS, failed: 0, added: HOLDERS, revoked: HOLDERS } });
    const control = (await (await fetch(`${world.cloud.info.endpoints.frontdoor}/_local/faults`)).json()) as { throttled: Record<string, number> };
    expect(Object.values(control.throttled).reduce((a, b) => a + b, 0)).toBeGreaterThan(0);
    // The inspection below reads the Identity Store itself: no more throttling for it.
    expect((await fetch(`${world.cloud.info.endpoints.frontdoor}/_local/faults`, { method: 'DELETE' })).status).toBe(200);

    const dynamo = new DynamoDBClient({});
    const store = audit.createAuditStore({ client: dynamo, tableName: process.env.AUDIT_TABLE_NAME ?? '', clock: { now: () => new Date() } });
    const wrong: string[] = [];
    for (const id of holders) {
      const access = await inspect.accessOf(id, userNameOf(id));
      const entries = await store.listBySubject(id);
      const count = (kind: string, entitlementId: string) => entries.filter((entry) => entry.kind === kind && entry.entitlementId === entitlementId).length;
      const seen = {
        users: access.users,
        groups: access.groups,
        activeGrants: access.activeGrants,
        applied: count('grant.applied', 'group:Marketing'),
        revoked: count('grant.revoked', 'group:Sales'),
        chain: access.auditChainOk,
      };
      const expected = { users: 1, groups: ['AllStaff', 'Marketing'], activeGrants: 2, applied: 1, revoked: 1, chain: true };
      if (JSON.stringify(seen) !== JSON.stringify(expected)) wrong.push(`${id}: ${JSON.stringify(seen)}`);
    }
    dynamo.destroy();
    expect(wrong).toEqual([]);
  });
});
