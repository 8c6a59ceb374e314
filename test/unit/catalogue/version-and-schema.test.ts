import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { catalogueJsonSchemaText } from '#lib/domain/catalogue/json-schema';
import { checkCatalogue, checkCatalogueText } from '#lib/domain/catalogue/load';
import { catalogueVersion, catalogueVersionPattern } from '#lib/domain/catalogue/version';

const ROOT = join(import.meta.dirname, '../../..');
const shippedText = readFileSync(join(ROOT, 'config/role-catalogue.json'), 'utf8');

function loaded(json: unknown): { version: string } {
  const check = checkCatalogue(json);
  if (!check.ok) throw new Error(`expected a valid catalogue: ${JSON.stringify(check.issues)}`);
  return check;
}

describe('the shipped catalogue and its JSON Schema', () => {
  it('ships the JSON Schema generated from the zod schema, byte for byte', () => {
    const shipped = readFileSync(join(ROOT, 'config/role-catalogue.schema.json'), 'utf8');

    expect(shipped).toBe(catalogueJsonSchemaText());
  });

  it('points editors at the schema and is valid', () => {
    const check = checkCatalogueText(shippedText);

    expect(JSON.parse(shippedText).$schema).toBe('./role-catalogue.schema.json');
    expect(check.ok).toBe(true);
  });
});

describe('catalogue version ids', () => {
  const document = JSON.parse(shippedText) as Record<string, unknown>;

  it('is cat- and 16 hex digits of the content hash', () => {
    expect(loaded(document).version).toMatch(catalogueVersionPattern);
  });

  it('does not change with indentation, key order or $schema', () => {
    const reordered = Object.fromEntries(Object.entries(document).reverse().filter(([key]) => key !== '$schema'));

    expect(loaded(JSON.parse(JSON.stringify(document, null, 8))).version).toBe(loaded(document).version);
    expect(loaded(reordered).version).toBe(loaded(document).version);
  });

  it('is the same whether a default is left out or spelt out', () => {
    const bare = Object.fromEntries(Object.entries(document).filter(([key]) => key !== 'assignments' && key !== 'unassigned'));

    expect(loaded({ ...bare, assignments: [], unassigned: 'refuse' }).version).toBe(loaded(bare).version);
    expect(loaded({ ...bare, unassigned: 'birthright-only' }).version).not.toBe(loaded(bare).version);
  });

  it('changes when what a role grants changes', () => {
    const roles = (document.roles as { id: string; entitlements: string[] }[]).map((role) =>
      role.id === 'sales' ? { ...role, entitlements: [...role.entitlements, 'group:Finance'] } : role,
    );

    expect(loaded({ ...document, roles }).version).not.toBe(loaded(document).version);
  });

  it('hashes the parsed catalogue, not its source text', () => {
    expect(catalogueVersion({ b: 1, a: [1, 2] })).toBe(catalogueVersion({ a: [1, 2], b: 1 }));
    expect(catalogueVersion({ a: [1, 2] })).not.toBe(catalogueVersion({ a: [2, 1] }));
  });
});
