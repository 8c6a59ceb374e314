import { z } from 'zod';
import { catalogueSchema } from '#lib/domain/catalogue/schema';

/**
 * The JSON Schema shipped beside the catalogue (`config/role-catalogue.schema.json`), generated
 * from the zod schema so the two cannot drift (a unit test compares the shipped file with this).
 * It describes shapes and formats; cross-references (unknown entitlement or role ids, duplicates,
 * rules that never match) are checked by `gatehouse catalogue validate`, which editors cannot run.
 */
export const CATALOGUE_SCHEMA_FILE = 'config/role-catalogue.schema.json';

export function catalogueJsonSchema(): Record<string, unknown> {
  // io 'input': what an operator writes (fields with defaults are optional).
  const generated = z.toJSONSchema(catalogueSchema, { io: 'input', unrepresentable: 'any' });
  return {
    ...generated,
    title: 'Gatehouse role catalogue',
    description: 'Roles, entitlements, birthright and assignment rules. Cross-references are checked by `npm run gatehouse -- catalogue validate <file>`.',
  };
}

/** The schema file's exact text (2-space JSON and a final newline), as the CLI writes it. */
export const catalogueJsonSchemaText = (): string => `${JSON.stringify(catalogueJsonSchema(), null, 2)}\n`;
