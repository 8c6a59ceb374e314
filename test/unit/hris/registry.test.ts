import { describe, expect, it } from 'vitest';
import { NotFoundError, PayloadTooLargeError, ValidationError } from '#lib/domain/shared/errors';
import { bamboohrAdapter } from '#lib/domain/hris/bamboohr';
import { bodyDeliveryId, deliveryIdFrom, entryDeliveryId } from '#lib/domain/hris/delivery-id';
import { genericAdapter } from '#lib/domain/hris/generic';
import { hibobAdapter } from '#lib/domain/hris/hibob';
import { personioAdapter } from '#lib/domain/hris/personio';
import { formatPath, parseWith, toIsoInstant } from '#lib/domain/hris/parse';
import { MAX_BODY_BYTES, adapterFor, assertBodySize } from '#lib/domain/hris/registry';
import { PeopleStore } from '../../../local/hris/people.ts';
import { peopleDirectory } from '../../../local/hris/records.ts';
import { z } from 'zod';
import { seedMap } from './support.ts';

describe('adapterFor', () => {
  it.each([
    ['generic', genericAdapter], ['bamboohr', bamboohrAdapter], ['hibob', hibobAdapter], ['personio', personioAdapter],
  ] as const)('%s', (source, adapter) => {
    expect(adapterFor(source)).toBe(adapter);
    expect(adapter.source).toBe(source);
  });

  it.each(['workday', 'GENERIC', '', '__proto__', 'constructor', 'toString'])('unknown source %j is NotFoundError', (source) => {
    expect(() => adapterFor(source)).toThrow(NotFoundError);
  });
});

describe('assertBodySize', () => {
  it('accepts exactly MAX_BODY_BYTES and rejects one more', () => {
    expect(MAX_BODY_BYTES).toBe(256 * 1024);
    expect(() => assertBodySize(Buffer.alloc(MAX_BODY_BYTES))).not.toThrow();
    expect(() => assertBodySize(Buffer.alloc(MAX_BODY_BYTES + 1))).toThrow(PayloadTooLargeError);
    expect(() => assertBodySize(MAX_BODY_BYTES + 1)).toThrow(PayloadTooLargeError);
  });
});

describe('delivery ids', () => {
  it('prefix fitting vendor ids, hash the rest, deterministically', () => {
    expect(deliveryIdFrom('hibob', 'evt_1')).toBe('hibob-evt_1');
    expect(deliveryIdFrom('hibob', 'a'.repeat(59))).toMatch(/^hibob-[A-Za-z0-9_-]{43}$/);
    expect(deliveryIdFrom('hibob', 'x y')).toBe(deliveryIdFrom('hibob', 'x y'));
    expect(bodyDeliveryId('bamboohr', Buffer.from('{}'))).toBe('bamboohr-RBNvo1WzZ4oRRq0W9-hknpT7T8If536DEMBg9hyq_4o');
  });

  it('give each entry of a multi-employee delivery its own id', () => {
    expect(entryDeliveryId('bamboohr', 'bamboohr-abc', 0, 1)).toBe('bamboohr-abc');
    expect(entryDeliveryId('bamboohr', 'bamboohr-abc', 1, 2)).toBe('bamboohr-abc-1');
    const long = `bamboohr-${'a'.repeat(55)}`;
    const ids = [0, 1, 2].map((index) => entryDeliveryId('bamboohr', long, index, 3));
    expect(new Set(ids).size).toBe(3);
    for (const id of ids) expect(id).toMatch(/^bamboohr-[A-Za-z0-9_-]{43}$/);
  });
});

describe('parse helpers', () => {
  it('formatPath quotes keys that are not identifiers', () => {
    expect(formatPath('body', ['employees', 0, 'fields', 'Job Title'])).toBe('body.employees[0].fields["Job Title"]');
  });

  it('parseWith names the path of the first issue', () => {
    expect(() => parseWith(z.object({ a: z.array(z.string()) }), { a: ['x', 1] })).toThrow(/^body\.a\[1\]: /);
    expect(() => parseWith(z.string(), 1)).toThrow(ValidationError);
  });

  it.each([
    ['2026-01-31T18:42:00+0000', '2026-01-31T18:42:00.000Z'],
    ['2026-01-31T18:42:00-05:30', '2026-02-01T00:12:00.000Z'],
    ['2025-01-08T13:06:26.915906', '2025-01-08T13:06:26.915Z'],
    ['2026-03-02T08:00:00Z', '2026-03-02T08:00:00.000Z'],
    ['2026-02-30T08:00:00Z', undefined],
    ['2026-03-02T25:00:00Z', undefined],
    ['2026-03-02', undefined],
    ['yesterday', undefined],
  ])('toIsoInstant(%j) = %j', (text, expected) => {
    expect(toIsoInstant(text)).toBe(expected);
  });
});

describe('the local HRIS as a directory (peopleDirectory)', () => {
  it('serves the seed as each vendor renders it, keeps sources apart and knows nobody else', async () => {
    const directory = peopleDirectory(new PeopleStore(seedMap()));
    await expect(directory.getEmployee('hibob', '3332883854254932743')).resolves.toMatchObject({ email: 'jamie.placeholder@example.com', role: 'engineer' });
    await expect(directory.getEmployee('bamboohr', '3332883854254932743')).resolves.toBeUndefined();
    await expect(directory.getEmployee('generic', '40124')).resolves.toBeUndefined();
    await expect(directory.getEmployee('bamboohr', '__proto__')).resolves.toBeUndefined();
  });
});
