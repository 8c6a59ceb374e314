import { createHash } from 'node:crypto';
import { createReadStream, existsSync, readdirSync, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import type { Readable } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';
import { createGunzip } from 'node:zlib';
import { auditEntrySchema, type AuditEntry } from '../audit/entry.ts';
import { fromItem } from './dynamodb-json.ts';
import { ExportFormatError } from './errors.ts';
import { MANIFEST_FILES, MANIFEST_SUMMARY, manifestFileSchema, manifestSummarySchema, type ManifestFile, type ManifestSummary } from './layout.ts';

/**
 * Reads an export as a stream: one data file at a time, gunzipped chunk by chunk, split into
 * lines; nothing holds more than a chunk. Where the bytes come from is an ExportSource: a local
 * folder here, an S3 prefix in s3-source.ts (GetObject body streams).
 */
export interface ExportSource {
  /** Where the export is, for messages. */
  readonly location: string;
  /** How messages name a file of the export (a path, or an s3:// URI). */
  where(name: string): string;
  /** A manifest's text; undefined when it does not exist. */
  readManifest(name: typeof MANIFEST_SUMMARY | typeof MANIFEST_FILES): Promise<string | undefined>;
  /** The raw (gzip) bytes of a data file named by its `dataFileS3Key`; undefined when it does not exist. */
  openDataFile(dataFileS3Key: string): Promise<Readable | undefined>;
}

/** A folder holding an export: either `AWSDynamoDB/<id>/` itself or a folder above it (the newest export is taken). */
export function localExportSource(folder: string): ExportSource {
  const dir = exportDirIn(folder);
  return {
    location: dir,
    where: (name) => join(dir, name),
    async readManifest(name) {
      const file = join(dir, name);
      return existsSync(file) ? readFile(file, 'utf8') : undefined;
    },
    openDataFile(key) {
      // The key starts with `<prefix>/AWSDynamoDB/<id>/`; the data file lies under this export's folder.
      const at = key.indexOf('/data/');
      const file = join(dir, at >= 0 ? key.slice(at + 1) : key);
      return Promise.resolve(existsSync(file) ? createReadStream(file) : undefined);
    },
  };
}

function exportDirIn(folder: string): string {
  if (existsSync(join(folder, MANIFEST_SUMMARY))) return folder;
  const root = basename(folder) === 'AWSDynamoDB' ? folder : join(folder, 'AWSDynamoDB');
  if (existsSync(root) && statSync(root).isDirectory()) {
    const ids = readdirSync(root).filter((id) => existsSync(join(root, id, MANIFEST_SUMMARY))).sort();
    const newest = ids.at(-1);
    if (newest) return join(root, newest);
  }
  return folder;
}

export interface ExportManifest {
  summary: ManifestSummary;
  files: ManifestFile[];
}

export async function readManifest(source: ExportSource): Promise<ExportManifest> {
  const summaryText = await source.readManifest(MANIFEST_SUMMARY);
  const summaryFile = source.where(MANIFEST_SUMMARY);
  if (summaryText === undefined) throw new ExportFormatError('missing manifest: not a DynamoDB export (no manifest-summary.json)', summaryFile);
  const summary = parseJsonLine(summaryText, summaryFile, 1, manifestSummarySchema.safeParse.bind(manifestSummarySchema));
  const filesText = await source.readManifest(MANIFEST_FILES);
  const filesFile = source.where(MANIFEST_FILES);
  if (filesText === undefined) throw new ExportFormatError('missing manifest: manifest-files.json does not exist', filesFile);
  const files: ManifestFile[] = [];
  filesText.split('\n').forEach((line, index) => {
    if (line.trim() !== '') files.push(parseJsonLine(line, filesFile, index + 1, manifestFileSchema.safeParse.bind(manifestFileSchema)));
  });
  return { summary, files };
}

type SafeParse<T> = (value: unknown) => { success: true; data: T } | { success: false; error: { issues: { path: PropertyKey[]; message: string }[] } };

function parseJsonLine<T>(text: string, file: string, line: number, parse: SafeParse<T>): T {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new ExportFormatError(`not valid JSON (${(error as Error).message})`, file, line, { cause: error });
  }
  const parsed = parse(value);
  if (!parsed.success) throw new ExportFormatError(`unexpected content: ${describeIssues(parsed.error.issues)}`, file, line);
  return parsed.data;
}

const describeIssues = (issues: { path: PropertyKey[]; message: string }[]): string =>
  issues.map((issue) => `${issue.path.map(String).join('.') || '(root)'}: ${issue.message}`).join('; ');

export interface LocatedItem {
  item: Record<string, unknown>;
  /** The data file's key, as the manifest names it. */
  file: string;
  line: number;
}

/** Something about the export's files that does not match its manifest (not fatal: verify reports it). */
export interface IntegrityProblem {
  file: string;
  problem: string;
}

export interface ReadOptions {
  /** Called with the running item count every `progressEvery` items and once at the end. */
  onProgress?: (items: number) => void;
  progressEvery?: number;
  /** Receives md5 / item count mismatches against the manifest. */
  onIntegrityProblem?: (problem: IntegrityProblem) => void;
}

/** Every item of every data file, in manifest order, as plain objects. */
export async function* readItems(source: ExportSource, options: ReadOptions = {}): AsyncGenerator<LocatedItem> {
  const { files } = await readManifest(source);
  const every = options.progressEvery ?? 100_000;
  let total = 0;
  for (const entry of files) {
    const file = entry.dataFileS3Key;
    const raw = await source.openDataFile(file);
    if (!raw) throw new ExportFormatError('data file listed in manifest-files.json does not exist', file);
    const md5 = createHash('md5');
    raw.on('data', (chunk: Buffer) => md5.update(chunk));
    const gunzip = createGunzip();
    raw.on('error', (error) => gunzip.destroy(error));
    raw.pipe(gunzip);
    let line = 0;
    let count = 0;
    try {
      for await (const text of lines(gunzip)) {
        line += 1;
        if (text.trim() === '') continue;
        yield { item: parseItemLine(text, file, line), file, line };
        count += 1;
        total += 1;
        if (total % every === 0) options.onProgress?.(total);
      }
    } catch (error) {
      if (error instanceof ExportFormatError) throw error;
      const reason = (error as Error).message;
      throw new ExportFormatError(`cannot read gzip data after line ${line} (${reason}): truncated or corrupt file`, file, line + 1, { cause: error });
    }
    const digest = md5.digest();
    if (digest.toString('base64') !== entry.md5Checksum && digest.toString('hex') !== entry.md5Checksum) {
      options.onIntegrityProblem?.({ file, problem: 'md5 of the file does not match manifest-files.json' });
    }
    if (count !== entry.itemCount) options.onIntegrityProblem?.({ file, problem: `${count} items, manifest-files.json says ${entry.itemCount}` });
  }
  options.onProgress?.(total);
}

async function* lines(stream: Readable): AsyncGenerator<string> {
  const decoder = new StringDecoder('utf8');
  let rest = '';
  for await (const chunk of stream) {
    const text = rest + decoder.write(chunk as Buffer);
    const parts = text.split('\n');
    rest = parts.pop() ?? '';
    yield* parts;
  }
  rest += decoder.end();
  if (rest !== '') yield rest;
}

function parseItemLine(text: string, file: string, line: number): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new ExportFormatError(`bad JSON line (${(error as Error).message})`, file, line, { cause: error });
  }
  const item = typeof value === 'object' && value !== null ? (value as Record<string, unknown>).Item : undefined;
  if (typeof item !== 'object' || item === null || Array.isArray(item)) throw new ExportFormatError('line is not {"Item": {...}}', file, line);
  try {
    return fromItem(item as Record<string, unknown>);
  } catch (error) {
    throw new ExportFormatError(`not DynamoDB JSON: ${(error as Error).message}`, file, line, { cause: error });
  }
}

export interface LocatedEntry {
  entry: AuditEntry;
  file: string;
  line: number;
}

/** Every audit entry of an audit-table export, each checked against the entry schema. */
export async function* readAuditEntries(source: ExportSource, options: ReadOptions = {}): AsyncGenerator<LocatedEntry> {
  for await (const { item, file, line } of readItems(source, options)) {
    const parsed = auditEntrySchema.safeParse(item);
    if (!parsed.success) {
      const which = `${String(item.subject)}#${String(item.seq)}`;
      throw new ExportFormatError(`item ${which} fails the audit entry schema: ${describeIssues(parsed.error.issues)}`, file, line);
    }
    yield { entry: parsed.data, file, line };
  }
}
