import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { computeHash, chainEntry } from '../../functions/lib/domain/audit/chain.ts';
import type { AuditEntry } from '../../functions/lib/domain/audit/entry.ts';
import { runCli } from '../../functions/lib/runtime/audit-export-cli.ts';
import { fromItem, toItem } from '../../functions/lib/domain/audit-export/dynamodb-json.ts';
import { localExportSource } from '../../functions/lib/domain/audit-export/reader.ts';
import { verifyExport } from '../../functions/lib/domain/audit-export/verify.ts';
import { allDrafts, buildChain, drafts } from '../unit/audit/factories.ts';
import { captureIo, exportOf, find, itemOf, lineOf, tamper, type DataFileLines } from './support.ts';

/**
 * Tampering with an export file is reported by verify at the right subject and seq; an export
 * whose lines are merely in another order (DynamoDB guarantees none) still verifies clean.
 */
let dir: string;
let exportDir: string;
const A = 'E1001';
const B = 'E2002';
const chainA = buildChain(allDrafts(A));

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'gatehouse-tamper-'));
  ({ exportDir } = await exportOf(dir, [...chainA, ...buildChain(allDrafts(B))]));
});
afterEach(() => rm(dir, { recursive: true, force: true }));

const verify = () => verifyExport(localExportSource(exportDir));
/** Rewrites subject#seq with `change` applied to its plain form, optionally rehashed. */
function rewrite(files: DataFileLines[], seq: number, change: (entry: Record<string, unknown>) => Record<string, unknown>, rehash = false) {
  const { file, index } = find(files, A, seq);
  const changed = change(fromItem(itemOf(file.lines[index]!)));
  file.lines[index] = lineOf(toItem(rehash ? { ...changed, hash: computeHash(changed) } : changed) as ReturnType<typeof itemOf>);
}

describe('verify on an export file', () => {
  it('passes an untouched export, and one whose lines are in another order', async () => {
    expect(await verify()).toEqual({ ok: true, entries: 10, subjects: 2, breaks: [], integrity: [], campaigns: [] });

    tamper(exportDir, (files) => files.forEach((file) => file.lines.reverse()));

    expect(await verify()).toMatchObject({ ok: true, entries: 10, breaks: [] });
  });

  it('reports a deleted entry as the missing seq of its subject, and only there', async () => {
    tamper(exportDir, (files) => {
      const { file, index } = find(files, A, 3);
      file.lines.splice(index, 1);
    });

    const report = await verify();

    expect(report.ok).toBe(false);
    expect(report.breaks).toEqual([{ subject: A, seq: 3, problem: 'missing-sequence', detail: 'seq 3 is missing (seq 2 is followed by seq 4)' }]);
  });

  it('reports an edited entry as a hash mismatch at its seq, naming the file and line', async () => {
    let where = '';
    tamper(exportDir, (files) => {
      rewrite(files, 2, (entry) => ({ ...entry, reason: 'nothing to see here' }));
      const { file, index } = find(files, A, 2);
      where = `${file.key}:${index + 1}`;
    });

    const report = await verify();

    expect(report.breaks).toEqual([{ subject: A, seq: 2, problem: 'hash-mismatch', detail: expect.stringContaining('edited') as string, where }]);
  });

  it('reports an edited and rehashed entry at the next seq, whose prevHash no longer matches', async () => {
    tamper(exportDir, (files) => rewrite(files, 2, (entry) => ({ ...entry, reason: 'nothing to see here' }), true));

    expect((await verify()).breaks).toMatchObject([{ subject: A, seq: 3, problem: 'bad-prev-hash' }]);
  });

  it('reports two entries swapped (seq exchanged) at the first of them', async () => {
    tamper(exportDir, (files) => {
      const [second, third] = [find(files, A, 2), find(files, A, 3)];
      const withSeq = (line: string, seq: number) => lineOf(toItem({ ...fromItem(itemOf(line)), seq }) as ReturnType<typeof itemOf>);
      const [two, three] = [second.file.lines[second.index]!, third.file.lines[third.index]!];
      second.file.lines[second.index] = withSeq(three, 2);
      third.file.lines[third.index] = withSeq(two, 3);
    });

    expect((await verify()).breaks).toMatchObject([{ subject: A, seq: 2, problem: 'hash-mismatch' }]);
  });

  it('reports swapped entries that were rehashed as a bad prevHash at the first of them', async () => {
    tamper(exportDir, (files) => {
      const second = find(files, A, 2);
      const third = find(files, A, 3);
      const [two, three] = [fromItem(itemOf(second.file.lines[second.index]!)), fromItem(itemOf(third.file.lines[third.index]!))];
      const swap = (entry: Record<string, unknown>, seq: number) => {
        const moved = { ...entry, seq };
        return lineOf(toItem({ ...moved, hash: computeHash(moved) }) as ReturnType<typeof itemOf>);
      };
      second.file.lines[second.index] = swap(three, 2);
      third.file.lines[third.index] = swap(two, 3);
    });

    expect((await verify()).breaks).toMatchObject([{ subject: A, seq: 2, problem: 'bad-prev-hash' }]);
  });

  it('reports an inserted entry (validly chained onto seq 2) as a duplicate seq 3', async () => {
    const forged: AuditEntry = chainEntry(chainA[1], { ...drafts.grantApplied(A, 'aws-admin'), at: '2025-03-03T08:00:01.500Z' });
    tamper(exportDir, (files) => {
      const { file, index } = find(files, A, 4);
      file.lines.splice(index, 0, lineOf(toItem(forged) as ReturnType<typeof itemOf>));
    });

    expect((await verify()).breaks).toMatchObject([{ subject: A, seq: 3, problem: 'duplicate' }]);
  });

  it('flags a data file changed without its manifest, besides the chain break', async () => {
    tamper(exportDir, (files) => rewrite(files, 4, (entry) => ({ ...entry, reason: 'changed' })), true);

    const report = await verify();

    expect(report.breaks).toMatchObject([{ subject: A, seq: 4, problem: 'hash-mismatch' }]);
    expect(report.integrity).toEqual([{ file: expect.stringMatching(/^AWSDynamoDB\/.+\/data\/.+\.json\.gz$/) as string, problem: 'md5 of the file does not match manifest-files.json' }]);
  });

  it('exits 1 from the CLI with one line per broken subject, 0 on a clean export', async () => {
    const clean = captureIo();
    expect(await runCli(['verify', '--export', dir], clean)).toBe(0);
    expect(clean.out).toBe('OK: 10 entries, 2 subjects, every chain intact\n');

    tamper(exportDir, (files) => {
      const { file, index } = find(files, A, 5);
      file.lines.splice(index, 1, lineOf(toItem({ ...fromItem(itemOf(file.lines[index]!)), seq: 6 }) as ReturnType<typeof itemOf>));
    });
    const broken = captureIo();

    expect(await runCli(['verify', '--export', exportDir], broken)).toBe(1);
    expect(broken.out).toContain(`BROKEN ${A} seq 5: missing-sequence — seq 5 is missing (seq 4 is followed by seq 6)\n`);
    expect(broken.out).toContain('FAILED: 1 broken chain(s), 0 file problem(s) in 10 entries of 2 subjects\n');
  });
});
