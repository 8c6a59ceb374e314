import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { TransientError, ValidationError } from '#lib/domain/shared/errors';
import type { HrisEvent } from '#lib/domain/hris/types';
import { hibobAdapter } from '#lib/domain/hris/hibob';
import { hibobRoleFields } from '#lib/domain/hris/hibob-roles';
import { FakePort, seedDirectory, employee, hibobRequest, readSample } from './support.ts';

const directory = seedDirectory();
const JAMIE = '3332883854254932743';
const ROBIN = '3332883854254932750';
const bodyId = (body: Buffer): string => `hibob-${createHash('sha256').update(body).digest('base64url')}`;

async function run(body: Buffer | string | object, port = new FakePort(directory)): Promise<{ events: HrisEvent[]; port: FakePort; id: string }> {
  const req = hibobRequest(body);
  return { events: await hibobAdapter.normalise(req, port), port, id: bodyId(req.rawBody) };
}
const sample = (name: string): Buffer => readSample('hibob', name);
const envelope = (id: string, occurredAt: string) => ({ deliveryId: id, source: 'hibob' as const, occurredAt });
const payload = (type: string, data: Record<string, unknown> = { employeeId: JAMIE }) => ({
  companyId: 636192, type, triggeredBy: 'system', triggeredAt: '2026-03-02T00:00:03.118204', version: 'v2', data,
});

describe('hibob normalise: samples', () => {
  it('employee-joined.json -> hired from the directory (thin payload)', async () => {
    const { events, port, id } = await run(sample('employee-joined.json'));
    expect(events).toEqual([{ type: 'employee.hired', ...envelope(id, '2026-03-02T00:00:03.118Z'), employee: directory.hibob?.[JAMIE] }]);
    expect(port.calls).toEqual([['hibob', JAMIE]]);
  });

  it('employee-updated-title.json -> changed from the directory', async () => {
    const { events, id } = await run(sample('employee-updated-title.json'));
    expect(events).toEqual([{ type: 'employee.changed', ...envelope(id, '2026-04-01T09:12:45.530Z'), employee: directory.hibob?.[ROBIN] }]);
  });

  it('employee-updated-ignored.json -> nothing, and no directory call', async () => {
    const { events, port } = await run(sample('employee-updated-ignored.json'));
    expect(events).toEqual([]);
    expect(port.calls).toEqual([]);
  });

  it('employee-left.json -> left at the start of the effective date', async () => {
    const { events, port, id } = await run(sample('employee-left.json'));
    expect(events).toEqual([
      { type: 'employee.left', ...envelope(id, '2026-06-30T00:00:02.771Z'), employeeId: JAMIE, effectiveAt: '2026-06-30T00:00:00.000Z', immediate: false },
    ]);
    expect(port.calls).toEqual([]);
  });

  it('employee-access-revoked-immediately.json -> immediate leave', async () => {
    const { events, id } = await run(sample('employee-access-revoked-immediately.json'));
    expect(events).toEqual([
      { type: 'employee.left', ...envelope(id, '2026-05-20T15:41:27.902Z'), employeeId: ROBIN, effectiveAt: '2026-05-20T15:41:27.902Z', immediate: true },
    ]);
  });

  it('ping-test.json (and the plain-text ping) -> nothing', async () => {
    await expect(run(sample('ping-test.json'))).resolves.toMatchObject({ events: [] });
    await expect(run('Ping test')).resolves.toMatchObject({ events: [] });
  });
});

describe('hibob normalise: decisions', () => {
  it.each([
    [['/work/title'], true], [['work.department'], true], [[{ fieldId: '/work/reportsTo' }], true],
    [['/work/custom/gatehouseRole'], true], [['/home/mobilePhone', '/about/hobbies'], false], [[], false],
  ])('employee.updated with fieldUpdates %j affects access: %s', async (fieldUpdates, affects) => {
    const { events } = await run(payload('employee.updated', { employeeId: ROBIN, fieldUpdates }));
    expect(events.length).toBe(affects ? 1 : 0);
  });

  it('employee.updated without fieldUpdates counts as a change (cannot tell what changed)', async () => {
    const { events } = await run(payload('employee.updated', { employeeId: ROBIN }));
    expect(events.map((event) => event.type)).toEqual(['employee.changed']);
  });

  it('employee.updated for a terminated record grants nothing', async () => {
    const port = new FakePort({ hibob: { [ROBIN]: employee({ employeeId: ROBIN, terminated: true }) } });
    const { events } = await run(payload('employee.updated', { employeeId: ROBIN, fieldUpdates: ['/work/title'] }), port);
    expect(events).toEqual([]);
  });

  it('employee.left without effectiveDate is effective when triggered', async () => {
    const { events } = await run(payload('employee.left'));
    expect(events).toMatchObject([{ type: 'employee.left', effectiveAt: '2026-03-02T00:00:03.118Z', immediate: false }]);
  });

  it('employee.deleted is a leave', async () => {
    const { events } = await run(payload('employee.deleted'));
    expect(events).toMatchObject([{ type: 'employee.left', employeeId: JAMIE, immediate: false }]);
  });

  it.each(['employee.created', 'employee.inactivated', 'table.entry.created'])('%s is deliberately ignored', async (type) => {
    await expect(run(payload(type))).resolves.toMatchObject({ events: [] });
  });

  it('an employee the directory does not know yet is a TransientError', async () => {
    await expect(run(sample('employee-joined.json'), new FakePort())).rejects.toBeInstanceOf(TransientError);
  });

  it('a body id becomes the delivery id', () => {
    expect(hibobAdapter.deliveryId(hibobRequest({ ...payload('employee.left'), id: 'evt_42' }))).toBe('hibob-evt_42');
    const req = hibobRequest(sample('employee-left.json'));
    expect(hibobAdapter.deliveryId(req)).toBe(bodyId(req.rawBody));
  });
});

describe('hibob normalise: rejects with the field path', () => {
  it.each([
    ['unknown event type', payload('employee.promoted'), /^body\.type: /],
    ['missing type', { ...payload('employee.joined'), type: undefined }, /^body\.type: /],
    ['wrong-typed employeeId', payload('employee.joined', { employeeId: 12345 }), /^body\.data\.employeeId: /],
    ['missing data', { ...payload('employee.joined'), data: undefined }, /^body\.data: /],
    ['wrong-typed fieldUpdates', payload('employee.updated', { employeeId: ROBIN, fieldUpdates: '/work/title' }), /^body\.data\.fieldUpdates: /],
    ['wrong-typed fieldId', payload('employee.updated', { employeeId: ROBIN, fieldUpdates: [{ fieldId: 7 }] }), /^body\.data\.fieldUpdates\[0\]/],
    ['bad effectiveDate', payload('employee.left', { employeeId: JAMIE, effectiveDate: '30/06/2026' }), /^body\.data\.effectiveDate: /],
    ['bad triggeredAt', { ...payload('employee.left'), triggeredAt: 'noon' }, /^body\.triggeredAt: must be an ISO 8601 timestamp$/],
    ['wrong-typed companyId', { ...payload('employee.left'), companyId: true }, /^body\.companyId: /],
    ['not JSON', 'Pong test', /^body: is not valid JSON$/],
  ])('%s', async (_name, body, message) => {
    const result = run(body);
    await expect(result).rejects.toBeInstanceOf(ValidationError);
    await expect(result).rejects.toThrow(message);
  });
});

describe('hibobRoleFields (for the HiBob directory port)', () => {
  it('passes the Gatehouse Role custom field on as the role, and the title as the jobTitle attribute rules read', () => {
    expect(hibobRoleFields({ gatehouseRole: 'sales', title: 'Software Engineer' })).toEqual({ role: 'sales', attributes: { jobTitle: 'Software Engineer' } });
    expect(hibobRoleFields({ title: ' Data Scientist ' })).toEqual({ attributes: { jobTitle: 'Data Scientist' } });
    expect(hibobRoleFields({})).toEqual({});
  });

  it('refuses a Gatehouse Role that cannot be a role id, naming the field', () => {
    expect(() => hibobRoleFields({ gatehouseRole: 'Root User' })).toThrow(ValidationError);
    expect(() => hibobRoleFields({ gatehouseRole: 'Root User' })).toThrow(/^work\.custom\.gatehouseRole: role must be a catalogue role id/);
  });
});
