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

describe('events/hris contract', () => {
  it('has a folder per source and nothing else', () => {
    const entries = readdirSync(SAMPLES_DIR).sort();
    expect(entries).toEqual(['bamboohr', 'directory.seed.json', 'generic', 'hibob', 'personio']);
    expect(cases.length).toBeGreaterThanOrEqual(20);
  });

  it.each(cases)('%s/%s verifies and normalises to valid events, each with a role from the shipped catalogue', async (source, name) => {
    const adapter = adapterFor(source);
    const req = signedRequest[source](readSample(source, name));
    expect(() => assertBodySize(req.rawBody)).not.toThrow();
    expect(() => adapter.verify(req, SECRETS[source], fixedClock)).not.toThrow();
    const events = await adapter.normalise(req, directory);
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
