import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { assignEvents } from '#lib/domain/catalogue/assign-employee';
import { roleCatalogue, catalogueVersionId } from '#lib/runtime/catalogue';
import { TransientError, UnauthorizedError, ValidationError } from '#lib/domain/shared/errors';
import { personioAdapter } from '#lib/domain/hris/personio';
import { PeopleStore } from '../../../local/hris/people.ts';
import { peopleDirectory } from '../../../local/hris/records.ts';
import { FakePort, PERSONIO_TOKEN, SAMPLES_DIR, fixedClock, personioRequest, readSample } from './support.ts';

const directory = peopleDirectory(new PeopleStore(PeopleStore.seedFromFile(join(SAMPLES_DIR, 'directory.seed.json'))));
const bodyId = (body: Buffer): string => `personio-${createHash('sha256').update(body).digest('base64url')}`;
const run = async (name: string) => {
  const req = personioRequest(readSample('personio', name));
  return { events: await personioAdapter.normalise(req, directory), id: bodyId(req.rawBody) };
};

describe('personio verify: the static token in Authorization', () => {
  it('accepts the configured token exactly', () => {
    expect(() => personioAdapter.verify(personioRequest('{}'), PERSONIO_TOKEN, fixedClock)).not.toThrow();
  });

  it.each([['another token'], [`${PERSONIO_TOKEN} `], [PERSONIO_TOKEN.slice(7)], ['']])('rejects %j', (token) => {
    expect(() => personioAdapter.verify(personioRequest('{}', { token }), PERSONIO_TOKEN, fixedClock)).toThrow(UnauthorizedError);
  });

  it('rejects a delivery without Authorization (a webhook created with auth_type NONE)', () => {
    expect(() => personioAdapter.verify({ rawBody: Buffer.from('{}'), headers: {} }, PERSONIO_TOKEN, fixedClock)).toThrow(UnauthorizedError);
  });
});

describe('personio normalise', () => {
  it('person.created -> hired with the record read from the directory', async () => {
    const { events, id } = await run('person-created.json');
    expect(events).toEqual([{
      type: 'employee.hired', deliveryId: id, source: 'personio', occurredAt: '2026-03-02T07:30:00.000Z',
      employee: { employeeId: '52011001', email: 'alex.personio@example.com', firstName: 'Alex', lastName: 'Personio', role: 'engineer', attributes: { jobTitle: 'Software Engineer' }, managerId: '52011000', employmentType: 'employee', startDate: '2026-03-02' },
    }]);
  });

  it('employment.updated -> changed, read by payload.person_id (a contractor with an end date)', async () => {
    const { events } = await run('employment-updated.json');
    // No "Gatehouse Role" attribute: the position title is the jobTitle the catalogue's rules read.
    expect(events).toEqual([expect.objectContaining({ type: 'employee.changed', employee: expect.objectContaining({ employeeId: '52011002', attributes: { jobTitle: 'Data Scientist' }, employmentType: 'contractor', endDate: '2026-10-30' }) })]);
    expect(assignEvents({ catalogue: roleCatalogue, version: catalogueVersionId }, events)).toEqual([expect.objectContaining({ employee: expect.objectContaining({ role: 'data-scientist' }) })]);
  });

  it('employment.terminated and person.deleted -> left at occurred_at; employment.started -> nothing', async () => {
    expect((await run('employment-terminated.json')).events).toEqual([expect.objectContaining({ type: 'employee.left', employeeId: '52011002', effectiveAt: '2026-10-30T00:00:00.000Z', immediate: false })]);
    expect((await run('person-deleted.json')).events).toEqual([expect.objectContaining({ type: 'employee.left', employeeId: '52011002' })]);
    expect((await run('employment-started.json')).events).toEqual([]);
  });

  it('an unknown person is a TransientError (Personio retries); a terminated one changes nothing', async () => {
    const body = { company_id: '1', event_name: 'person.updated', occurred_at: '2026-04-01T00:00:00Z', payload: { id: '404404' } };
    await expect(personioAdapter.normalise(personioRequest(body), new FakePort())).rejects.toBeInstanceOf(TransientError);
    const terminated = new FakePort({ personio: { '7': { employeeId: '7', email: 'x@example.com', firstName: 'X', lastName: 'Y', role: 'sales', employmentType: 'employee', startDate: '2026-01-01', terminated: true } } });
    expect(await personioAdapter.normalise(personioRequest({ ...body, payload: { id: '7' } }), terminated)).toEqual([]);
  });

  it.each([
    [{ event_name: 'employment.updated', payload: { id: 'emp-1' } }, 'body.payload.person_id: required'],
    [{ event_name: 'absence.created', payload: { id: '1' } }, 'body.event_name'],
    [{ event_name: 'person.updated', occurred_at: 'yesterday', payload: { id: '1' } }, 'body.occurred_at: must be an ISO 8601 timestamp'],
  ])('rejects %j with a ValidationError naming the field', async (overrides, message) => {
    const body = { company_id: '1', occurred_at: '2026-04-01T00:00:00Z', ...overrides };
    const error = await personioAdapter.normalise(personioRequest(body), new FakePort()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as Error).message).toContain(message);
  });
});
