import { describe, expect, it } from 'vitest';
import { formatAsl, reformatAsl } from '../../../tools/asl/format.ts';

describe('formatAsl', () => {
  it('puts arrays of scalars on one line and nests objects and arrays of objects with two spaces', () => {
    const text = formatAsl({ Retry: [{ ErrorEquals: ['A', 'B'], MaxAttempts: 2 }], Empty: [], None: {}, Mixed: [1, null, 'x"y'] });
    expect(text).toBe(
      [
        '{',
        '  "Retry": [',
        '    {',
        '      "ErrorEquals": ["A", "B"],',
        '      "MaxAttempts": 2',
        '    }',
        '  ],',
        '  "Empty": [],',
        '  "None": {},',
        '  "Mixed": [1, null, "x\\"y"]',
        '}',
        '',
      ].join('\n'),
    );
  });

  it('keeps the document: the formatted text parses back to the same value, and formatting is stable', () => {
    const value = { States: { A: { Type: 'Pass', Result: { list: [[1, 2], [3]], deep: { k: [true, false] } }, End: true } } };
    const once = formatAsl(value);
    expect(JSON.parse(once)).toEqual(value);
    expect(reformatAsl(once, 'x.asl.json')).toBe(once);
  });

  it('names the file when the text is not JSON', () => {
    expect(() => reformatAsl('{ "States": ', 'broken.asl.json')).toThrow(/^broken\.asl\.json: not JSON/);
  });
});
