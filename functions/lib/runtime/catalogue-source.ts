import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { readCatalogueObject } from '#lib/adapters/aws/catalogue-object';
import { loadCatalogue, type LoadedCatalogue } from '#lib/domain/catalogue/load';
import { ConfigError } from '#lib/domain/shared/errors';

/**
 * Where a function finds the catalogue: `CATALOGUE_SOURCE`, set by the stack to the S3 object
 * it uploaded (`s3://<assets bucket>/<content hash>.json`), and by the local cloud to the file
 * `GATEHOUSE_CATALOGUE` names (default config/role-catalogue.json). Never the bundle: the same
 * build serves any catalogue. Loaded once at cold start; an invalid catalogue fails the init with
 * a CatalogueInvalidError naming the source and each JSON path.
 */
export const CATALOGUE_SOURCE_ENV = 'CATALOGUE_SOURCE';

export interface CatalogueReaders {
  s3(bucket: string, key: string): Promise<string>;
  file(path: string): Promise<string>;
}

const defaultReaders: CatalogueReaders = {
  s3: (bucket, key) => readCatalogueObject(bucket, key),
  file: (path) => readFile(path, 'utf8'),
};

export interface DeployedCatalogue extends LoadedCatalogue {
  readonly source: string;
}

export async function loadDeployedCatalogue(
  env: Record<string, string | undefined>,
  readers: CatalogueReaders = defaultReaders,
): Promise<DeployedCatalogue> {
  const source = env[CATALOGUE_SOURCE_ENV];
  if (source === undefined || source === '') {
    throw new ConfigError(`${CATALOGUE_SOURCE_ENV} is not set: the stack sets it to the catalogue's S3 object, the local cloud to a file`);
  }
  const s3 = /^s3:\/\/([^/]+)\/(.+)$/.exec(source);
  let text: string;
  try {
    text = s3 ? await readers.s3(s3[1] ?? '', s3[2] ?? '') : await readers.file(resolve(source));
  } catch (error) {
    throw new ConfigError(`cannot read the role catalogue from ${source}: ${(error as Error).message}`, { cause: error });
  }
  return { ...loadCatalogue(text, source), source };
}
