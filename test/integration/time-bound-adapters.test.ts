import { DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TABLES } from '../../infra/spec/tables.ts';
import { localTableSpecs } from '../../local/tables.ts';
import { ConflictError } from '#lib/domain/shared/errors';
import { createEmployeeDirectory } from '#lib/adapters/dynamodb/employees/hire';
import { createEmployeeLookup } from '#lib/adapters/dynamodb/employees/lookup';
import { createTimeBoundGrants } from '#lib/adapters/dynamodb/grants';
import { createTimeBoundRequests } from '#lib/adapters/dynamodb/requests';
import { createTestTables, type TestTables } from '../support/dynamodb.ts';
import { hireEvent } from '../unit/joiner/fakes.ts';
import { requestRecord } from '../unit/approvals/fakes.ts';

/** The time-bound workflow's DynamoDB adapters against DynamoDB Local, tables as infra/spec/tables.ts describes them. */

type Name = 'employees' | 'requests' | 'grants';
let tables: TestTables<Name>;
let doc: DynamoDBDocumentClient;

beforeAll(async () => {
  const specs = localTableSpecs({ tablePrefix: '', frontDoorUrl: 'http://127.0.0.1' });
  const spec = (name: Name) => specs[TABLES.findIndex((table) => table.name === name)]!;
  tables = await createTestTables('time-bound', { employees: spec('employees'), requests: spec('requests'), grants: spec('grants') });
  doc = DynamoDBDocumentClient.from(tables.client, { marshallOptions: { removeUndefinedValues: true } });
});
afterAll(() => tables.drop());

describe('time-bound adapters against DynamoDB Local', () => {
  it('finds the employee the joiner wrote by e-mail, whatever its case, through the byEmail index', async () => {
    const directory = createEmployeeDirectory({ client: doc, tableName: tables.names.employees });
    const event = hireEvent({ employeeId: 'E-MIXED', email: 'Mixed.Case@Example.com' });
    await directory.upsertHire({ employee: event.employee, source: 'generic', occurredAt: event.occurredAt, requestId: 'r-1', at: event.occurredAt });
    const lookup = createEmployeeLookup({ client: doc, employeesTable: tables.names.employees, requestsTable: tables.names.requests });

    const found = await lookup.byEmail('mixed.case@EXAMPLE.com');

    expect(found).toMatchObject({ employeeId: 'E-MIXED', status: 'active', email: 'Mixed.Case@Example.com' });
    expect(await lookup.byEmail('nobody@example.com')).toBeUndefined();
  });

  it('fixes expiresAt on the first markGranted and ends a request once', async () => {
    const requests = createTimeBoundRequests({ client: doc, tableName: tables.names.requests });
    await doc.send(new PutCommand({ TableName: tables.names.requests, Item: requestRecord({ requestId: 'ar-1', kind: 'time-bound', employeeId: 'E1', executionId: 'exec-1', createdAt: '2026-03-02T08:00:00.000Z' }) }));

    const first = await requests.markGranted('ar-1', 'exec-1', '2026-03-02T08:00:01.000Z', '2026-03-02T09:00:01Z');
    const retry = await requests.markGranted('ar-1', 'exec-1', '2026-03-02T08:00:09.000Z', '2026-03-02T09:00:09Z');

    expect(retry).toEqual(first);
    expect(first).toEqual({ grantedAt: '2026-03-02T08:00:01.000Z', expiresAt: '2026-03-02T09:00:01Z' });
    await expect(requests.markGranted('ar-1', 'another-exec', 'x', 'y')).rejects.toBeInstanceOf(ConflictError);
    expect(await requests.markEnded('ar-1', '2026-03-02T08:30:00.000Z', 'revoked', 'e-eng@example.com')).toBe(true);
    expect(await requests.markEnded('ar-1', '2026-03-02T08:31:00.000Z', 'expired')).toBe(false);
    expect(await requests.get('ar-1')).toMatchObject({ status: 'ended', endReason: 'revoked', revokedBy: 'e-eng@example.com', expiresAt: '2026-03-02T09:00:01Z' });
  });

  it('reads a time-bound request through the one requests item schema: a stored item that no longer matches it is an error, not "not found"', async () => {
    const requests = createTimeBoundRequests({ client: doc, tableName: tables.names.requests });
    const broken: Record<string, unknown> = { ...requestRecord({ requestId: 'ar-broken', kind: 'time-bound' }) };
    delete broken.employeeDisplayName;
    await doc.send(new PutCommand({ TableName: tables.names.requests, Item: broken }));
    await doc.send(new PutCommand({ TableName: tables.names.requests, Item: requestRecord({ requestId: 'req-joiner', kind: 'joiner' }) }));

    await expect(requests.get('ar-broken')).rejects.toThrow(/ar-broken does not match the request schema/);
    expect(await requests.get('req-joiner')).toBeUndefined();
  });

  it('writes a time-bound grant once, reads role and time-bound grants as domain grants, and closes it once', async () => {
    const grants = createTimeBoundGrants({ client: doc, tableName: tables.names.grants });
    await doc.send(new PutCommand({ TableName: tables.names.grants, Item: { employeeId: 'E2', grantKey: 'group:ProdReadOnly#role#engineer', entitlementId: 'group:ProdReadOnly', source: 'role:engineer', status: 'active' } }));
    const item = {
      employeeId: 'E2',
      grantKey: 'group:ProdReadOnly#time-bound#ar-2',
      entitlementId: 'group:ProdReadOnly',
      source: 'time-bound:ar-2' as const,
      status: 'active' as const,
      grantedAt: '2026-03-02T08:00:00.000Z',
      expiresAt: '2026-03-02T09:00:00Z',
      requestId: 'ar-2',
      approvedBy: ['auto-approved'],
      userId: 'u-2',
      membershipId: 'm-2',
    };

    expect(await grants.putIfAbsent(item)).toBe(true);
    expect(await grants.putIfAbsent({ ...item, expiresAt: '2026-03-02T10:00:00Z' })).toBe(false);
    expect((await grants.list('E2')).map((stored) => stored.grant.source)).toEqual([
      { kind: 'role', roleId: 'engineer' },
      { kind: 'time-bound', requestId: 'ar-2', expiresAt: '2026-03-02T09:00:00Z' },
    ]);
    expect(await grants.close('E2', item.grantKey, 'expired', '2026-03-02T09:00:00.000Z', 'exec-r')).toBe(true);
    expect(await grants.close('E2', item.grantKey, 'revoked', '2026-03-02T09:00:01.000Z', 'exec-s')).toBe(false);
    expect((await grants.list('E2')).find((stored) => stored.grantKey === item.grantKey)).toMatchObject({ status: 'expired', revokedBy: 'exec-r', membershipId: 'm-2' });
  });

  it('moves a grant end once per extension (issue #17): a replay is `already`, a second extension against the old end, a passed end and an ended grant are refused', async () => {
    const grants = createTimeBoundGrants({ client: doc, tableName: tables.names.grants });
    const requests = createTimeBoundRequests({ client: doc, tableName: tables.names.requests });
    const key = 'group:ProdAdmin#time-bound#ar-x';
    await doc.send(new PutCommand({ TableName: tables.names.grants, Item: { employeeId: 'E9', grantKey: key, entitlementId: 'group:ProdAdmin', source: 'time-bound:ar-x', status: 'active', expiresAt: '2026-03-02T10:00:00Z', requestId: 'ar-x' } }));
    await doc.send(new PutCommand({ TableName: tables.names.requests, Item: { ...requestRecord({ requestId: 'ar-x', kind: 'time-bound', employeeId: 'E9' }), status: 'granted', expiresAt: '2026-03-02T10:00:00Z' } }));
    const change = { from: '2026-03-02T10:00:00Z', to: '2026-03-02T12:00:00Z', by: 'ex-1', now: '2026-03-02T09:59:59Z' };

    // The end must still be after now: at 10:00:00 exactly it has passed.
    expect(await grants.extend('E9', key, { ...change, now: '2026-03-02T10:00:00Z' })).toEqual({ result: 'refused', status: 'active', expiresAt: '2026-03-02T10:00:00Z' });
    expect(await grants.extend('E9', key, change)).toEqual({ result: 'extended' });
    expect(await grants.extend('E9', key, change)).toEqual({ result: 'already' });
    expect(await grants.extend('E9', key, { ...change, to: '2026-03-02T11:00:00Z', by: 'ex-2' })).toEqual({ result: 'refused', status: 'active', expiresAt: '2026-03-02T12:00:00Z' });
    expect(await requests.markExtended('ar-x', change)).toEqual({ result: 'extended' });
    expect(await requests.markExtended('ar-x', change)).toEqual({ result: 'already' });
    expect((await requests.get('ar-x'))?.expiresAt).toBe('2026-03-02T12:00:00Z');

    expect(await grants.close('E9', key, 'expired', '2026-03-02T12:00:00.000Z', 'ar-x-expiry')).toBe(true);
    const later = { from: '2026-03-02T12:00:00Z', to: '2026-03-02T13:00:00Z', by: 'ex-3', now: '2026-03-02T11:00:00Z' };
    expect(await grants.extend('E9', key, later)).toEqual({ result: 'refused', status: 'expired', expiresAt: '2026-03-02T12:00:00Z' });
    expect((await grants.list('E9')).map((g) => g.status)).toEqual(['expired']);
  });
});
