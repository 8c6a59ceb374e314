import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream, type WriteStream } from 'node:fs';
import { mkdir, stat, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { once } from 'node:events';
import { createGzip, type Gzip } from 'node:zlib';
import { DescribeTableCommand, ScanCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { callAws } from '../aws/call-aws.ts';
import { itemPages } from './pages.ts';
import { ExportDestinationError } from '../../domain/audit-export/errors.ts';
import { MANIFEST_FILES, MANIFEST_SUMMARY, newExportId, type ManifestFile, type ManifestSummary } from '../../domain/audit-export/layout.ts';

/**
 * DynamoDB Local has no export API, so the local cloud's export Scans the table and writes the
 * same layout ExportTableToPointInTime writes (see layout.ts) into a folder. Items go to one of
 * `partitions` data files by a hash of their partition key, as DynamoDB writes one file per
 * partition: all items of a subject land in the same file.
 */
export interface LocalExportOptions {
  tableName: string;
  /** The folder that receives `AWSDynamoDB/<exportId>/...`. */
  outDir: string;
  partitions?: number;
  now?: () => Date;
  /** Called after each Scan page with the number of items read so far. */
  onProgress?: (items: number) => void;
}

export interface ExportResult {
  exportId: string;
  /** `AWSDynamoDB/<exportId>` under outDir (or the S3 URI on AWS). */
  exportDir: string;
  itemCount: number;
}

interface DataFile {
  key: string;
  path: string;
  gzip: Gzip;
  out: WriteStream;
  count: number;
}

const randomName = (bytes: number): string => randomBytes(bytes).toString('hex');

async function md5Of(path: string): Promise<Buffer> {
  const hash = createHash('md5');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest();
}

export interface WriteExportOptions {
  outDir: string;
  tableArn: string;
  tableId?: string;
  /** The attribute whose value picks an item's data file (the partition key). */
  partitionKey: string;
  partitions?: number;
  now?: () => Date;
}

const codeOf = (error: unknown): string => {
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' ? code : '';
};

/**
 * `mkdir -p` that cannot spin: Node 20's recursive mkdir retries forever when the file system
 * answers ENOENT for a folder whose parent exists (`/proc/nope`: measured, >10 min at ~80 % CPU).
 * Walks up to the nearest existing folder, then creates one level at a time.
 */
async function makeFolder(path: string): Promise<void> {
  const missing: string[] = [];
  for (let at = resolve(path); ; at = dirname(at)) {
    try {
      if (!(await stat(at)).isDirectory()) throw new ExportDestinationError(`${at} is a file, not a folder: --out names the folder that receives the export`);
      break;
    } catch (error) {
      if (error instanceof ExportDestinationError) throw error;
      if (codeOf(error) !== 'ENOENT' && codeOf(error) !== 'ENOTDIR') throw new ExportDestinationError(`cannot use ${at} (${codeOf(error)})`, { cause: error });
      missing.unshift(at);
      if (dirname(at) === at) break;
    }
  }
  for (const folder of missing) {
    try {
      await mkdir(folder);
    } catch (error) {
      if (codeOf(error) !== 'EEXIST') throw new ExportDestinationError(`cannot create the folder ${folder} (${codeOf(error)}): choose a writable place for --out`, { cause: error });
    }
  }
}

/** Writes `items` (DynamoDB JSON) in DynamoDB's export layout under outDir/AWSDynamoDB/<exportId>/. */
export async function writeExport(items: AsyncIterable<Record<string, unknown>> | Iterable<Record<string, unknown>>, options: WriteExportOptions): Promise<ExportResult> {
  const now = options.now ?? (() => new Date());
  const startTime = now();
  const exportId = newExportId(startTime, randomName(4));
  const prefix = `AWSDynamoDB/${exportId}`;
  const exportDir = join(options.outDir, prefix);
  await makeFolder(join(exportDir, 'data'));
  await writeFile(join(exportDir, '_started'), '');

  const files: DataFile[] = Array.from({ length: Math.max(1, options.partitions ?? 4) }, () => {
    const name = `${randomName(13)}.json.gz`;
    const path = join(exportDir, 'data', name);
    const gzip = createGzip();
    const out = createWriteStream(path);
    gzip.pipe(out);
    return { key: `${prefix}/data/${name}`, path, gzip, out, count: 0 };
  });

  let itemCount = 0;
  for await (const item of items) {
    const key = JSON.stringify(item[options.partitionKey]);
    const file = files[createHash('md5').update(key).digest().readUInt32BE(0) % files.length]!;
    if (!file.gzip.write(`${JSON.stringify({ Item: item })}\n`)) await once(file.gzip, 'drain');
    file.count += 1;
    itemCount += 1;
  }

  const manifestFiles: ManifestFile[] = [];
  for (const file of files) {
    file.gzip.end();
    await once(file.out, 'finish');
    const md5 = await md5Of(file.path);
    manifestFiles.push({ itemCount: file.count, md5Checksum: md5.toString('base64'), etag: md5.toString('hex'), dataFileS3Key: file.key });
  }
  const filesText = manifestFiles.map((file) => JSON.stringify(file)).join('\n') + '\n';
  const summary: ManifestSummary = {
    version: '2020-06-30',
    exportArn: `${options.tableArn}/export/${exportId}`,
    startTime: startTime.toISOString(),
    endTime: now().toISOString(),
    tableArn: options.tableArn,
    tableId: options.tableId ?? null,
    exportTime: startTime.toISOString(),
    s3Bucket: null,
    s3Prefix: null,
    s3SseAlgorithm: 'AES256',
    s3SseKmsKeyId: null,
    manifestFilesS3Key: `${prefix}/${MANIFEST_FILES}`,
    billedSizeBytes: 0,
    itemCount,
    outputFormat: 'DYNAMODB_JSON',
    exportType: 'FULL_EXPORT',
  };
  const summaryText = JSON.stringify(summary);
  await writeFile(join(exportDir, MANIFEST_FILES), filesText);
  await writeFile(join(exportDir, 'manifest-files.checksum'), createHash('md5').update(filesText).digest('hex'));
  await writeFile(join(exportDir, MANIFEST_SUMMARY), summaryText);
  await writeFile(join(exportDir, 'manifest-summary.checksum'), createHash('md5').update(summaryText).digest('hex'));
  return { exportId, exportDir, itemCount };
}

async function* scan(client: DynamoDBClient, tableName: string, onProgress?: (items: number) => void): AsyncGenerator<Record<string, unknown>> {
  let read = 0;
  for await (const page of itemPages('scanning the table for a local export', (start) =>
    client.send(new ScanCommand({ TableName: tableName, ConsistentRead: true, ExclusiveStartKey: start as ScanCommand['input']['ExclusiveStartKey'] })),
  )) {
    yield* page;
    read += page.length;
    onProgress?.(read);
  }
}

/** Scans the table (consistent reads, page by page) into an export under options.outDir. */
export async function exportTableLocally(client: DynamoDBClient, options: LocalExportOptions): Promise<ExportResult> {
  const { Table } = await callAws('describing the table', () => client.send(new DescribeTableCommand({ TableName: options.tableName })));
  const partitionKey = Table?.KeySchema?.find((key) => key.KeyType === 'HASH')?.AttributeName;
  if (!Table?.TableArn || !partitionKey) throw new Error(`table ${options.tableName} has no ARN or partition key`);
  return writeExport(scan(client, options.tableName, options.onProgress), {
    outDir: options.outDir,
    tableArn: Table.TableArn,
    ...(Table.TableId ? { tableId: Table.TableId } : {}),
    partitionKey,
    ...(options.partitions ? { partitions: options.partitions } : {}),
    ...(options.now ? { now: options.now } : {}),
  });
}
