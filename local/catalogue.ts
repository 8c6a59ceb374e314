import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { loadCatalogue } from '../functions/lib/domain/catalogue/load.ts';
import type { DeployedCatalogue } from '../functions/lib/runtime/catalogue-source.ts';

/**
 * The catalogue the local cloud serves: `GATEHOUSE_CATALOGUE=path npm start`, default the
 * shipped example. Checked at boot (an invalid file stops the boot, naming the file and each
 * JSON path), then handed to the functions as CATALOGUE_SOURCE, as the stack hands them its S3
 * object. Local tools (seeding, demo, bench) read the same file.
 *
 * The local cloud runs the functions in its own process, so the first import of
 * functions/lib/domain/catalogue/catalogue.ts fixes the catalogue for that process: tools and tests
 * read the file here instead of importing that module before the cloud has started.
 */
export const SHIPPED_CATALOGUE = resolve(import.meta.dirname, '..', 'config', 'role-catalogue.json');

export const localCatalogueFile = (env: Record<string, string | undefined> = process.env): string =>
  resolve(env.GATEHOUSE_CATALOGUE ?? SHIPPED_CATALOGUE);

export function readLocalCatalogue(file: string = localCatalogueFile()): DeployedCatalogue {
  return { ...loadCatalogue(readFileSync(file, 'utf8'), file), source: file };
}
