import { DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, describe, expect, it } from 'vitest';
import { employeeSchema, type Employee } from '#lib/domain/events/employee-events';
import { createEmployeeDirectory } from '#lib/adapters/dynamodb/employees/hire';
import { createLeaveStore } from '#lib/adapters/dynamodb/employees/leave';
import { createMoveStore } from '#lib/adapters/dynamodb/employees/move';
import { createLeaveScheduleStore } from '#lib/adapters/aws/scheduler-leave';
import { decideLeave } from '#lib/domain/leaver/leave-timing';
import type { LocalTableSpec } from '../../local/dynamodb-local.ts';
import { localTableSpecs } from '../../local/tables.ts';
import { createTestTables } from '../support/dynamodb.ts';

/**
 * Per-person ordering on the employees table (issue #11), through the production adapters against
 * DynamoDB Local: the conditions that make "newer than applied" and "a leave is final against
 * anything older" one atomic write. Each case failed before the fix: upsertHire accepted an older
 * hire after a leave (status back to active) and a duplicate of the same instant under another
 * delivery id, and markLeft kept no event time.
 */

const employeesSpec = localTableSpecs({ tablePrefix: '', frontDoorUrl: '' }).find((spec) => spec.create.TableName === 'employees') as LocalTableSpec;
const tables = await createTestTables('person-ordering', { employees: employeesSpec });
const doc = DynamoDBDocumentClient.from(tables.client);
afterAll(() => tables.drop());

const employees = createEmployeeDirectory({ client: doc, tableName: tables.names.employees });
const leaves = createLeaveStore({ client: doc, employeesTable: tables.names.employees });
const moves = createMoveStore({ client: doc, employeesTable: tables.names.employees });
// Only the employee read is used here; a scheduler call would fail the test.
const schedulePorts = createLeaveScheduleStore({
  doc,
  employeesTable: tables.names.employees,
  scheduleGroup: 'unused',
  scheduler: { send: () => Promise.reject(new Error('the scheduler is not part of this test')) },
});

const T1 = '2026-03-01T09:00:00.000Z';
const T2 = '2026-03-02T09:00:00.000Z';
const T3 = '2026-03-03T09:00:00.000Z';
const T4 = '2026-03-04T09:00:00.000Z';
let counter = 0;

function person(): { employee: Employee; hire: (occurredAt: string, requestId: string) => ReturnType<typeof employees.upsertHire> } {
  counter += 1;
  const employee: Employee = employeeSchema.parse({
    employeeId: `E9${String(counter).padStart(4, '0')}`,
    email: `ordering.${counter}@example.com`,
    firstName: 'Ada',
    lastName: 'Ordering',
    role: 'sales',
    employmentType: 'employee',
    startDate: '2026-03-01',
  });
  return { employee, hire: (occurredAt, requestId) => employees.upsertHire({ employee, source: 'generic', occurredAt, requestId, at: occurredAt }) };
}

const item = async (employeeId: string) =>
  (await doc.send(new GetCommand({ TableName: tables.names.employees, Key: { employeeId }, ConsistentRead: true }))).Item;

describe('employees table: per-person ordering', () => {
  it('applies a hire once: a duplicate of the same instant under another delivery id is stale, a retry is not', async () => {
    const { employee, hire } = person();

    expect(await hire(T1, 'generic-a')).toMatchObject({ written: true });
    expect(await hire(T1, 'generic-a')).toMatchObject({ written: true });
    const duplicate = await hire(T1, 'generic-b');

    expect(duplicate).toEqual({ stale: 'newer-applied', appliedAt: T1 });
    expect(await item(employee.employeeId)).toMatchObject({ lastRequestId: 'generic-a', status: 'active' });
  });

  it('a leave is final against an older hire delivered late; a newer rehire brings the person back', async () => {
    const { employee, hire } = person();
    await hire(T1, 'generic-hire');
    expect(await leaves.markLeft(employee.employeeId, 'generic-leave', T3, T3)).toBe('marked');

    const late = await hire(T2, 'generic-late-hire');
    const sameInstant = await hire(T3, 'generic-same-instant');
    const afterLate = await item(employee.employeeId);
    const rehire = await hire(T4, 'generic-rehire');

    expect(late).toEqual({ stale: 'left-after', appliedAt: T3 });
    expect(sameInstant).toEqual({ stale: 'left-after', appliedAt: T3 });
    // Per fact: the late hires' profile is newer than the first hire's and is kept; the status stays the leave's.
    expect(afterLate).toMatchObject({ status: 'left', statusOccurredAt: T3, hrisOccurredAt: T3, statusBy: 'generic-hire' });
    expect(rehire).toMatchObject({ written: true });
    expect(await item(employee.employeeId)).toMatchObject({ status: 'active', statusOccurredAt: T4, lastRequestId: 'generic-rehire' });
  });

  it('names the employment generation: kept by a newer hire of an active person, new after a leave and a rehire', async () => {
    const { employee, hire } = person();
    const iso = (at: string) => new Date(at).toISOString();

    const first = await hire(T1, 'generic-hire');
    const update = await hire(T2, 'generic-updated');
    await leaves.markLeft(employee.employeeId, 'generic-leave', T3, T3);
    const afterLeave = await item(employee.employeeId);
    const rehire = await hire(T4, 'generic-rehire');

    expect(first).toMatchObject({ written: true, generation: iso(T1) });
    // The HRIS's "updated" for the same employment: the same workstation token.
    expect(update).toMatchObject({ written: true, generation: iso(T1) });
    expect(afterLeave).not.toHaveProperty('employedSince');
    expect(rehire).toMatchObject({ written: true, generation: iso(T4) });
  });

  it('a hire older than a leave that is still running is stale once the leave claimed the status; the leave then marks left', async () => {
    const { employee, hire } = person();
    await hire(T1, 'generic-hire');

    expect(await leaves.claimLeave(employee.employeeId, 'generic-leave', T3)).toBe('claimed');
    const meanwhile = await hire(T2, 'generic-late-hire');
    const claimedAgain = await leaves.claimLeave(employee.employeeId, 'generic-leave-rerun', T3);
    const marked = await leaves.markLeft(employee.employeeId, 'generic-leave-rerun', T3, T3);

    expect(meanwhile).toEqual({ stale: 'newer-applied', appliedAt: T2 });
    // A re-run of the same leave (after a failure) takes the claim over and finishes it.
    expect(claimedAgain).toBe('claimed');
    expect(marked).toBe('marked');
    const after = await item(employee.employeeId);
    expect(after).toMatchObject({ status: 'left', statusOccurredAt: T3, statusBy: 'generic-hire' });
    expect(after).not.toHaveProperty('leavingBy');
    // Older than a newer status: the claim changes nothing.
    expect(await leaves.claimLeave(employee.employeeId, 'generic-old-leave', T2)).toBe('unchanged');
  });

  it('a leave delivered before its hire is kept as a tombstone: the older hire is stale, a newer rehire applies', async () => {
    const { employee, hire } = person();

    expect(await leaves.claimLeave(employee.employeeId, 'generic-early-leave', T3)).toBe('tombstone');
    expect(await item(employee.employeeId)).toEqual({ employeeId: employee.employeeId, status: 'left', statusOccurredAt: T3, leftBy: 'generic-early-leave', leftAt: T3 });
    // The leaver's own retry and its Mark Employee Left change nothing more.
    expect(await leaves.claimLeave(employee.employeeId, 'generic-early-leave', T3)).toBe('unchanged');
    expect(await leaves.markLeft(employee.employeeId, 'generic-early-leave', T3, T3)).toBe('unchanged');
    const late = await hire(T2, 'generic-late-hire');
    const rehire = await hire(T4, 'generic-rehire');

    expect(late).toEqual({ stale: 'left-after', appliedAt: T3 });
    expect(rehire).toMatchObject({ written: true });
    expect(await item(employee.employeeId)).toMatchObject({ status: 'active', statusOccurredAt: T4, lastRequestId: 'generic-rehire' });
  });

  it('a person who left before event times were kept is not brought back by any hire', async () => {
    const { employee } = person();
    // An item as the joiner wrote it before per-person ordering: no statusOccurredAt.
    await doc.send(new PutCommand({ TableName: tables.names.employees, Item: { employeeId: employee.employeeId, status: 'active', hrisOccurredAt: T1, lastRequestId: 'old-hire' } }));
    expect(await leaves.markLeft(employee.employeeId, 'legacy-leave', T2)).toBe('marked');

    const rehire = await employees.upsertHire({ employee, source: 'generic', occurredAt: T4, requestId: 'generic-rehire', at: T4 });

    expect(rehire).toEqual({ stale: 'left-before-ordering' });
    expect(await item(employee.employeeId)).toMatchObject({ status: 'left', lastRequestId: 'old-hire' });
  });

  it('a leave without its event time (an execution of the old definition) is final too', async () => {
    const { employee, hire } = person();
    await hire(T1, 'generic-hire');
    expect(await leaves.markLeft(employee.employeeId, 'old-definition-leave', T2)).toBe('marked');

    expect(await hire(T4, 'generic-rehire')).toMatchObject({ stale: 'left-before-ordering' });
  });

  it('a leave older than the rehire that set the status is decided stale, and markLeft refuses it', async () => {
    const { employee, hire } = person();
    await hire(T1, 'generic-hire');
    await leaves.markLeft(employee.employeeId, 'generic-leave', T2, T2);
    await hire(T4, 'generic-rehire');
    const oldLeave = { type: 'employee.left' as const, deliveryId: 'generic-leave', source: 'generic' as const, occurredAt: T2, employeeId: employee.employeeId, effectiveAt: T2, immediate: false };

    const timing = decideLeave(oldLeave, undefined, await schedulePorts.employee(employee.employeeId), new Date(T4));
    const marked = await leaves.markLeft(employee.employeeId, 'generic-leave-replayed', T4, T3);

    expect(timing).toEqual({ action: 'ignore', why: 'stale', appliedAt: T4 });
    expect(marked).toBe('unchanged');
    expect(await item(employee.employeeId)).toMatchObject({ status: 'active', statusOccurredAt: T4 });
  });

  it('per-fact merge: a change delivered before its hire is kept, and the older hire sets the status but not the role', async () => {
    const { employee, hire } = person();
    const change = { employee: { ...employee, role: 'engineer', managerEmail: 'new.manager@example.com' }, occurredAt: T2, requestId: 'generic-change', at: T2 };

    expect(await moves.recordChange(change)).toBe('written');
    const hired = await hire(T1, 'generic-hire');

    expect(hired).toMatchObject({ written: true, generation: T1, employee: { role: 'engineer', managerEmail: 'new.manager@example.com', startDate: '2026-03-01' } });
    expect(await item(employee.employeeId)).toMatchObject({ status: 'active', statusOccurredAt: T1, role: 'engineer', hrisOccurredAt: T2, factAt: { role: T2, startDate: T1 } });
    // The hire's retry acts again (same status writer); a re-signed copy under another id does not.
    expect(await hire(T1, 'generic-hire')).toMatchObject({ written: true, employee: { role: 'engineer' } });
    expect(await hire(T1, 'generic-copy')).toEqual({ stale: 'newer-applied', appliedAt: T2 });
  });

  it('per-fact merge under concurrency: a change and its older hire written at once end where either order ends', async () => {
    for (let round = 0; round < 4; round += 1) {
      const { employee, hire } = person();
      const change = { employee: { ...employee, role: 'engineer' }, occurredAt: T2, requestId: `generic-change-${round}`, at: T2 };
      await Promise.all([moves.recordChange(change), hire(T1, `generic-hire-${round}`)]);
      expect(await item(employee.employeeId)).toMatchObject({ status: 'active', statusOccurredAt: T1, role: 'engineer', factAt: { role: T2, startDate: T1 } });
    }
  });

  it('per-fact merge: a rehire delivered before the leave it follows is not undone by that leave', async () => {
    const { employee, hire } = person();
    await hire(T1, 'generic-hire');
    await hire(T3, 'generic-rehire');

    expect(await leaves.claimLeave(employee.employeeId, 'generic-leave', T2)).toBe('unchanged');
    expect(await leaves.markLeft(employee.employeeId, 'generic-leave', T2, T2)).toBe('unchanged');
    expect(await item(employee.employeeId)).toMatchObject({ status: 'active', statusOccurredAt: T3 });
  });

  it('per-fact merge: a leave of someone known only by an early change claims and marks them left; their older hire is then stale', async () => {
    const { employee, hire } = person();
    await moves.recordChange({ employee: { ...employee, role: 'engineer' }, occurredAt: T2, requestId: 'generic-change', at: T2 });

    expect(await leaves.claimLeave(employee.employeeId, 'generic-leave', T3)).toBe('claimed');
    expect(await leaves.markLeft(employee.employeeId, 'generic-leave', T3, T3)).toBe('marked');
    expect(await hire(T1, 'generic-hire')).toEqual({ stale: 'left-after', appliedAt: T3 });
    expect(await item(employee.employeeId)).toMatchObject({ status: 'left', statusOccurredAt: T3, role: 'engineer' });
  });
});
