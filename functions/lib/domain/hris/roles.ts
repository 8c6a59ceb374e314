import { z } from 'zod';

/**
 * The catalogue role ids an HRIS may assign. Adapters map vendor values onto these with
 * small explicit tables and never guess: anything else is a ValidationError naming the
 * field. Kept in step with `config/role-catalogue.json` by a unit test; the
 * catalogue stays the authority on what each role grants.
 */
export const CATALOGUE_ROLE_IDS = ['engineer', 'platform-engineer', 'data-scientist', 'sales', 'finance-admin'] as const;
export type CatalogueRoleId = (typeof CATALOGUE_ROLE_IDS)[number];

export const catalogueRoleSchema = z.enum(CATALOGUE_ROLE_IDS, {
  error: () => `must be a catalogue role id (${CATALOGUE_ROLE_IDS.join(', ')})`,
});

export const isCatalogueRole = (value: string): value is CatalogueRoleId =>
  (CATALOGUE_ROLE_IDS as readonly string[]).includes(value);

/** Looks a vendor label up in an explicit table (own keys only, exact match after trimming). */
export function lookupRole(table: Readonly<Record<string, CatalogueRoleId>>, label: string): CatalogueRoleId | undefined {
  const key = label.trim();
  return Object.hasOwn(table, key) ? table[key] : undefined;
}
