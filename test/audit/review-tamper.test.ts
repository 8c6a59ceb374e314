import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AuditEntry } from '../../functions/lib/domain/audit/entry.ts';
import { computeHash } from '../../functions/lib/domain/audit/chain.ts';
import { fromItem, toItem } from '../../functions/lib/domain/audit-export/dynamodb-json.ts';
import { localExportSource } from '../../functions/lib/domain/audit-export/reader.ts';
import { verifyExport } from '../../functions/lib/domain/audit-export/verify.ts';
import { closedCampaignEntries } from '../unit/reviews/fakes.ts';
import { exportOf, itemOf, lineOf, tamper } from './support.ts';

/**
 * Access review entries in an export: `verify` covers them as it covers every chain, and checks
 * each closed campaign against its snapshot (item count, snapshot hash), so a decision cut from
 * the end of a person's chain, which the chain alone cannot see, is found too.
 */
let dir: string;
let exportDir: string;
let entries: AuditEntry[];

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'gatehouse-review-tamper-'));
  entries = await closedCampaignEntries();
  ({ exportDir } = await exportOf(dir, entries));
});
afterEach(() => rm(dir, { recursive: true, force: true }));

const verify = () => verifyExport(localExportSource(exportDir));
const isFinalDecision = (line: string, subject: string) => {
  const item = fromItem(itemOf(line));
  return item.kind === 'review.decided' && item.subject === subject && (item.detail as { final?: boolean }).final === true;
};

describe('verify and access review campaigns', () => {
  it('passes an untouched campaign', async () => {
    expect(entries.filter((entry) => entry.kind === 'review.closed')).toHaveLength(1);
    expect(await verify()).toMatchObject({ ok: true, breaks: [], campaigns: [] });
  });

  it('finds an edited decision (keep turned into revoke) as a hash mismatch on the person chain', async () => {
    tamper(exportDir, (files) => {
      for (const file of files) {
        file.lines = file.lines.map((line) => {
          const item = fromItem(itemOf(line));
          if (item.kind !== 'review.decided' || (item.detail as { decision: string }).decision !== 'keep') return line;
          return lineOf(toItem({ ...item, detail: { ...(item.detail as object), decision: 'revoke' } }) as ReturnType<typeof itemOf>);
        });
      }
    });
    const report = await verify();
    expect(report.ok).toBe(false);
    expect(report.breaks[0]).toMatchObject({ problem: 'hash-mismatch' });
  });

  it('finds a final decision cut from the end of its chain through the campaign check', async () => {
    // E-SAL's only entry of the campaign is its defaulted decision: cutting it leaves a valid (shorter) chain.
    tamper(exportDir, (files) => {
      for (const file of files) file.lines = file.lines.filter((line) => !isFinalDecision(line, 'E-SAL'));
    });
    const report = await verify();
    expect(report.breaks).toEqual([]);
    expect(report.ok).toBe(false);
    expect(report.campaigns).toEqual([{ campaignId: 'rev-x', problem: 'item-count', detail: '4 final decisions for a snapshot of 5 items' }]);
  });

  it('finds a decision moved to another person, rehashed, as a snapshot hash mismatch', async () => {
    tamper(exportDir, (files) => {
      for (const file of files) {
        file.lines = file.lines.map((line) => {
          if (!isFinalDecision(line, 'E-SAL')) return line;
          const item = fromItem(itemOf(line));
          const changed = { ...item, entitlementId: 'group:Finance' };
          return lineOf(toItem({ ...changed, hash: computeHash(changed) }) as ReturnType<typeof itemOf>);
        });
      }
    });
    const report = await verify();
    expect(report.ok).toBe(false);
    expect(report.campaigns).toMatchObject([{ campaignId: 'rev-x', problem: 'snapshot-hash' }]);
  });
});
