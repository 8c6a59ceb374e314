import { invalid } from './parse.ts';
import { isCatalogueRole, lookupRole, type CatalogueRoleId } from './roles.ts';

/**
 * HiBob role mapping, for the directory port that reads Bob's People API (HiBob payloads
 * are thin, so the adapter itself only sees ids). Rule: the custom field
 * `work.custom.gatehouseRole` holds the catalogue role id and wins; otherwise `work.title`
 * must be in this table. Anything else is a ValidationError naming the field.
 */
export const HIBOB_TITLE_ROLES: Readonly<Record<string, CatalogueRoleId>> = {
  'Software Engineer': 'engineer',
  'Backend Engineer': 'engineer',
  'Data Scientist': 'data-scientist',
  'Account Executive': 'sales',
  'Finance Administrator': 'finance-admin',
};

export function hibobRoleFor(work: { title?: string | undefined; gatehouseRole?: string | undefined }, root = 'work'): CatalogueRoleId {
  const explicit = work.gatehouseRole?.trim();
  if (explicit !== undefined && explicit !== '') {
    if (!isCatalogueRole(explicit)) throw invalid(root, ['custom', 'gatehouseRole'], 'must be a catalogue role id');
    return explicit;
  }
  const title = work.title?.trim();
  if (title === undefined || title === '') throw invalid(root, ['title'], 'required (or work.custom.gatehouseRole)');
  const role = lookupRole(HIBOB_TITLE_ROLES, title);
  if (role === undefined) throw invalid(root, ['title'], 'has no role mapping; set work.custom.gatehouseRole');
  return role;
}
