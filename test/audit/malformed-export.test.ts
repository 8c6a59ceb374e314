import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../../functions/lib/runtime/audit-export-cli.ts';
import { ExportFormatError } from '../../functions/lib/domain/audit-export/errors.ts';
import { localExportSource } from '../../functions/lib/domain/audit-export/reader.ts';
import { verifyExport } from '../../functions/lib/domain/audit-export/verify.ts';
import { allDrafts, buildChain } from '../unit/audit/factories.ts';
import { captureIo, dataFiles, exportOf, itemOf, lineOf, tamper } from './support.ts';

/** An export that is not what DynamoDB writes fails with an error naming the file and line. */
let dir: string;
let exportDir: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'gatehouse-malformed-'));
  ({ exportDir } = await exportOf(dir, buildChain(allDrafts('E1001')), 1));
});
afterEach(() => rm(dir, { recursive: true, force: true }));

const verify = () => verifyExport(localExportSource(exportDir));
const onlyFile = () => dataFiles(exportDir)[0]!;

describe('a malformed export', () => {
  it('without manifest-summary.json is not an export', async () => {
    rmSync(join(exportDir, 'manifest-summary.json'));

    await expect(verify()).rejects.toThrow(new ExportFormatError('missing manifest: not a DynamoDB export (no manifest-summary.json)', join(exportDir, 'manifest-summary.json')));
  });

  it('without manifest-files.json names that file', async () => {
    rmSync(join(exportDir, 'manifest-files.json'));

    await expect(verify()).rejects.toThrow(`${join(exportDir, 'manifest-files.json')}: missing manifest`);
  });

  it('with a data file cut short names the file and the line where reading stopped', async () => {
    const { path, key } = onlyFile();
    const bytes = readFileSync(path);
    writeFileSync(path, bytes.subarray(0, Math.floor(bytes.length * 0.6)));

    const error = await verify().catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(ExportFormatError);
    expect((error as ExportFormatError).file).toBe(key);
    expect((error as ExportFormatError).message).toMatch(new RegExp(`^${key}:\\d+: cannot read gzip data after line \\d+ \\(unexpected end of file\\): truncated or corrupt file$`));
  });

  it('with a line that is not JSON names the file and line', async () => {
    tamper(exportDir, (files) => files[0]!.lines.splice(1, 0, '{"Item": {"subject": '));

    await expect(verify()).rejects.toThrow(new RegExp(`^${onlyFile().key}:2: bad JSON line \\(`));
  });

  it('with an item that fails the entry schema names the file, line, entry and field', async () => {
    tamper(exportDir, (files) => {
      const item = itemOf(files[0]!.lines[2]!);
      files[0]!.lines[2] = lineOf({ ...item, kind: { S: 'grant.teleported' } });
    });

    await expect(verify()).rejects.toThrow(new RegExp(`^${onlyFile().key}:3: item E1001#\\d fails the audit entry schema: kind: `));
  });

  it('with a data file missing names it', async () => {
    const { path, key } = onlyFile();
    rmSync(path);

    await expect(verify()).rejects.toThrow(`${key}: data file listed in manifest-files.json does not exist`);
  });

  it('makes the CLI exit 2 with the error on stderr', async () => {
    rmSync(join(exportDir, 'manifest-summary.json'));
    const io = captureIo();

    expect(await runCli(['query', 'open-grants', '--export', exportDir], io)).toBe(2);
    expect(io.err).toContain('manifest-summary.json: missing manifest');
    expect(io.out).toBe('');
  });
});
