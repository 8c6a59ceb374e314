import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { TransientError, ValidationError } from '#lib/domain/shared/errors';
import type { HrisEmployee } from '#lib/domain/events/employee-events';
import type { HrisEvent } from '#lib/domain/hris/types';
import { bamboohrAdapter } from '#lib/domain/hris/bamboohr';
import { FakePort, NOW_SECONDS, bamboohrRequest, seedDirectory, employee, readSample } from './support.ts';
import type { HrisRequest } from '#lib/domain/hris/types';

const directory = seedDirectory();
/** The SHA-256 of what BambooHR signed (length-prefixed body, then timestamp), computed independently. */
const signedId = (req: HrisRequest): string => {
  const timestamp = Buffer.from(req.headers['x-bamboohr-timestamp'] ?? '', 'utf8');
  const hash = createHash('sha256').update(`${req.rawBody.length}:`).update(req.rawBody).update(`${timestamp.length}:`).update(timestamp);
  return `bamboohr-${hash.digest('base64url')}`;
};

async function run(body: Buffer | object, port = new FakePort(directory)): Promise<{ events: HrisEvent[]; port: FakePort; id: string }> {
  const req = bamboohrRequest(body);
  return { events: await bamboohrAdapter.normalise(req, port), port, id: signedId(req) };
}
const sample = (name: string): Buffer => readSample('bamboohr', name);
const envelope = (id: string, occurredAt: string) => ({ deliveryId: id, source: 'bamboohr' as const, occurredAt });

/** No role from BambooHR: the job title goes to the catalogue's assignment rules (at ingest). */
const morgan: HrisEmployee = {
  employeeId: '40123',
  email: 'morgan.fieldbased@example.com',
  firstName: 'Morgan',
  lastName: 'Fieldbased',
  attributes: { jobTitle: 'Software Engineer' },
  department: 'Platform',
  managerId: '40101',
  managerEmail: 'dana.lead@example.com',
  employmentType: 'employee',
  startDate: '2026-03-02',
};
const riley = directory.bamboohr?.['40124'] ?? employee();
const sam = directory.bamboohr?.['40125'] ?? employee();

describe('bamboohr normalise: field-based samples', () => {
  it('field-based-created.json -> hired from the posted fields, no directory call', async () => {
    const { events, port, id } = await run(sample('field-based-created.json'));
    expect(events).toEqual([{ type: 'employee.hired', ...envelope(id, '2026-03-02T07:45:12.000Z'), employee: morgan }]);
    expect(port.calls).toEqual([]);
  });

  it('field-based-role-changed.json -> changed; an empty Gatehouse Role is absent, the new job title goes to the rules', async () => {
    const { events, port, id } = await run(sample('field-based-role-changed.json'));
    expect(events).toEqual([
      { type: 'employee.changed', ...envelope(id, '2026-04-01T00:05:00.000Z'), employee: { ...morgan, attributes: { jobTitle: 'Data Scientist' }, department: 'Analytics' } },
    ]);
    expect(port.calls).toEqual([]);
  });

  it('field-based-thin-update.json -> changed from the directory record', async () => {
    const { events, port, id } = await run(sample('field-based-thin-update.json'));
    expect(events).toEqual([{ type: 'employee.changed', ...envelope(id, '2026-04-06T09:30:00.000Z'), employee: sam }]);
    expect(port.calls).toEqual([['bamboohr', '40125']]);
  });

  it('field-based-terminated.json -> left now, without a directory call', async () => {
    const { events, port, id } = await run(sample('field-based-terminated.json'));
    expect(events).toEqual([
      { type: 'employee.left', ...envelope(id, '2026-06-30T23:00:00.000Z'), employeeId: '40123', effectiveAt: '2026-06-30T23:00:00.000Z', immediate: false },
    ]);
    expect(port.calls).toEqual([]);
  });

  it('field-based-deleted.json (fields as []) -> left', async () => {
    const { events, id } = await run(sample('field-based-deleted.json'));
    expect(events).toEqual([
      { type: 'employee.left', ...envelope(id, '2026-05-04T11:20:00.000Z'), employeeId: '40127', effectiveAt: '2026-05-04T11:20:00.000Z', immediate: false },
    ]);
  });

  it('field-based-multiple.json -> the phone change is ignored; the department change gets <id>-1', async () => {
    const { events, port, id } = await run(sample('field-based-multiple.json'));
    expect(events).toEqual([{ type: 'employee.changed', ...envelope(`${id}-1`, '2026-04-10T08:00:00.000Z'), employee: riley }]);
    expect(port.calls).toEqual([['bamboohr', '40124']]);
  });
});

describe('bamboohr normalise: event-based samples', () => {
  it('event-based-created.json -> hired from the directory', async () => {
    const { events, id } = await run(sample('event-based-created.json'));
    expect(events).toEqual([{ type: 'employee.hired', ...envelope(id, '2026-03-02T07:50:00.000Z'), employee: riley }]);
  });

  it('event-based-role-changed.json -> changed from the directory', async () => {
    const { events, id } = await run(sample('event-based-role-changed.json'));
    expect(events).toEqual([{ type: 'employee.changed', ...envelope(id, '2026-04-06T09:30:00.000Z'), employee: sam }]);
  });

  it('event-based-status-changed.json -> left, because the directory says terminated', async () => {
    const { events, id } = await run(sample('event-based-status-changed.json'));
    expect(events).toEqual([
      { type: 'employee.left', ...envelope(id, '2026-06-30T23:00:00.000Z'), employeeId: '40126', effectiveAt: '2026-06-30T23:00:00.000Z', immediate: false },
    ]);
  });

  it('event-based-ignored-field.json -> nothing, and no directory call', async () => {
    const { events, port } = await run(sample('event-based-ignored-field.json'));
    expect(events).toEqual([]);
    expect(port.calls).toEqual([]);
  });

  it('event-based-deleted.json -> left', async () => {
    const { events, id } = await run(sample('event-based-deleted.json'));
    expect(events).toEqual([
      { type: 'employee.left', ...envelope(id, '2026-05-04T11:20:00.000Z'), employeeId: '40127', effectiveAt: '2026-05-04T11:20:00.000Z', immediate: false },
    ]);
  });
});

const fullFields = {
  'First Name': 'Morgan', 'Last Name': 'Fieldbased', 'Work Email': 'morgan.fieldbased@example.com', 'Job Title': 'Software Engineer',
  'Employment Status': 'Full-Time', 'Hire Date': '2026-03-02',
};
const entry = (fields: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
  employees: [{ id: '40123', action: 'Updated', timestamp: '2026-04-01T00:00:00+0000', changedFields: ['Job Title'], fields, ...extra }],
});

describe('bamboohr normalise: decisions', () => {
  it('Status back to Active is a (re)hire', async () => {
    const { events } = await run(entry({ ...fullFields, Status: 'Active' }, { changedFields: ['Status'] }));
    expect(events.map((event) => event.type)).toEqual(['employee.hired']);
  });

  it('Employment Status to Contractor is a change of employment type', async () => {
    const { events } = await run(entry({ ...fullFields, 'Employment Status': 'Contractor' }, { changedFields: ['Employment Status'] }));
    expect(events).toMatchObject([{ type: 'employee.changed', employee: { employmentType: 'contractor' } }]);
  });

  it('the Gatehouse Role field wins over the job title; API aliases work too', async () => {
    const fields = { firstName: 'M', lastName: 'F', workEmail: 'm.f@example.com', jobTitle: 'Chief Vibes Officer', customGatehouseRole: 'finance-admin', employmentHistoryStatus: 'Part-Time', hireDate: '2026-03-02' };
    const { events } = await run(entry(fields));
    expect(events).toMatchObject([{ type: 'employee.changed', employee: { role: 'finance-admin', email: 'm.f@example.com' } }]);
  });

  it("treats null, blank and BambooHR's 0000-00-00 as absent", async () => {
    const { events } = await run(entry({ ...fullFields, 'Contract End Date': '0000-00-00', Department: '  ', 'Supervisor EID': null }));
    expect(events).toHaveLength(1);
    const [event] = events;
    expect(event?.type === 'employee.changed' ? Object.keys(event.employee).sort() : []).toEqual(
      ['attributes', 'email', 'employeeId', 'employmentType', 'firstName', 'lastName', 'startDate'],
    );
  });

  it('a created record that is already terminated grants nothing', async () => {
    const { events } = await run(entry({ ...fullFields, 'Employment Status': 'Terminated' }, { action: 'Created', changedFields: [] }));
    expect(events).toEqual([]);
  });

  it('a missing timestamp falls back to the signed x-bamboohr-timestamp header', async () => {
    const { events } = await run({ employees: [{ id: 40127, action: 'Deleted' }] });
    expect(events).toMatchObject([{ type: 'employee.left', employeeId: '40127', occurredAt: '2026-03-02T08:00:00.000Z' }]);
  });

  it('an employee the directory does not know yet is a TransientError (BambooHR retries)', async () => {
    await expect(run(sample('event-based-created.json'), new FakePort())).rejects.toBeInstanceOf(TransientError);
  });

  it('a directory record with a malformed role names the record field (whether it is a catalogue role is checked at ingest)', async () => {
    const port = new FakePort({ bamboohr: { '40124': employee({ employeeId: '40124', role: 'Astronaut!' }) } });
    const result = run(sample('event-based-created.json'), port);
    await expect(result).rejects.toBeInstanceOf(ValidationError);
    await expect(result).rejects.toThrow(/^directory\.bamboohr\["40124"\]\.role: /);
  });

  it('names a delivery by what was signed: an unsigned delivery-id header changes nothing (issue #11)', () => {
    const req = bamboohrRequest(sample('event-based-deleted.json'));
    const withHeader = { ...req, headers: { ...req.headers, 'x-bamboohr-delivery-id': 'd-123' } };
    const otherHeader = { ...req, headers: { ...req.headers, 'x-bamboohr-delivery-id': 'd-456' } };
    const resigned = bamboohrRequest(sample('event-based-deleted.json'), { timestamp: NOW_SECONDS + 1 });

    expect(bamboohrAdapter.deliveryId(req)).toBe(signedId(req));
    expect(bamboohrAdapter.deliveryId(withHeader)).toBe(bamboohrAdapter.deliveryId(req));
    expect(bamboohrAdapter.deliveryId(otherHeader)).toBe(bamboohrAdapter.deliveryId(req));
    expect(bamboohrAdapter.deliveryId(resigned)).not.toBe(bamboohrAdapter.deliveryId(req));
  });
});

describe('bamboohr normalise: rejects with the field path', () => {
  it.each([
    ['wrong-typed field', entry({ ...fullFields, 'Job Title': 42 }), /^body\.employees\[0\]\.fields\["Job Title"\]: must be a string$/],
    ['bad Gatehouse Role', entry({ ...fullFields, 'Gatehouse Role': 'Root User' }), /^body\.employees\[0\]\.fields\["Gatehouse Role"\]: role must be a catalogue role id/],
    ['unknown Employment Status', entry({ ...fullFields, 'Employment Status': 'Sabbatical' }), /^body\.employees\[0\]\.fields\["Employment Status"\]: must be one of/],
    ['bad Work Email', entry({ ...fullFields, 'Work Email': 'nope' }), /^body\.employees\[0\]\.fields\["Work Email"\]: /],
    ['bad Hire Date', entry({ ...fullFields, 'Hire Date': '03/02/2026' }), /^body\.employees\[0\]\.fields\["Hire Date"\]: /],
    ['unknown action', entry(fullFields, { action: 'Archived' }), /^body\.employees\[0\]\.action: /],
    ['bad timestamp', entry(fullFields, { timestamp: 'yesterday' }), /^body\.employees\[0\]\.timestamp: must be an ISO 8601 timestamp$/],
    ['wrong-typed changedFields', entry(fullFields, { changedFields: 'Job Title' }), /^body\.employees\[0\]\.changedFields: /],
    ['bad employee id', entry(fullFields, { id: 'a/b' }), /^body\.employees\[0\]\.id: /],
    ['no employees', { employees: [] }, /^body\.employees: /],
    ['unknown event type', { type: 'employee.archived', timestamp: '2026-04-01T00:00:00+0000', data: { employeeId: '1' } }, /^body\.type: /],
    ['event without employeeId', { type: 'employee.created', timestamp: '2026-04-01T00:00:00+0000', data: {} }, /^body\.data\.employeeId: /],
    ['neither shape', { hello: 'world' }, /^body: must have "employees"/],
    ['not an object', [1, 2], /^body: must be a JSON object$/],
  ])('%s', async (_name, body, message) => {
    const result = run(body);
    await expect(result).rejects.toBeInstanceOf(ValidationError);
    await expect(result).rejects.toThrow(message);
  });
});
