import { DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, describe, expect, it } from 'vitest';
import { createGrantStore } from '#lib/adapters/dynamodb/grants';
import type { NewGrantItem } from '#lib/domain/grants/item';
import { createMoveStore } from '#lib/adapters/dynamodb/employees/move';
import type { TableSpec } from '../../infra/spec/tables.ts';
import type { LocalTableSpec } from '../../local/dynamodb-local.ts';
import { localTableSpecs } from '../../local/tables.ts';
import { createTestTables } from '../support/dynamodb.ts';

/** The mover's DynamoDB adapter against DynamoDB Local: conditional writes, consistent reads. */

const allSpecs = localTableSpecs({ tablePrefix: '', frontDoorUrl: '' });
const spec = (name: TableSpec['name']): LocalTableSpec => {
  const found = allSpecs.find((candidate) => candidate.create.TableName === name);
  if (!found) throw new Error(`no ${name} table`);
  return found;
};
const tables = await createTestTables('mover-store', { employees: spec('employees'), grants: spec('grants') });
const doc = DynamoDBDocumentClient.from(tables.client);
afterAll(() => tables.drop());

const store = createMoveStore({ client: doc, employeesTable: tables.names.employees, grantsTable: tables.names.grants });

const employee = (id: string, role: string) => ({
  employeeId: id,
  email: `${id.toLowerCase()}@example.com`,
  firstName: 'Sam',
  lastName: 'Mover',
  role,
  managerEmail: 'pat.manager@example.com',
  employmentType: 'employee' as const,
  startDate: '2025-01-06',
});

async function hired(id: string, status = 'active'): Promise<void> {
  await doc.send(
    new PutCommand({ TableName: tables.names.employees, Item: { employeeId: id, status, role: 'engineer', department: 'R&D', hrisOccurredAt: '2026-03-01T09:00:00.000Z' } }),
  );
}

const item = async (id: string) => (await doc.send(new GetCommand({ TableName: tables.names.employees, Key: { employeeId: id }, ConsistentRead: true }))).Item;

describe('move store: employees', () => {
  it('reads status, role and when the profile was written; an unknown person is undefined', async () => {
    await hired('MS-1');

    expect(await store.employee('MS-1')).toEqual({ status: 'active', role: 'engineer', hrisOccurredAt: '2026-03-01T09:00:00.000Z' });
    expect(await store.employee('MS-NOBODY')).toBeUndefined();
  });

  it('records a newer change (role and fields, absent optional fields removed) and refuses an older one', async () => {
    await hired('MS-2');

    const newer = await store.recordChange({ employee: employee('MS-2', 'sales'), occurredAt: '2026-04-01T09:00:00Z', requestId: 'dlv-2', at: '2026-04-01T09:00:01Z' });
    const older = await store.recordChange({ employee: employee('MS-2', 'finance-admin'), occurredAt: '2026-03-15T09:00:00Z', requestId: 'dlv-1', at: '2026-04-01T09:00:02Z' });

    expect([newer, older]).toEqual(['written', 'stale']);
    expect(await item('MS-2')).toMatchObject({ role: 'sales', lastRequestId: 'dlv-2', hrisOccurredAt: '2026-04-01T09:00:00.000Z', status: 'active' });
    expect((await item('MS-2'))?.department).toBeUndefined();
  });

  it('keeps a change of someone who left or whom Gatehouse does not know yet, merged per fact, and never touches the status (issue #11)', async () => {
    await hired('MS-3', 'left');
    const change = (id: string, occurredAt = '2026-04-01T09:00:00Z') => ({ employee: employee(id, 'sales'), occurredAt, requestId: 'dlv-3', at: '2026-04-01T09:00:01Z' });

    expect(await store.recordChange(change('MS-3'))).toBe('written');
    expect(await store.recordChange(change('MS-GHOST'))).toBe('written');
    expect(await store.recordChange(change('MS-GHOST', '2026-03-01T09:00:00Z'))).toBe('stale');

    expect(await item('MS-3')).toMatchObject({ role: 'sales', status: 'left' });
    const ghost = await item('MS-GHOST');
    expect(ghost).toMatchObject({ role: 'sales', factAt: { role: '2026-04-01T09:00:00.000Z' } });
    expect(ghost).not.toHaveProperty('status');
    expect(await store.employee('MS-GHOST')).not.toHaveProperty('status');
  });
});

describe('move store: grants', () => {
  it('lists only active grants, and closes a grant once: closed, then already (same execution), other (another)', async () => {
    const put = (grantKey: string, source: string, status = 'active') =>
      doc.send(new PutCommand({ TableName: tables.names.grants, Item: { employeeId: 'MS-4', grantKey, entitlementId: grantKey.split('#')[0], source, status } }));
    await put('group:Engineering#role#engineer', 'role:engineer');
    await put('group:ProdAdmin#time-bound#req-1', 'time-bound:req-1');
    await put('group:Finance#role#finance-admin', 'role:finance-admin', 'revoked');

    const listed = await store.activeGrants('MS-4');
    const outcomes = [
      await store.closeGrant('MS-4', 'group:Engineering#role#engineer', 'exec-1', '2026-04-01T10:00:00Z'),
      await store.closeGrant('MS-4', 'group:Engineering#role#engineer', 'exec-1', '2026-04-01T10:00:01Z'),
      await store.closeGrant('MS-4', 'group:Engineering#role#engineer', 'exec-2', '2026-04-01T10:00:02Z'),
      await store.closeGrant('MS-4', 'group:Missing#role#engineer', 'exec-1', '2026-04-01T10:00:03Z'),
    ];

    expect(listed.map((grant) => grant.grantKey).sort()).toEqual(['group:Engineering#role#engineer', 'group:ProdAdmin#time-bound#req-1']);
    expect(outcomes).toEqual(['closed', 'already', 'other', 'other']);
    expect((await store.activeGrants('MS-4')).map((grant) => grant.grantKey)).toEqual(['group:ProdAdmin#time-bound#req-1']);
    const closed = (await doc.send(new GetCommand({ TableName: tables.names.grants, Key: { employeeId: 'MS-4', grantKey: 'group:Engineering#role#engineer' } }))).Item;
    expect(closed).toMatchObject({ status: 'revoked', revokedBy: 'exec-1', revokedAt: '2026-04-01T10:00:00Z' });
  });
});

describe('grant store: a role held again (engineer -> sales -> engineer)', () => {
  it('replaces the grant an earlier request held and that was revoked since; a retry of either request changes nothing', async () => {
    const grants = createGrantStore({ client: doc, tableName: tables.names.grants });
    const key = { employeeId: 'MS-5', grantKey: 'group:Engineering#role#engineer' };
    const grant = (requestId: string, grantedAt: string): NewGrantItem => ({
      ...key,
      entitlementId: 'group:Engineering',
      source: 'role:engineer',
      status: 'active',
      grantedAt,
      requestId,
      approvedBy: ['auto-approved'],
      membershipId: `m-${requestId}`,
    });
    const read = async () => (await doc.send(new GetCommand({ TableName: tables.names.grants, Key: key, ConsistentRead: true }))).Item;

    const hired = await grants.putIfAbsent(grant('hire-1', '2026-04-01T09:00:00Z'));
    const hiredAgain = await grants.putIfAbsent(grant('hire-1', '2026-04-01T09:00:05Z'));
    await store.closeGrant('MS-5', key.grantKey, 'move-to-sales', '2026-04-02T09:00:00Z');
    const staleRetry = await grants.putIfAbsent(grant('hire-1', '2026-04-02T09:00:05Z'));
    const movedBack = await grants.putIfAbsent(grant('move-back', '2026-04-03T09:00:00Z'));
    const movedBackAgain = await grants.putIfAbsent(grant('move-back', '2026-04-03T09:00:05Z'));

    expect([hired, hiredAgain, staleRetry, movedBack, movedBackAgain]).toEqual([true, false, false, true, false]);
    expect(await read()).toEqual(grant('move-back', '2026-04-03T09:00:00Z'));
    expect((await store.activeGrants('MS-5')).map((active) => active.grantKey)).toEqual([key.grantKey]);
  });
});
