import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import type { AuditEntry } from '../../functions/lib/domain/audit/entry.ts';
import { toItem } from '../../functions/lib/domain/audit-export/dynamodb-json.ts';
import { MANIFEST_FILES, type ManifestFile } from '../../functions/lib/domain/audit-export/layout.ts';
import { writeExport, type ExportResult } from '../../functions/lib/adapters/dynamodb/audit-local-export.ts';
import type { CliIo } from '../../functions/lib/runtime/audit-export-cli.ts';

export const TABLE_ARN = 'arn:aws:dynamodb:us-east-1:000000000000:table/gatehouse-audit';

/** An export of `entries` as DynamoDB would write it, `partitions` data files. */
export function exportOf(outDir: string, entries: readonly AuditEntry[], partitions = 2): Promise<ExportResult> {
  return writeExport(
    entries.map((entry) => toItem(entry)),
    { outDir, tableArn: TABLE_ARN, partitionKey: 'subject', partitions },
  );
}

export interface DataFileLines {
  key: string;
  path: string;
  lines: string[];
}

const manifestLines = (exportDir: string): ManifestFile[] =>
  readFileSync(join(exportDir, MANIFEST_FILES), 'utf8')
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as ManifestFile);

/** Every data file's lines (no trailing empty line). */
export function dataFiles(exportDir: string): DataFileLines[] {
  return manifestLines(exportDir).map((file) => {
    const path = join(exportDir, 'data', file.dataFileS3Key.split('/').at(-1)!);
    return { key: file.dataFileS3Key, path, lines: gunzipSync(readFileSync(path)).toString('utf8').split('\n').filter((line) => line !== '') };
  });
}

/**
 * Tampers with an export: `edit` changes the lines in place; the files are written back and,
 * unless `careless`, manifest-files.json is updated to match (as a careful forger would).
 */
export function tamper(exportDir: string, edit: (files: DataFileLines[]) => void, careless = false): void {
  const files = dataFiles(exportDir);
  edit(files);
  const manifest: ManifestFile[] = [];
  for (const file of files) {
    const bytes = gzipSync(file.lines.map((line) => `${line}\n`).join(''));
    writeFileSync(file.path, bytes);
    const md5 = createHash('md5').update(bytes).digest();
    manifest.push({ itemCount: file.lines.length, md5Checksum: md5.toString('base64'), etag: md5.toString('hex'), dataFileS3Key: file.key });
  }
  if (!careless) writeFileSync(join(exportDir, MANIFEST_FILES), manifest.map((line) => JSON.stringify(line)).join('\n') + '\n');
}

type Item = Record<string, { S?: string; N?: string }>;
export const itemOf = (line: string): Item => (JSON.parse(line) as { Item: Item }).Item;
export const lineOf = (item: Item): string => JSON.stringify({ Item: item });

/** Where the line of subject#seq is. */
export function find(files: DataFileLines[], subject: string, seq: number): { file: DataFileLines; index: number } {
  for (const file of files) {
    const index = file.lines.findIndex((line) => {
      const item = itemOf(line);
      return item.subject?.S === subject && item.seq?.N === String(seq);
    });
    if (index >= 0) return { file, index };
  }
  throw new Error(`no line for ${subject}#${seq}`);
}

/** A CliIo that keeps what was written. */
export function captureIo(): CliIo & { out: string; err: string } {
  const io = {
    out: '',
    err: '',
    stdout: (text: string) => {
      io.out += text;
    },
    stderr: (text: string) => {
      io.err += text;
    },
  };
  return io;
}
