import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { UnauthorizedError, ValidationError } from '#lib/domain/shared/errors';
import type { HrisSource } from '#lib/domain/events/employee-events';
import { hrisEventSchema } from '#lib/domain/hris/types';
import { BAMBOOHR_FIELDS } from '#lib/domain/hris/bamboohr-mapping';
import { adapterFor } from '#lib/domain/hris/registry';
import type { HrisRequest } from '#lib/domain/hris/types';
import {
  NOW_SECONDS, SECRETS, bamboohrRequest, everybodyPort, fixedClock, genericRequest, hibobRequest, readSample, sampleNames, signedRequest,
} from './support.ts';

const SOURCES = ['generic', 'bamboohr', 'hibob'] as const;
const SIGNATURE_HEADER: Record<HrisSource, string> = { generic: 'webhook-signature', bamboohr: 'x-bamboohr-signature', hibob: 'bob-signature', personio: 'authorization' };
const bytes = fc.uint8Array({ maxLength: 512 }).map((array) => Buffer.from(array));

/**
 * Outcome of normalise: valid events, or a ValidationError; anything else fails the property.
 * Returns how many events it gave, so a property over shaped inputs can also show that some of
 * them get through (an adapter that returns [] for everything must not pass).
 */
async function expectEventsOrValidationError(source: HrisSource, req: HrisRequest): Promise<number> {
  const outcome = await adapterFor(source).normalise(req, everybodyPort).then(
    (events) => ({ events, error: undefined }),
    (error: unknown) => ({ events: [], error }),
  );
  if (outcome.error !== undefined) expect(outcome.error).toBeInstanceOf(ValidationError);
  for (const event of outcome.events) expect(hrisEventSchema.safeParse(event).success).toBe(true);
  return outcome.events.length;
}

/** Counts the events the runs of a property produced. */
function eventCounter() {
  let events = 0;
  return {
    add: (count: number) => {
      events += count;
    },
    get events() {
      return events;
    },
  };
}

describe.each(SOURCES)('%s verify properties', (source) => {
  const adapter = adapterFor(source);
  const secret = SECRETS[source];

  it('any body signed correctly verifies', () => {
    fc.assert(
      fc.property(bytes, fc.integer({ min: -300, max: 300 }), fc.stringMatching(/^[!-~]{1,40}$/), (body, skew, id) => {
        const req = source === 'generic' ? genericRequest(body, { id, timestamp: NOW_SECONDS + skew })
          : source === 'bamboohr' ? bamboohrRequest(body, { timestamp: NOW_SECONDS + skew })
            : hibobRequest(body);
        expect(() => adapter.verify(req, secret, fixedClock)).not.toThrow();
      }),
    );
  });

  it('any single-byte mutation of the body fails', () => {
    fc.assert(
      fc.property(bytes.filter((body) => body.length > 0), fc.nat(), fc.integer({ min: 1, max: 255 }), (body, at, xor) => {
        const req = signedRequest[source](body);
        const tampered = Buffer.from(body);
        const index = at % tampered.length;
        tampered[index] = (tampered[index] ?? 0) ^ xor;
        expect(() => adapter.verify({ ...req, rawBody: tampered }, secret, fixedClock)).toThrow(UnauthorizedError);
      }),
    );
  });

  it('any single-character mutation of the signature header fails', () => {
    fc.assert(
      fc.property(bytes, fc.nat(), fc.integer({ min: 0x20, max: 0x7e }), (body, at, code) => {
        const req = signedRequest[source](body);
        const header = req.headers[SIGNATURE_HEADER[source]] ?? '';
        const index = at % header.length;
        fc.pre(header.charCodeAt(index) !== code);
        const mutated = header.slice(0, index) + String.fromCharCode(code) + header.slice(index + 1);
        const headers = { ...req.headers, [SIGNATURE_HEADER[source]]: mutated };
        expect(() => adapter.verify({ ...req, headers }, secret, fixedClock)).toThrow(UnauthorizedError);
      }),
    );
  });

  it('arbitrary header strings never throw anything but UnauthorizedError', () => {
    const names = fc.constantFrom('webhook-id', 'webhook-timestamp', 'webhook-signature', 'x-bamboohr-signature', 'x-bamboohr-timestamp', 'bob-signature', 'x-other');
    const value = fc.oneof(fc.string(), fc.string({ unit: 'binary' }), fc.integer().map(String), fc.constant(String(NOW_SECONDS)), fc.constant(''));
    fc.assert(
      fc.property(fc.dictionary(names, value), bytes, (headers, rawBody) => {
        expect(() => adapter.verify({ headers, rawBody }, secret, fixedClock)).toThrow(UnauthorizedError);
      }),
    );
  });

  it('arbitrary JSON and bytes never make normalise throw anything but ValidationError', async () => {
    const body = fc.oneof(fc.jsonValue().map((value) => JSON.stringify(value) ?? 'null'), bytes);
    await fc.assert(fc.asyncProperty(body, async (raw) => {
      await expectEventsOrValidationError(source, signedRequest[source](raw));
    }));
  });
});

/** Payload-shaped arbitraries reach past the first schema check. */
const anyValue = fc.oneof(fc.jsonValue(), fc.constantFrom('Active', 'Inactive', 'Terminated', 'Contractor', 'Full-Time', 'Software Engineer', 'engineer', '2026-03-02', 'a@example.com'));
const timestamp = fc.oneof(fc.constantFrom('2026-03-02T08:00:00Z', '2026-03-02T08:00:00+0000', '2026-03-02T08:00:00.123456'), fc.string());
const employeeId = fc.oneof(fc.constantFrom('40123', 'E-1'), fc.jsonValue());

/** A shipped sample as the parsed body an arbitrary would produce. */
const sampleBody = (source: HrisSource, name: string): never => JSON.parse(readSample(source, name).toString('utf8')) as never;

describe('payload-shaped properties', () => {
  it('generic: shaped payloads give valid events or ValidationError', async () => {
    const keys = fc.constantFrom('employeeId', 'email', 'firstName', 'lastName', 'role', 'employmentType', 'startDate', 'endDate', 'previousRole', 'immediate', 'effectiveAt', 'x');
    const payload = fc.record({
      type: fc.oneof(fc.constantFrom('employee.hired', 'employee.changed', 'employee.left'), fc.string()),
      timestamp,
      data: fc.dictionary(keys, anyValue),
    });
    // Random data rarely makes a valid generic event; the sample mutations below show that valid ones get through.
    await fc.assert(fc.asyncProperty(payload, async (body) => {
      await expectEventsOrValidationError('generic', genericRequest(body));
    }));
  });

  it('bamboohr: shaped payloads give valid events or ValidationError', async () => {
    const names = fc.constantFrom(...Object.values(BAMBOOHR_FIELDS).flat(), 'Mobile Phone');
    const entry = fc.record({
      id: employeeId,
      action: fc.oneof(fc.constantFrom('Created', 'Updated', 'Deleted'), fc.string()),
      timestamp,
      changedFields: fc.array(names),
      fields: fc.dictionary(names, anyValue),
    }, { requiredKeys: ['id', 'action'] });
    const eventBased = fc.record({
      type: fc.constantFrom('employee.created', 'employee.updated', 'employee.deleted'),
      timestamp,
      data: fc.record({ employeeId, changedFields: fc.array(names) }),
    });
    const payload = fc.oneof(fc.record({ employees: fc.array(entry, { maxLength: 3 }) }), eventBased);
    const produced = eventCounter();
    // A real sample runs first: random shapes only sometimes make an event, and the count below must not depend on luck.
    await fc.assert(fc.asyncProperty(payload, async (body) => produced.add(await expectEventsOrValidationError('bamboohr', bamboohrRequest(body)))), { examples: [[sampleBody('bamboohr', 'field-based-created.json')]] });
    expect(produced.events).toBeGreaterThan(0);
  });

  it('hibob: shaped payloads give valid events or ValidationError', async () => {
    const payload = fc.record({
      companyId: fc.oneof(fc.integer(), fc.jsonValue()),
      type: fc.oneof(fc.constantFrom('employee.joined', 'employee.updated', 'employee.left', 'employee.access.revoked.immediately', 'employee.deleted', 'employee.created'), fc.string()),
      triggeredAt: timestamp,
      data: fc.record({ employeeId, fieldUpdates: fc.array(fc.oneof(fc.constantFrom('/work/title', '/home/x'), fc.record({ fieldId: fc.string() }))), effectiveDate: anyValue }, { requiredKeys: [] }),
    }, { requiredKeys: ['type', 'data'] });
    const produced = eventCounter();
    await fc.assert(fc.asyncProperty(payload, async (body) => produced.add(await expectEventsOrValidationError('hibob', hibobRequest(body)))), { examples: [[sampleBody('hibob', 'employee-joined.json')]] });
    expect(produced.events).toBeGreaterThan(0);
  });
});

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
const paths = (value: Json, prefix: (string | number)[] = []): (string | number)[][] => {
  if (value === null || typeof value !== 'object') return [prefix];
  const entries: [string | number, Json][] = Array.isArray(value) ? value.map((item, index) => [index, item]) : Object.entries(value);
  return [prefix, ...entries.flatMap(([key, child]) => paths(child, [...prefix, key]))];
};
/** A copy of `value` with the node at `path` replaced (or removed when `replacement` is undefined). */
function replaceAt(value: Json, path: (string | number)[], replacement: Json | undefined): Json | undefined {
  const [head, ...rest] = path;
  if (head === undefined) return replacement;
  if (value === null || typeof value !== 'object') return value;
  const copy: Record<string, Json> | Json[] = Array.isArray(value) ? [...value] : { ...value };
  const child = replaceAt((copy as Record<string, Json>)[head] ?? null, rest, replacement);
  if (child === undefined && !Array.isArray(copy)) delete copy[head as string];
  else (copy as Record<string, Json>)[head] = child ?? null;
  return copy;
}

describe.each(SOURCES)('%s: every sample with one node replaced or removed', (source) => {
  it('gives valid events or ValidationError', async () => {
    const samples = sampleNames(source).map((name) => JSON.parse(readSample(source, name).toString('utf8')) as Json);
    const mutated = fc.constantFrom(...samples).chain((sample) =>
      fc.tuple(fc.constantFrom(...paths(sample)), fc.option(fc.oneof(fc.jsonValue(), anyValue) as fc.Arbitrary<Json>, { nil: undefined }))
        .map(([path, replacement]) => replaceAt(sample, path, replacement) ?? null));
    const produced = eventCounter();
    await fc.assert(fc.asyncProperty(mutated, async (body) => produced.add(await expectEventsOrValidationError(source, signedRequest[source](JSON.stringify(body))))), { numRuns: 300 });
    // Most single-node changes keep a sample valid: they must still give events.
    expect(produced.events).toBeGreaterThan(0);
  });
});
