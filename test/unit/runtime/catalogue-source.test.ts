import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { GetObjectCommand, NoSuchKey, S3Client } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { readCatalogueObject } from '#lib/adapters/aws/catalogue-object';
import { CatalogueInvalidError } from '#lib/domain/catalogue/load';
import { ConfigError } from '#lib/domain/shared/errors';
import { loadDeployedCatalogue, type CatalogueReaders } from '#lib/runtime/catalogue-source';

const ROOT = join(import.meta.dirname, '../../..');
const shipped = readFileSync(join(ROOT, 'config/role-catalogue.json'), 'utf8');
const s3 = mockClient(S3Client);
afterEach(() => s3.reset());

const readers = (files: Record<string, string>): CatalogueReaders & { calls: string[] } => {
  const calls: string[] = [];
  return {
    calls,
    s3: (bucket, key) => {
      calls.push(`s3://${bucket}/${key}`);
      const text = files[`s3://${bucket}/${key}`];
      return text === undefined ? Promise.reject(new NoSuchKey({ message: 'The specified key does not exist.', $metadata: {} })) : Promise.resolve(text);
    },
    file: (path) => {
      calls.push(path);
      return Promise.resolve(files[path] ?? '');
    },
  };
};

describe('loading the deployed catalogue at cold start', () => {
  it('reads the S3 object the stack named and returns it with its version id', async () => {
    const from = readers({ 's3://cdk-assets-1/abc.json': shipped });

    const loaded = await loadDeployedCatalogue({ CATALOGUE_SOURCE: 's3://cdk-assets-1/abc.json' }, from);

    expect(from.calls).toEqual(['s3://cdk-assets-1/abc.json']);
    expect(loaded.catalogue.roles.map((role) => role.id)).toContain('engineer');
    expect(loaded.version).toMatch(/^cat-[0-9a-f]{16}$/);
    expect(loaded.source).toBe('s3://cdk-assets-1/abc.json');
  });

  it('reads a file when the source is a path (the local cloud)', async () => {
    const from = readers({ [join(ROOT, 'config/role-catalogue.json')]: shipped });

    const loaded = await loadDeployedCatalogue({ CATALOGUE_SOURCE: join(ROOT, 'config/role-catalogue.json') }, from);

    expect(loaded.catalogue.unassigned).toBe('refuse');
  });

  it('fails the init naming the source and the JSON path when the catalogue is invalid', async () => {
    const broken = readFileSync(join(ROOT, 'test/fixtures/catalogues/broken/rule-unknown-role.json'), 'utf8');

    const loading = loadDeployedCatalogue({ CATALOGUE_SOURCE: 's3://b/k.json' }, readers({ 's3://b/k.json': broken }));

    await expect(loading).rejects.toBeInstanceOf(CatalogueInvalidError);
    await expect(loading).rejects.toThrow("role catalogue s3://b/k.json is invalid: $.assignments[1].role: unknown role 'developer'");
  });

  it('says what is missing when the source is unset or unreadable', async () => {
    await expect(loadDeployedCatalogue({}, readers({}))).rejects.toThrow(ConfigError);
    await expect(loadDeployedCatalogue({}, readers({}))).rejects.toThrow(/CATALOGUE_SOURCE is not set/);
    await expect(loadDeployedCatalogue({ CATALOGUE_SOURCE: 's3://b/gone.json' }, readers({}))).rejects.toThrow(
      'cannot read the role catalogue from s3://b/gone.json: The specified key does not exist.',
    );
  });

  it('gets the object with s3:GetObject on exactly that bucket and key', async () => {
    // The SDK's streaming body, as far as the adapter uses it.
    const body = { transformToString: (encoding?: string) => Promise.resolve(encoding === 'utf8' ? shipped : '') };
    s3.on(GetObjectCommand, { Bucket: 'cdk-assets-1', Key: 'abc.json' }).resolves({ Body: body as never });

    const text = await readCatalogueObject('cdk-assets-1', 'abc.json', new S3Client({}));

    expect(text).toBe(shipped);
    expect(s3.commandCalls(GetObjectCommand)).toHaveLength(1);
  });
});
