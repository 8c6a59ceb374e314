import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { BatchWriteCommand, DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { auditTableEntries } from '../../functions/lib/adapters/console/audit-reads.ts';
import { chainEntry } from '../../functions/lib/domain/audit/chain.ts';
import type { AuditDraft, AuditEntry } from '../../functions/lib/domain/audit/entry.ts';
import { auditLogPage, buildAuditQuery, runAuditQuery, type AuditEntries, type AuditQueryName, type AuditQueryParams } from '../../functions/lib/domain/console/audit.ts';
import { sample, summarize } from '../lib/stats.ts';
import type { Row, SuiteContext } from '../lib/suite.ts';

/**
 * The auditors' page before and after issue #15, side by side on one table: each question answered
 * from a Scan of the whole table (what the page did) and from a Query on the key its inputs name
 * (what it does), with the entries each read. The trail: people of 8 entries each (hire, an
 * approval by one of 100 approvers, grants of 2 of 20 entitlements, twice), added to the table
 * until it holds `total` entries.
 */
const APPROVERS = 100;
const ENTITLEMENTS = 20;
const AT = Date.parse('2026-02-02T09:00:00.000Z');

function person(i: number): AuditEntry[] {
  const subject = `AUD-${String(i).padStart(6, '0')}`;
  const common = { subject, executionId: `x-${subject}` };
  const drafts: AuditDraft[] = [];
  for (const round of [0, 1]) {
    const requestId = `r-${subject}-${round}`;
    drafts.push(
      { ...common, kind: 'request.received', actor: { type: 'hris', id: 'generic' }, requestId, reason: 'hire received', detail: { requestType: 'joiner', deliveryId: `${subject}-${round}`, role: 'engineer' } },
      { ...common, kind: 'approval.approved', actor: { type: 'approver', id: `approver-${(i + round) % APPROVERS}@example.com` }, requestId, reason: 'approved by link', detail: { approvalId: `a-${subject}-${round}` } },
      ...[0, 1].map((k): AuditDraft => ({ ...common, kind: 'grant.applied', entitlementId: `group:E${(i + k + round * 2) % ENTITLEMENTS}`, actor: { type: 'system', id: 'record-grants' }, requestId, reason: 'granted by role', detail: { basis: 'role', role: 'engineer' } })),
    );
  }
  const chain: AuditEntry[] = [];
  drafts.forEach((draft, n) => chain.push(chainEntry(chain.at(-1), { ...draft, at: new Date(AT + i * 10_000 + n * 1000).toISOString() })));
  return chain;
}

async function load(doc: DynamoDBDocumentClient, table: string, people: number): Promise<void> {
  const batches: AuditEntry[][] = [];
  let batch: AuditEntry[] = [];
  for (let i = 0; i < people; i += 1) {
    for (const entry of person(i)) {
      batch.push(entry);
      if (batch.length === 25) {
        batches.push(batch);
        batch = [];
      }
    }
  }
  if (batch.length > 0) batches.push(batch);
  // A few batches in flight: DynamoDB Local takes them one at a time anyway.
  const queue = [...batches];
  const worker = async () => {
    for (let next = queue.shift(); next; next = queue.shift()) {
      let pending: Record<string, unknown>[] = next;
      while (pending.length > 0) {
        const out = await doc.send(new BatchWriteCommand({ RequestItems: { [table]: pending.map((Item) => ({ PutRequest: { Item } })) } }));
        pending = (out.UnprocessedItems?.[table] ?? []).flatMap((r) => (r.PutRequest?.Item ? [r.PutRequest.Item] : []));
      }
    }
  };
  await Promise.all(Array.from({ length: 4 }, worker));
}

/** Counts the entries a source yields, so the rows say how much each way read. */
function counted(source: AuditEntries): { entries: AuditEntries; read: () => number; reset: () => void } {
  let read = 0;
  async function* count(entries: AsyncIterable<AuditEntry>): AsyncGenerator<AuditEntry> {
    for await (const entry of entries) {
      read += 1;
      yield entry;
    }
  }
  return {
    entries: {
      all: () => count(source.all()),
      ofEntitlement: (entitlementId, before) => count(source.ofEntitlement(entitlementId, before)),
      ofActor: (actor) => count(source.ofActor(actor)),
      decisionsAbout: (subject) => count(source.decisionsAbout(subject)),
      page: async (filter, limit, nextToken) => {
        const page = await source.page(filter, limit, nextToken);
        read += page.items.length;
        return page;
      },
    },
    read: () => read,
    reset: () => {
      read = 0;
    },
  };
}

export async function scanVersusQueryRows(ctx: SuiteContext, suite: string, table: string, existing: number, total: number): Promise<Row[]> {
  const doc = DynamoDBDocumentClient.from(new DynamoDBClient({}));
  ctx.defer(() => doc.destroy());
  const people = Math.ceil(Math.max(0, total - existing) / 8);
  await load(doc, table, people);
  const source = counted(auditTableEntries(doc, table));
  const entries = existing + people * 8;
  const rows: Row[] = [{ suite, metric: 'audit Scan vs Query: entries in the table', value: entries, unit: 'entries', n: 1 }];
  const n = ctx.size(5, 3);
  const compare = async (label: string, scan: () => Promise<unknown>, query: () => Promise<unknown>) => {
    const read: number[] = [];
    for (const [way, run] of [['Scan', scan], ['Query', query]] as const) {
      source.reset();
      const ms = summarize(await sample(run, { warmup: 1, n })).median;
      read.push(source.read() / (n + 1));
      rows.push({ suite, metric: `audit ${label}: ${way} median`, value: ms, unit: `ms (${Math.round(read.at(-1)!)} entries read)`, n });
    }
    const [scanMs, queryMs] = rows.slice(-2).map((r) => r.value);
    rows.push({ suite, metric: `audit ${label}: Scan / Query`, value: scanMs! / queryMs!, unit: `x (Scan ${scanMs!.toFixed(0)} ms, Query ${queryMs!.toFixed(0)} ms)`, n });
  };
  const question = (name: AuditQueryName, params: AuditQueryParams) => ({
    scan: async () => {
      const q = buildAuditQuery(name, params);
      for await (const entry of source.entries.all()) q.consume(entry);
      return q.result();
    },
    query: () => runAuditQuery(source.entries, name, params),
  });
  const same = async (label: string, q: { scan: () => Promise<unknown>; query: () => Promise<unknown> }) => {
    if (JSON.stringify(await q.scan()) !== JSON.stringify(await q.query())) throw new Error(`audit ${label}: the Query answer differs from the Scan's`);
  };
  const approver = question('approver', { approver: 'approver-7@example.com' });
  await same('approver decisions', approver);
  await compare('approver decisions', approver.scan, approver.query);
  const holders = question('holders', { entitlementId: 'group:E3', at: new Date(AT + people * 10_000).toISOString() });
  await same('holders of one entitlement', holders);
  await compare('holders of one entitlement', holders.scan, holders.query);
  // The log's first page (50) of one person: the old page could only scan and keep theirs.
  const subject = 'AUD-000042';
  await compare(
    'log page by person (50)',
    async () => {
      const kept: AuditEntry[] = [];
      for await (const entry of source.entries.all()) if (entry.subject === subject) kept.push(entry);
      return kept.sort((a, b) => b.seq - a.seq).slice(0, 50);
    },
    () => auditLogPage(source.entries, { subject, limit: 50 }),
  );
  return rows;
}
