import type { Readable } from 'node:stream';
import { GetObjectCommand, ListObjectsV2Command, type S3Client } from '@aws-sdk/client-s3';
import { callAws, isAwsError } from './call-aws.ts';
import { allPages } from './pages.ts';
import { ExportFormatError } from '../../domain/audit-export/errors.ts';
import { MANIFEST_SUMMARY } from '../../domain/audit-export/layout.ts';
import type { ExportSource } from '../../domain/audit-export/reader.ts';

/**
 * An export read in place from S3: `s3://bucket/prefix` (the newest export under
 * prefix/AWSDynamoDB/ is taken, export ids start with their time in milliseconds) or
 * `s3://bucket/prefix/AWSDynamoDB/<id>`. Data files stream from GetObject straight into the
 * reader's gunzip; nothing is downloaded first. Needs s3:ListBucket and s3:GetObject (the
 * gatehouse-audit-exporter policy).
 */

export interface S3Uri {
  bucket: string;
  /** Key prefix without leading or trailing slash; '' for the bucket root. */
  key: string;
}

export function parseS3Uri(uri: string): S3Uri {
  const match = /^s3:\/\/([a-z0-9][a-z0-9.-]{1,61}[a-z0-9])(?:\/(.*))?$/.exec(uri);
  if (!match) throw new RangeError(`--s3 must be s3://<bucket>[/<prefix>], not ${uri}`);
  return { bucket: match[1]!, key: (match[2] ?? '').replace(/^\/+|\/+$/g, '') };
}

const under = (prefix: string, name: string): string => (prefix === '' ? name : `${prefix}/${name}`);

type S3 = Pick<S3Client, 'send'>;

async function unreadable<T>(what: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw new ExportFormatError(`cannot read from S3 (${(error as Error).name}: ${(error as Error).message})`, what, undefined, { cause: error });
  }
}

async function exists(client: S3, bucket: string, key: string): Promise<boolean> {
  const out = await unreadable(`s3://${bucket}/${key}`, () => callAws('ListObjectsV2', () => client.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: key, MaxKeys: 1 }))));
  return (out.Contents ?? []).some((object) => object.Key === key);
}

/** The export folder the URI means: itself when it holds a manifest, else the newest AWSDynamoDB/<id> under it. */
async function exportPrefix(client: S3, { bucket, key }: S3Uri): Promise<string> {
  if (await exists(client, bucket, under(key, MANIFEST_SUMMARY))) return key;
  const root = key === 'AWSDynamoDB' || key.endsWith('/AWSDynamoDB') ? key : under(key, 'AWSDynamoDB');
  const prefixes = await allPages(async (token) => {
    const out = await unreadable(`s3://${bucket}/${root}/`, () =>
      callAws('ListObjectsV2', () => client.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: `${root}/`, Delimiter: '/', ContinuationToken: token }))),
    );
    return { items: out.CommonPrefixes ?? [], next: out.NextContinuationToken };
  });
  const ids = prefixes.flatMap((common) => (common.Prefix ? [common.Prefix.slice(root.length + 1, -1)] : []));
  for (const id of ids.sort().reverse()) {
    if (await exists(client, bucket, `${root}/${id}/${MANIFEST_SUMMARY}`)) return `${root}/${id}`;
  }
  return key;
}

export async function s3ExportSource(client: S3, uri: string): Promise<ExportSource> {
  const parsed = parseS3Uri(uri);
  const { bucket } = parsed;
  const dir = await exportPrefix(client, parsed);
  const where = (name: string): string => `s3://${bucket}/${under(dir, name)}`;

  async function get(key: string, what: string): Promise<Readable | undefined> {
    try {
      const out = await callAws('GetObject', () => client.send(new GetObjectCommand({ Bucket: bucket, Key: key })));
      return out.Body as Readable | undefined;
    } catch (error) {
      if (isAwsError(error, 'NoSuchKey', 'NotFound')) return undefined;
      throw new ExportFormatError(`cannot read from S3 (${(error as Error).name}: ${(error as Error).message})`, what, undefined, { cause: error });
    }
  }

  return {
    location: `s3://${bucket}/${dir}`,
    where,
    async readManifest(name) {
      const body = await get(under(dir, name), where(name));
      if (!body) return undefined;
      const chunks: Buffer[] = [];
      for await (const chunk of body) chunks.push(Buffer.from(chunk as Uint8Array));
      return Buffer.concat(chunks).toString('utf8');
    },
    openDataFile(dataFileS3Key) {
      // As for a local folder: the data file lies under this export's folder, wherever it was copied.
      const at = dataFileS3Key.indexOf('/data/');
      return get(at >= 0 ? under(dir, dataFileS3Key.slice(at + 1)) : dataFileS3Key, dataFileS3Key);
    },
  };
}
