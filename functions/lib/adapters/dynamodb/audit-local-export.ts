import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream, type WriteStream } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { once } from 'node:events';
import { createGzip, type Gzip } from 'node:zlib';
import { DescribeTableCommand, ScanCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
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

/** Writes `items` (DynamoDB JSON) in DynamoDB's export layout under outDir/AWSDynamoDB/<exportId>/. */
export async function writeExport(items: AsyncIterable<Record<string, unknown>> | Iterable<Record<string, unknown>>, options: WriteExportOptions): Promise<ExportResult> {
  const now = options.now ?? (() => new Date());
  const startTime = now();
  const exportId = newExportId(startTime, randomName(4));
  const prefix = `AWSDynamoDB/${exportId}`;
  const exportDir = join(options.outDir, prefix);
  await mkdir(join(exportDir, 'data'), { recursive: true });
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

async function* scan(client: DynamoDBClient, tableName: string): AsyncGenerator<Record<string, unknown>> {
  let exclusiveStartKey: ScanCommand['input']['ExclusiveStartKey'];
  do {
    const page = await client.send(new ScanCommand({ TableName: tableName, ConsistentRead: true, ExclusiveStartKey: exclusiveStartKey }));
    yield* page.Items ?? [];
    exclusiveStartKey = page.LastEvaluatedKey;
  } while (exclusiveStartKey);
}

/** Scans the table (consistent reads, page by page) into an export under options.outDir. */
export async function exportTableLocally(client: DynamoDBClient, options: LocalExportOptions): Promise<ExportResult> {
  const { Table } = await client.send(new DescribeTableCommand({ TableName: options.tableName }));
  const partitionKey = Table?.KeySchema?.find((key) => key.KeyType === 'HASH')?.AttributeName;
  if (!Table?.TableArn || !partitionKey) throw new Error(`table ${options.tableName} has no ARN or partition key`);
  return writeExport(scan(client, options.tableName), {
    outDir: options.outDir,
    tableArn: Table.TableArn,
    ...(Table.TableId ? { tableId: Table.TableId } : {}),
    partitionKey,
    ...(options.partitions ? { partitions: options.partitions } : {}),
    ...(options.now ? { now: options.now } : {}),
  });
}
