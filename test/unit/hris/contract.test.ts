import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { employeeEventSchema, hrisSourceSchema } from '#lib/domain/events/employee-events';
import { assignEvents } from '#lib/domain/catalogue/assign-employee';
import { roleCatalogue as catalogue, catalogueVersionId } from '#lib/runtime/catalogue';
import { hrisEventSchema } from '#lib/domain/hris/types';
import { adapterFor, assertBodySize } from '#lib/domain/hris/registry';
import { StaticDirectory } from '#lib/domain/hris/static-directory';
import { SAMPLES_DIR, SECRETS, fixedClock, readSample, sampleNames, signedRequest } from './support.ts';

const shipped = { catalogue, version: catalogueVersionId };

/** Every sample under events/hris is signed, verified and normalised by its adapter, through the real static directory. */
const directory = StaticDirectory.fromJson(readFileSync(join(SAMPLES_DIR, 'directory.json'), 'utf8'));
const cases = hrisSourceSchema.options.flatMap((source) => sampleNames(source).map((name) => [source, name] as const));

describe('events/hris contract', () => {
  it('has a folder per source and nothing else', () => {
    const entries = readdirSync(SAMPLES_DIR).sort();
    expect(entries).toEqual(['bamboohr', 'directory.json', 'generic', 'hibob']);
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
