import type { Catalogue } from '#lib/domain/catalogue/schema';
import { loadDeployedCatalogue } from '#lib/runtime/catalogue-source';

const deployed = await loadDeployedCatalogue(process.env);

/**
 * The deployed catalogue, loaded at cold start (top-level await, so during Lambda's init) from
 * where the stack or the local cloud put it (runtime/catalogue-source.ts), never from the bundle:
 * a broken catalogue fails the init, naming the source and the JSON path.
 */
export const roleCatalogue: Catalogue = deployed.catalogue;
/** Its content hash (domain/catalogue/version.ts), recorded on requests and their audit entries. */
export const catalogueVersionId: string = deployed.version;
