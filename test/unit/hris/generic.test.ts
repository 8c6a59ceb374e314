import { describe, expect, it } from 'vitest';
import { ValidationError } from '#lib/domain/shared/errors';
import type { HrisEvent } from '#lib/domain/hris/types';
import { genericAdapter } from '#lib/domain/hris/generic';
import { FakePort, genericRequest, readSample } from './support.ts';

const ID = 'msg_2KWPBgLlAfxdpx2AI54pPJ85f4W';
const normalise = (body: Buffer | object): Promise<HrisEvent[]> => genericAdapter.normalise(genericRequest(body, { id: ID }), new FakePort());
const sample = (name: string): Buffer => readSample('generic', name);

const alex = {
  employeeId: 'E-1001',
  email: 'alex.newstarter@example.com',
  firstName: 'Alex',
  lastName: 'Newstarter',
  employmentType: 'employee',
  startDate: '2026-03-02',
} as const;

const hired = { type: 'employee.hired', timestamp: '2026-03-02T08:00:00Z', data: { ...alex, role: 'engineer' } };

describe('generic normalise: samples', () => {
  it('employee-hired.json', async () => {
    await expect(normalise(sample('employee-hired.json'))).resolves.toEqual([
      {
        type: 'employee.hired',
        deliveryId: `generic-${ID}`,
        source: 'generic',
        occurredAt: '2026-03-02T08:00:00.000Z',
        employee: { ...alex, role: 'engineer', department: 'Platform', managerId: 'E-0042', managerEmail: 'pat.manager@example.com' },
      },
    ]);
  });

  it('contractor-hired.json (offset timestamp becomes UTC, endDate kept)', async () => {
    await expect(normalise(sample('contractor-hired.json'))).resolves.toEqual([
      {
        type: 'employee.hired',
        deliveryId: `generic-${ID}`,
        source: 'generic',
        occurredAt: '2026-03-09T06:30:00.000Z',
        employee: {
          employeeId: 'C-2001',
          email: 'chris.temporary@example.com',
          firstName: 'Chris',
          lastName: 'Temporary',
          role: 'data-scientist',
          managerEmail: 'dana.lead@example.com',
          employmentType: 'contractor',
          startDate: '2026-03-09',
          endDate: '2026-09-30',
        },
      },
    ]);
  });

  it('employee-changed.json carries previousRole outside the employee', async () => {
    await expect(normalise(sample('employee-changed.json'))).resolves.toEqual([
      {
        type: 'employee.changed',
        deliveryId: `generic-${ID}`,
        source: 'generic',
        occurredAt: '2026-04-01T09:15:00.000Z',
        employee: { ...alex, role: 'data-scientist', department: 'Analytics', managerId: 'E-0050', managerEmail: 'dana.lead@example.com' },
        previousRole: 'engineer',
      },
    ]);
  });

  it('employee-left.json (scheduled)', async () => {
    await expect(normalise(sample('employee-left.json'))).resolves.toEqual([
      {
        type: 'employee.left',
        deliveryId: `generic-${ID}`,
        source: 'generic',
        occurredAt: '2026-05-15T16:00:00.000Z',
        employeeId: 'E-1001',
        effectiveAt: '2026-05-31T23:59:59.000Z',
        immediate: false,
      },
    ]);
  });

  it('employee-left-immediately.json (effectiveAt defaults to the timestamp)', async () => {
    await expect(normalise(sample('employee-left-immediately.json'))).resolves.toEqual([
      {
        type: 'employee.left',
        deliveryId: `generic-${ID}`,
        source: 'generic',
        occurredAt: '2026-05-15T16:05:00.000Z',
        employeeId: 'E-1002',
        effectiveAt: '2026-05-15T16:05:00.000Z',
        immediate: true,
      },
    ]);
  });

  it('a changed event without previousRole has no previousRole key', async () => {
    const [event] = await normalise({ ...hired, type: 'employee.changed' });
    expect(event).toBeDefined();
    expect(Object.keys(event ?? {})).not.toContain('previousRole');
  });
});

describe('generic normalise: rejects with the field path', () => {
  it.each([
    ['unknown event type', { ...hired, type: 'employee.promoted' }, /^body\.type: /],
    ['missing type', { timestamp: hired.timestamp, data: hired.data }, /^body\.type: /],
    ['wrong-typed employeeId', { ...hired, data: { ...hired.data, employeeId: 42 } }, /^body\.data\.employeeId: /],
    ['bad email', { ...hired, data: { ...hired.data, email: 'not-an-email' } }, /^body\.data\.email: /],
    ['malformed role', { ...hired, data: { ...hired.data, role: 'Astronaut!' } }, /^body\.data\.role: role must be a catalogue role id/],
    ['malformed previousRole', { ...hired, type: 'employee.changed', data: { ...hired.data, previousRole: 'Pilot!' } }, /^body\.data\.previousRole: /],
    ['an assignment sent by the HRIS', { ...hired, data: { ...hired.data, assignment: { source: 'hris', catalogueVersion: 'cat-0000000000000000' } } }, /^body\.data\.assignment: unknown field/],
    ['unknown attribute', { ...hired, data: { ...hired.data, attributes: { dept: 'Design' } } }, /^body\.data\.attributes\.dept: /],
    ['bad employmentType', { ...hired, data: { ...hired.data, employmentType: 'intern' } }, /^body\.data\.employmentType: /],
    ['bad startDate', { ...hired, data: { ...hired.data, startDate: '2026-02-30' } }, /^body\.data\.startDate: /],
    ['typo field', { ...hired, data: { ...hired.data, emial: 'x@example.com' } }, /^body\.data\.emial: unknown field/],
    ['timestamp without offset', { ...hired, timestamp: '2026-03-02T08:00:00' }, /^body\.timestamp: /],
    ['wrong-typed immediate', { type: 'employee.left', timestamp: hired.timestamp, data: { employeeId: 'E-1', immediate: 'yes' } }, /^body\.data\.immediate: /],
    ['array body', [hired], /^body: /],
  ])('%s', async (_name, body, message) => {
    const result = normalise(body);
    await expect(result).rejects.toBeInstanceOf(ValidationError);
    await expect(result).rejects.toThrow(message);
  });

  it('non-JSON and non-UTF-8 bodies', async () => {
    await expect(normalise(Buffer.from('{"type":'))).rejects.toThrow(/^body: is not valid JSON$/);
    await expect(normalise(Buffer.from([0x7b, 0xff, 0x7d]))).rejects.toThrow(/^body: is not UTF-8$/);
  });

  it('error messages never echo the submitted values', async () => {
    const result = normalise({ ...hired, data: { ...hired.data, email: 'secret-person-name' } });
    await expect(result).rejects.toBeInstanceOf(ValidationError);
    await expect(result).rejects.not.toThrow(/secret-person-name/);
  });
});

describe('generic deliveryId', () => {
  it('is the webhook-id, prefixed with the source', () => {
    expect(genericAdapter.deliveryId(genericRequest(hired, { id: 'msg_abc' }))).toBe('generic-msg_abc');
  });

  it('hashes ids that do not fit an execution name, deterministically', () => {
    const id = 'evt.with.dots/and/slashes';
    const first = genericAdapter.deliveryId(genericRequest(hired, { id }));
    expect(first).toMatch(/^generic-[A-Za-z0-9_-]{43}$/);
    expect(genericAdapter.deliveryId(genericRequest({ other: 1 }, { id }))).toBe(first);
  });

  it('requires the webhook-id header', () => {
    expect(() => genericAdapter.deliveryId({ headers: {}, rawBody: Buffer.from('{}') })).toThrow(ValidationError);
  });
});

describe('generic normalise: leave cancelled', () => {
  it('employee-leave-cancelled.json becomes employee.leave.cancelled', async () => {
    await expect(normalise(sample('employee-leave-cancelled.json'))).resolves.toEqual([
      { type: 'employee.leave.cancelled', deliveryId: `generic-${ID}`, source: 'generic', occurredAt: '2026-05-20T09:30:00.000Z', employeeId: 'E-1001' },
    ]);
  });

  it('rejects fields a cancellation does not have', async () => {
    const body = { type: 'employee.leave.cancelled', timestamp: '2026-05-20T09:30:00Z', data: { employeeId: 'E-1001', effectiveAt: '2026-06-01T00:00:00Z' } };
    await expect(normalise(body)).rejects.toThrow('body.data.effectiveAt: unknown field');
  });
});
