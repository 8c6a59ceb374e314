import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { accessRequestBodySchema, extendBodySchema, extendRequestSchema, grantRequestSchema, revokeRequestSchema } from '#lib/domain/time-bound/schemas';

/** Every sample under events/access-requests/ is parsed by the schema it claims to follow. */
const DIR = join(import.meta.dirname, '..', '..', '..', 'events', 'access-requests');
const INPUTS = { grant: grantRequestSchema, extend: extendRequestSchema, revoke: revokeRequestSchema };
const schemaFor = (file: string) => {
  const kind = file.split('-')[0] as keyof typeof INPUTS;
  if (file.endsWith('-input.json')) return INPUTS[kind];
  return kind === 'extend' ? extendBodySchema : accessRequestBodySchema;
};

describe('events/access-requests samples', () => {
  const files = readdirSync(DIR).filter((file) => file.endsWith('.json'));
  it('has request bodies and state machine inputs', () => {
    expect(files.length).toBe(6);
  });
  it.each(files)('%s matches its schema', (file) => {
    const parsed = schemaFor(file).safeParse(JSON.parse(readFileSync(join(DIR, file), 'utf8')));
    expect(parsed.success ? 'ok' : parsed.error.message).toBe('ok');
  });
});
