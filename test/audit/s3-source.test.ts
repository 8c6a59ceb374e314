import { readdirSync, readFileSync, statSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { Readable } from 'node:stream';
import { GetObjectCommand, ListObjectsV2Command, NoSuchKey, S3Client, type ListObjectsV2CommandInput } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../../functions/lib/runtime/audit-export-cli.ts';
import { ExportFormatError } from '../../functions/lib/domain/audit-export/errors.ts';
import { parseS3Uri, s3ExportSource } from '../../functions/lib/adapters/aws/s3-export-source.ts';
import { verifyExport } from '../../functions/lib/domain/audit-export/verify.ts';
import { allDrafts, buildChain } from '../unit/audit/factories.ts';
import { captureIo, exportOf } from './support.ts';

/**
 * The S3 export source against a mocked S3 that serves the files of real local exports, as
 * ExportTableToPointInTime lays them out under s3://audit-exports/audit/AWSDynamoDB/<id>/.
 */
const BUCKET = 'audit-exports';
const OLD = 'audit/AWSDynamoDB/01700000000000-aaaaaaaa';
const NEW = 'audit/AWSDynamoDB/01800000000000-bbbbbbbb';
const s3 = mockClient(S3Client);
let objects: Map<string, Buffer>;
let pristine: Map<string, Buffer>;
let dir: string;

/** Every file of a local export folder, keyed as it would be under `prefix`. */
function filesOf(exportDir: string, prefix: string): [string, Buffer][] {
  const walk = (folder: string): string[] =>
    readdirSync(folder).flatMap((name) => (statSync(join(folder, name)).isDirectory() ? walk(join(folder, name)) : [join(folder, name)]));
  return walk(exportDir).map((file) => [`${prefix}/${relative(exportDir, file)}`, readFileSync(file)]);
}

function list(input: ListObjectsV2CommandInput) {
  const prefix = input.Prefix ?? '';
  const keys = [...objects.keys()].filter((key) => key.startsWith(prefix)).sort();
  if (!input.Delimiter) return { Contents: keys.slice(0, input.MaxKeys ?? 1000).map((Key) => ({ Key })) };
  const common = [...new Set(keys.map((key) => key.slice(prefix.length)).filter((rest) => rest.includes('/')).map((rest) => prefix + rest.slice(0, rest.indexOf('/') + 1)))];
  return { CommonPrefixes: common.map((Prefix) => ({ Prefix })) };
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'gatehouse-s3-'));
  const older = await exportOf(join(dir, 'old'), buildChain(allDrafts('E1001')), 1);
  const newer = await exportOf(join(dir, 'new'), [...buildChain(allDrafts('E1001')), ...buildChain(allDrafts('E1002'))], 2);
  pristine = new Map([...filesOf(older.exportDir, OLD), ...filesOf(newer.exportDir, NEW)]);
});
afterAll(() => rm(dir, { recursive: true, force: true }));

beforeEach(() => {
  objects = new Map(pristine);
  s3.reset();
  s3.on(ListObjectsV2Command).callsFake(list);
  s3.on(GetObjectCommand).callsFake((input: { Key: string }) => {
    const body = objects.get(input.Key);
    if (!body) throw new NoSuchKey({ message: 'The specified key does not exist.', $metadata: { httpStatusCode: 404 } });
    // A stream in small chunks, as GetObject delivers it.
    return { Body: Readable.from(Array.from({ length: Math.ceil(body.length / 64) }, (_, i) => body.subarray(i * 64, i * 64 + 64))) };
  });
});

const dataKeys = (prefix: string) => [...objects.keys()].filter((key) => key.startsWith(`${prefix}/data/`));

describe('an export read from S3', () => {
  it('is the newest one under the prefix when the URI names no export, and verifies and queries like a local folder', async () => {
    const io = captureIo();

    expect(await runCli(['verify', '--s3', `s3://${BUCKET}/audit`], io)).toBe(0);
    expect(io.out).toBe('OK: 10 entries, 2 subjects, every chain intact\n');

    const query = captureIo();
    expect(await runCli(['query', 'person', 'E1002', '--s3', `s3://${BUCKET}/audit/`, '--format', 'csv'], query)).toBe(0);
    const local = captureIo();
    expect(await runCli(['query', 'person', 'E1002', '--export', join(dir, 'new'), '--format', 'csv'], local)).toBe(0);
    expect(query.out).toBe(local.out);
    expect(query.out.split('\n').filter((line) => line.includes('E1002') || /^\d/.test(line))).toHaveLength(5);
    // Data files were streamed from GetObject, only those of the newest export (once by verify, once by query).
    const fetched = s3.commandCalls(GetObjectCommand).map((call) => call.args[0].input.Key);
    expect(fetched.filter((key) => key?.includes('/data/')).sort()).toEqual([...dataKeys(NEW), ...dataKeys(NEW)].sort());
  });

  it('is the named export when the URI ends in AWSDynamoDB/<id>', async () => {
    const report = await verifyExport(await s3ExportSource(new S3Client({}), `s3://${BUCKET}/${OLD}`));

    expect([report.ok, report.entries, report.subjects]).toEqual([true, 5, 1]);
  });

  it('with a truncated gzip object names the object key and the line where reading stopped', async () => {
    const [key] = dataKeys(OLD);
    const bytes = objects.get(key!)!;
    objects.set(key!, bytes.subarray(0, Math.floor(bytes.length * 0.6)));

    const error = await verifyExport(await s3ExportSource(new S3Client({}), `s3://${BUCKET}/${OLD}`)).catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(ExportFormatError);
    expect((error as ExportFormatError).message).toMatch(/^AWSDynamoDB\/[^/]+\/data\/[0-9a-f]+\.json\.gz:\d+: cannot read gzip data after line \d+ \(unexpected end of file\): truncated or corrupt file$/);
  });

  it('without manifest-summary.json is not an export, and the CLI says where it looked', async () => {
    objects.delete(`${OLD}/manifest-summary.json`);
    const io = captureIo();

    expect(await runCli(['verify', '--s3', `s3://${BUCKET}/${OLD}`], io)).toBe(2);
    expect(io.err).toBe(`error: s3://${BUCKET}/${OLD}/manifest-summary.json: missing manifest: not a DynamoDB export (no manifest-summary.json)\n`);
    expect(io.out).toBe('');
  });

  it('names a data file the manifest lists but S3 does not hold', async () => {
    const [key] = dataKeys(OLD);
    objects.delete(key!);

    await expect(verifyExport(await s3ExportSource(new S3Client({}), `s3://${BUCKET}/${OLD}`))).rejects.toThrow(/^AWSDynamoDB\/[^/]+\/data\/[0-9a-f]+\.json\.gz: data file listed in manifest-files.json does not exist$/);
  });

  it('rejects a URI that is not s3://bucket[/prefix], and --export with --s3', async () => {
    expect(() => parseS3Uri('https://bucket/x')).toThrow('--s3 must be s3://<bucket>[/<prefix>], not https://bucket/x');
    expect(parseS3Uri('s3://audit-exports/a/b/')).toEqual({ bucket: 'audit-exports', key: 'a/b' });
    const io = captureIo();
    expect(await runCli(['verify', '--s3', `s3://${BUCKET}/audit`, '--export', dir], io)).toBe(2);
    expect(io.err).toMatch(/^verify takes --export <folder> or --s3 <uri>, not both\n/);
  });
});
