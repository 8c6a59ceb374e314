import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { employeeEventSchema, hrisSourceSchema } from '#lib/domain/events/employee-events';
import { assignEvents } from '#lib/domain/catalogue/assign-employee';
import { roleCatalogue as catalogue, catalogueVersionId } from '#lib/runtime/catalogue';
import { hrisEventSchema } from '#lib/domain/hris/types';
import { adapterFor, assertBodySize } from '#lib/domain/hris/registry';
import { PeopleStore } from '../../../local/hris/people.ts';
import { peopleDirectory } from '../../../local/hris/records.ts';
import { SAMPLES_DIR, SECRETS, fixedClock, readSample, sampleNames, signedRequest } from './support.ts';

/** Every sample under events/hris is signed, verified and normalised by its adapter, the records read from the local HRIS seed as each vendor renders it. */
const shipped = { catalogue, version: catalogueVersionId };

/** Every sample under events/hris is signed, verified and normalised by its adapter, the records read from the local HRIS seed as each vendor renders it. */
const directory = peopleDirectory(new PeopleStore(PeopleStore.seedFromFile(join(SAMPLES_DIR, 'directory.seed.json'))));
const cases = hrisSourceSchema.options.flatMap((source) => sampleNames(source).map((name) => [source, name] as const));

/**
 * What each sample must normalise to (type:employeeId, in order), so an adapter that drops events
 * fails here. The empty ones are deliveries Gatehouse ignores by design: a field it does not map,
 * a ping, an update of nothing it keeps, and Personio's employment start (the person is hired by
 * person.created).
 */
const EXPECTED: Record<string, string[]> = {
  'generic/contractor-hired.json': ['employee.hired:C-2001'],
  'generic/employee-changed.json': ['employee.changed:E-1001'],
  'generic/employee-hired.json': ['employee.hired:E-1001'],
  'generic/employee-leave-cancelled.json': ['employee.leave.cancelled:E-1001'],
  'generic/employee-left-immediately.json': ['employee.left:E-1002'],
  'generic/employee-left.json': ['employee.left:E-1001'],
  'bamboohr/event-based-created.json': ['employee.hired:40124'],
  'bamboohr/event-based-deleted.json': ['employee.left:40127'],
  'bamboohr/event-based-ignored-field.json': [],
  'bamboohr/event-based-role-changed.json': ['employee.changed:40125'],
  'bamboohr/event-based-status-changed.json': ['employee.left:40126'],
  'bamboohr/field-based-created.json': ['employee.hired:40123'],
  'bamboohr/field-based-deleted.json': ['employee.left:40127'],
  'bamboohr/field-based-multiple.json': ['employee.changed:40124'],
  'bamboohr/field-based-role-changed.json': ['employee.changed:40123'],
  'bamboohr/field-based-terminated.json': ['employee.left:40123'],
  'bamboohr/field-based-thin-update.json': ['employee.changed:40125'],
  'hibob/employee-access-revoked-immediately.json': ['employee.left:3332883854254932750'],
  'hibob/employee-joined.json': ['employee.hired:3332883854254932743'],
  'hibob/employee-left.json': ['employee.left:3332883854254932743'],
  'hibob/employee-updated-ignored.json': [],
  'hibob/employee-updated-title.json': ['employee.changed:3332883854254932750'],
  'hibob/ping-test.json': [],
  'personio/employment-started.json': [],
  'personio/employment-terminated.json': ['employee.left:52011002'],
  'personio/employment-updated.json': ['employee.changed:52011002'],
  'personio/person-created.json': ['employee.hired:52011001'],
  'personio/person-deleted.json': ['employee.left:52011002'],
  'personio/person-updated.json': ['employee.changed:52011001'],
};
const idOf = (event: object): unknown => ('employeeId' in event ? event.employeeId : 'employee' in event && typeof event.employee === 'object' && event.employee !== null && 'employeeId' in event.employee ? event.employee.employeeId : undefined);

describe('events/hris contract', () => {
  it('has a folder per source and nothing else', () => {
    const entries = readdirSync(SAMPLES_DIR).sort();
    expect(entries).toEqual(['bamboohr', 'directory.seed.json', 'generic', 'hibob', 'personio']);
    expect(cases.length).toBeGreaterThanOrEqual(20);
    expect(cases.map(([source, name]) => `${source}/${name}`).sort()).toEqual(Object.keys(EXPECTED).sort());
  });

  it.each(cases)('%s/%s verifies and normalises to valid events, each with a role from the shipped catalogue', async (source, name) => {
    const adapter = adapterFor(source);
    const req = signedRequest[source](readSample(source, name));
    expect(() => assertBodySize(req.rawBody)).not.toThrow();
    expect(() => adapter.verify(req, SECRETS[source], fixedClock)).not.toThrow();
    const events = await adapter.normalise(req, directory);
    expect(events.map((event) => `${event.type}:${String(idOf(event))}`)).toEqual(EXPECTED[`${source}/${name}`]);
    for (const event of events) expect(hrisEventSchema.parse(event)).toEqual(event);
    for (const event of assignEvents(shipped, events)) {
      expect(employeeEventSchema.parse(event)).toEqual(event);
      expect(event.source).toBe(source);
    }
    expect(adapter.deliveryId(req)).toMatch(/^[A-Za-z0-9_-]{1,64}$/);
  });

  it('uses obviously fake people only', () => {
    for (const [source, name] of cases) {
      const emails = readSample(source, name).toString('utf8').match(/[\w.+-]+@[\w.-]+/g) ?? [];
      for (const email of emails) expect(email).toMatch(/@example\.com$/);
    }
  });
});

describe('events/hris/directory.seed.json (the local HRIS seed)', () => {
  it('parses, uses obviously fake people and gives every person a role the catalogue knows', async () => {
    const { PeopleStore } = await import('../../../local/hris/people.ts');
    const roleIds = new Set(catalogue.roles.map((role) => role.id));
    const seed = PeopleStore.seedFromFile(join(SAMPLES_DIR, 'directory.seed.json'));
    const people = Object.values(seed).flat();
    expect(people.length).toBeGreaterThanOrEqual(6);
    for (const person of people) {
      expect(person.email).toMatch(/@example\.com$/);
      if (person.gatehouseRole !== undefined) expect(roleIds.has(person.gatehouseRole)).toBe(true);
    }
  });
});
