import { describe, expect, it } from 'vitest';
import { EventPatternError, matchesEventPattern, parseEventPattern, validateEventPattern } from '../../local/emulators/event-pattern.ts';

const event = {
  version: '0',
  id: 'e1',
  'detail-type': 'employee.hired',
  source: 'gatehouse.hris',
  account: '000000000000',
  time: '2026-11-02T09:30:00Z',
  region: 'us-east-1',
  resources: ['arn:aws:iam::000000000000:user/a', 'arn:aws:iam::000000000000:user/b'],
  detail: {
    vendor: 'BambooHR',
    employee: { id: 'E-42', department: 'Finance', level: 7, manager: null, contractor: false },
    fileName: 'offer-letter.PDF',
    tags: ['remote', 'eu'],
    blank: '',
    roles: [{ name: 'analyst' }, { name: 'approver' }],
  },
};

const matches = (pattern: object): boolean => matchesEventPattern(validateEventPattern(pattern), event);

describe('event pattern: exact values', () => {
  it('matches any listed value and requires every field', () => {
    expect(matches({ source: ['gatehouse.hris'] })).toBe(true);
    expect(matches({ source: ['other', 'gatehouse.hris'], 'detail-type': ['employee.hired'] })).toBe(true);
    expect(matches({ source: ['gatehouse.hris'], 'detail-type': ['employee.left'] })).toBe(false);
    expect(matches({ detail: { missing: ['x'] } })).toBe(false);
  });

  it('matches numbers, booleans, null and the empty string by type', () => {
    expect(matches({ detail: { employee: { level: [7] } } })).toBe(true);
    expect(matches({ detail: { employee: { level: ['7'] } } })).toBe(false);
    expect(matches({ detail: { employee: { contractor: [false] } } })).toBe(true);
    expect(matches({ detail: { employee: { manager: [null] } } })).toBe(true);
    expect(matches({ detail: { blank: [''] } })).toBe(true);
    expect(matches({ detail: { blank: [null] } })).toBe(false);
  });

  it('matches an event array when any element matches', () => {
    expect(matches({ resources: ['arn:aws:iam::000000000000:user/b'] })).toBe(true);
    expect(matches({ detail: { tags: ['eu'] } })).toBe(true);
    expect(matches({ detail: { tags: ['us'] } })).toBe(false);
    expect(matches({ detail: { roles: { name: ['approver'] } } })).toBe(true);
  });

  it('matches nested objects and $or', () => {
    expect(matches({ detail: { employee: { department: ['Finance'] } } })).toBe(true);
    expect(matches({ detail: { employee: { department: ['IT'] } } })).toBe(false);
    expect(matches({ detail: { $or: [{ vendor: ['HiBob'] }, { employee: { level: [7] } }] } })).toBe(true);
    expect(matches({ detail: { $or: [{ vendor: ['HiBob'] }, { employee: { level: [8] } }] } })).toBe(false);
  });
});

describe('event pattern: string operators', () => {
  it('prefix, with and without equals-ignore-case', () => {
    expect(matches({ source: [{ prefix: 'gatehouse.' }] })).toBe(true);
    expect(matches({ source: [{ prefix: 'GATEHOUSE.' }] })).toBe(false);
    expect(matches({ source: [{ prefix: { 'equals-ignore-case': 'GATEHOUSE.' } }] })).toBe(true);
    expect(matches({ detail: { employee: { level: [{ prefix: '7' }] } } })).toBe(false);
  });

  it('suffix, with and without equals-ignore-case', () => {
    expect(matches({ detail: { fileName: [{ suffix: '.PDF' }] } })).toBe(true);
    expect(matches({ detail: { fileName: [{ suffix: '.pdf' }] } })).toBe(false);
    expect(matches({ detail: { fileName: [{ suffix: { 'equals-ignore-case': '.pdf' } }] } })).toBe(true);
  });

  it('equals-ignore-case', () => {
    expect(matches({ detail: { vendor: [{ 'equals-ignore-case': 'bamboohr' }] } })).toBe(true);
    expect(matches({ detail: { vendor: [{ 'equals-ignore-case': 'hibob' }] } })).toBe(false);
  });

  it('wildcard, with escapes', () => {
    expect(matches({ detail: { fileName: [{ wildcard: 'offer-*.PDF' }] } })).toBe(true);
    expect(matches({ detail: { fileName: [{ wildcard: '*.pdf' }] } })).toBe(false);
    expect(matches({ time: [{ wildcard: '2026-11-*T09:*' }] })).toBe(true);
    expect(matchesEventPattern(validateEventPattern({ a: [{ wildcard: 'x\\*y' }] }), { a: 'x*y' })).toBe(true);
    expect(matchesEventPattern(validateEventPattern({ a: [{ wildcard: 'x\\*y' }] }), { a: 'xzzy' })).toBe(false);
    expect(matchesEventPattern(validateEventPattern({ a: [{ wildcard: 'a.c' }] }), { a: 'abc' })).toBe(false);
  });
});

describe('event pattern: anything-but', () => {
  it('a single value or a list', () => {
    expect(matches({ detail: { vendor: [{ 'anything-but': 'HiBob' }] } })).toBe(true);
    expect(matches({ detail: { vendor: [{ 'anything-but': 'BambooHR' }] } })).toBe(false);
    expect(matches({ detail: { vendor: [{ 'anything-but': ['HiBob', 'BambooHR'] }] } })).toBe(false);
    expect(matches({ detail: { employee: { level: [{ 'anything-but': [1, 2] }] } } })).toBe(true);
    expect(matches({ detail: { employee: { level: [{ 'anything-but': 7 }] } } })).toBe(false);
  });

  it('prefix, suffix, equals-ignore-case and wildcard', () => {
    expect(matches({ source: [{ 'anything-but': { prefix: 'aws.' } }] })).toBe(true);
    expect(matches({ source: [{ 'anything-but': { prefix: 'gatehouse' } }] })).toBe(false);
    expect(matches({ detail: { fileName: [{ 'anything-but': { suffix: '.PDF' } }] } })).toBe(false);
    expect(matches({ detail: { vendor: [{ 'anything-but': { 'equals-ignore-case': ['bamboohr'] } }] } })).toBe(false);
    expect(matches({ detail: { vendor: [{ 'anything-but': { wildcard: 'Hi*' } }] } })).toBe(true);
  });

  it('never matches a missing field', () => {
    expect(matches({ detail: { missing: [{ 'anything-but': 'x' }] } })).toBe(false);
  });
});

describe('event pattern: exists and numeric', () => {
  it('exists true / false on leaves', () => {
    expect(matches({ detail: { vendor: [{ exists: true }] } })).toBe(true);
    expect(matches({ detail: { missing: [{ exists: true }] } })).toBe(false);
    expect(matches({ detail: { missing: [{ exists: false }] } })).toBe(true);
    expect(matches({ detail: { vendor: [{ exists: false }] } })).toBe(false);
    expect(matches({ nothing: { deeper: [{ exists: false }] } })).toBe(true);
    // exists only looks at leaves: an object is not one.
    expect(matches({ detail: { employee: [{ exists: true }] } })).toBe(false);
  });

  it('numeric comparisons and ranges', () => {
    expect(matches({ detail: { employee: { level: [{ numeric: ['=', 7] }] } } })).toBe(true);
    expect(matches({ detail: { employee: { level: [{ numeric: ['>', 5, '<=', 7] }] } } })).toBe(true);
    expect(matches({ detail: { employee: { level: [{ numeric: ['>', 5, '<', 7] }] } } })).toBe(false);
    expect(matches({ detail: { employee: { level: [{ numeric: ['>=', 8] }] } } })).toBe(false);
    expect(matches({ detail: { vendor: [{ numeric: ['>', 0] }] } })).toBe(false);
  });
});

describe('event pattern: validation', () => {
  it.each([
    ['not an object', ['a']],
    ['an empty pattern', {}],
    ['a bare leaf value', { source: 'gatehouse.hris' }],
    ['an empty list', { source: [] }],
    ['an unknown operator', { source: [{ regex: '.*' }] }],
    ['two keys in one operator', { source: [{ prefix: 'a', suffix: 'b' }] }],
    ['a bad numeric operator', { n: [{ numeric: ['!=', 1] }] }],
    ['an inverted numeric range', { n: [{ numeric: ['<', 5, '>', 1] }] }],
    ['a non-boolean exists', { n: [{ exists: 'yes' }] }],
    ['a mixed anything-but list', { n: [{ 'anything-but': ['a', 1] }] }],
    ['a one-branch $or', { $or: [{ a: ['x'] }] }],
  ])('rejects %s', (_label, pattern) => {
    expect(() => validateEventPattern(pattern)).toThrow(EventPatternError);
  });

  it('names the offending field', () => {
    expect(() => validateEventPattern({ detail: { state: [{ prefix: 3 }] } })).toThrow(/detail\.state/);
  });

  it('parses JSON text and rejects what is not JSON', () => {
    expect(parseEventPattern('{"source":["a"]}')).toEqual({ source: ['a'] });
    expect(() => parseEventPattern('{source:')).toThrow(EventPatternError);
  });
});
