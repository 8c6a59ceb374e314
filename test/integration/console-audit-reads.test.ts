import { BatchWriteCommand, DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditTableEntries } from '#lib/adapters/console/audit-reads';
import { auditLogPage, runAuditQuery, buildAuditQuery, type AuditEntries, type AuditQueryName, type AuditQueryParams } from '#lib/domain/console/audit';
import type { AuditDraft, AuditEntry } from '#lib/domain/audit/entry';
import { localTableSpecs } from '../../local/tables.ts';
import { createTestTables, type TestTables } from '../support/dynamodb.ts';
import { buildChain, drafts } from '../unit/audit/factories.ts';

/**
 * The auditors' page reads the audit table by key (issue #15): the questions with inputs answer
 * from a Query on the table or an index and give exactly what the CLI gives over every entry;
 * the log pages by the key its filter names and follows DynamoDB's LastEvaluatedKey.
 */
const START = Date.parse('2026-03-02T08:00:00.000Z');
const DAY = 86_400_000;
const of = (draft: AuditDraft, requestId: string, overrides: Partial<AuditDraft> = {}): AuditDraft => ({ ...draft, requestId, ...overrides }) as AuditDraft;
const revoked = (subject: string, requestId: string): AuditDraft => ({
  kind: 'grant.revoked', subject, entitlementId: 'prod', actor: { type: 'system', id: 'leaver' }, requestId, executionId: 'leaver-x', reason: 'left', detail: { basis: 'role', trigger: 'leaver' },
});
const denied = (subject: string, requestId: string): AuditDraft => ({ ...drafts.approvalApproved(subject), kind: 'approval.denied', requestId, reason: 'denied by link' }) as AuditDraft;
const approvedBy = (subject: string, requestId: string, approver: string): AuditDraft =>
  of(drafts.approvalApproved(subject), requestId, { actor: { type: 'approver', id: approver } });

/** Six people over two days: approvals by alice and bob, prod granted, some revoked, one denied. */
function company(): AuditEntry[] {
  const entries: AuditEntry[] = [];
  for (let i = 1; i <= 6; i += 1) {
    const subject = `E${i}`;
    const req = `req-${subject}`;
    const list = [of(drafts.requestReceived(subject), req), approvedBy(subject, req, i % 2 ? 'alice@example.com' : 'bob@example.com'), of(drafts.grantApplied(subject, 'prod'), req), of(drafts.grantApplied(subject, 'wiki'), req)];
    if (i % 3 === 0) list.push(revoked(subject, `leave-${subject}`));
    entries.push(...buildChain(list, START + (i > 3 ? DAY : 0) + i * 60_000));
  }
  entries.push(...buildChain([of(drafts.requestReceived('E7'), 'req-E7'), denied('E7', 'req-E7')], START + 10 * 60_000));
  return entries;
}

/** About 2.4 KB each: 500 of them pass DynamoDB's 1 MB page. */
function bulky(count: number): AuditEntry[] {
  const note = 'n'.repeat(300);
  const list = Array.from({ length: count }, (_, i): AuditDraft => ({
    ...drafts.requestReceived('BULK'),
    kind: 'request.received',
    actor: { type: 'system', id: 'bulk' },
    requestId: `bulk-${i}`,
    reason: 'r'.repeat(500),
    detail: { requestType: 'joiner', deliveryId: `d-${i}`, notes: [note, note, note, note, note] },
  }));
  return buildChain(list, START + 2 * DAY);
}

let tables: TestTables<'audit'>;
let doc: DynamoDBDocumentClient;
const sent: string[] = [];
let reads: AuditEntries;
const world = company();
const bulk = bulky(500);

beforeAll(async () => {
  const spec = localTableSpecs({ tablePrefix: '', frontDoorUrl: '' }).find((t) => t.create.TableName === 'audit')!;
  tables = await createTestTables('console-audit', { audit: spec });
  doc = DynamoDBDocumentClient.from(tables.client);
  for (const list of [world, bulk]) {
    for (let i = 0; i < list.length; i += 25) {
      await doc.send(new BatchWriteCommand({ RequestItems: { [tables.names.audit]: list.slice(i, i + 25).map((Item) => ({ PutRequest: { Item } })) } }));
    }
  }
  const counting = { send: (command: { constructor: { name: string } }) => (sent.push(command.constructor.name), doc.send(command as never)) } as unknown as DynamoDBDocumentClient;
  reads = auditTableEntries(counting, tables.names.audit);
}, 60_000);
afterAll(() => tables.drop());

/** What the CLI answers: the same query object fed every entry, in no particular order. */
const overEveryEntry = (name: AuditQueryName, params: AuditQueryParams) => {
  const query = buildAuditQuery(name, params);
  for (const entry of [...world, ...bulk].reverse()) query.consume(entry);
  return query.result();
};
/** The Query source, with its Scan refused: a question with a key must not read the whole table. */
const noScan: () => AuditEntries = () => ({ ...reads, all: () => { throw new Error('scanned'); } });

describe('the questions with a key read by Query, and answer as the CLI does', () => {
  it.each([
    ['holders', { entitlementId: 'prod', at: new Date(START + DAY + 10 * 60_000).toISOString() }],
    ['holders', { entitlementId: 'prod', at: new Date(START + 3 * 60_000 + 2000).toISOString() }],
    ['approver', { approver: 'Alice@example.com' }],
    ['approver', { approver: 'bob@example.com' }],
  ] as [AuditQueryName, AuditQueryParams][])('%s %j', async (name, params) => {
    sent.length = 0;
    const got = await runAuditQuery(noScan(), name, params);
    expect(got).toEqual(overEveryEntry(name, params));
    expect(got.rows.length).toBeGreaterThan(0);
    expect(sent.every((c) => c === 'QueryCommand')).toBe(true);
  });

  it('holders name who approved each grant, read from the holder’s own partition', async () => {
    const got = await runAuditQuery(noScan(), 'holders', { entitlementId: 'prod', at: new Date(START + 2 * DAY).toISOString() });
    // E3 and E6 were revoked; the others hold it, approved by alice (odd) or bob (even).
    expect(got.rows.map((r) => [r.subject, r.approvedBy])).toEqual([['E1', 'alice@example.com'], ['E2', 'bob@example.com'], ['E4', 'bob@example.com'], ['E5', 'alice@example.com']]);
  });

  it('open grants read the whole trail (no key narrows it) and still equal the CLI', async () => {
    expect(await runAuditQuery(reads, 'open-grants', {})).toEqual(overEveryEntry('open-grants', {}));
  });

  it('a whole-listing Query follows LastEvaluatedKey past the 1 MB page', async () => {
    sent.length = 0;
    let count = 0;
    for await (const entry of reads.ofActor('system:bulk')) count += entry.actor === 'system:bulk' ? 1 : 0;
    expect(count).toBe(500);
    // No Limit on it: a second call means DynamoDB cut the first page at 1 MB.
    expect(sent).toEqual(['QueryCommand', 'QueryCommand']);
  });
});

describe('the log, a page at a time, by the key its filter names', () => {
  const all = async (params: Parameters<typeof auditLogPage>[1]) => {
    const rows: string[] = [];
    const sizes: number[] = [];
    let nextToken: string | undefined;
    for (let guard = 0; guard < 100; guard += 1) {
      const page = await auditLogPage(reads, { ...params, nextToken });
      rows.push(...page.items.map((e) => `${e.subject}#${e.seq}@${e.at}`));
      sizes.push(page.items.length);
      if (!page.nextToken) return { rows, sizes };
      nextToken = page.nextToken;
    }
    throw new Error('no last page after 100');
  };

  it('by actor, newest first, in pages of `limit`, each entry once', async () => {
    const { rows, sizes } = await all({ actor: 'approver:alice@example.com', limit: 2 });
    const expected = world.filter((e) => e.actor === 'approver:alice@example.com').sort((a, b) => b.at.localeCompare(a.at)).map((e) => `${e.subject}#${e.seq}@${e.at}`);
    expect(rows).toEqual(expected);
    expect(expected).toHaveLength(4);
    expect(sizes[0]).toBe(2);
  });

  it('by UTC day with a time range: the range is the key condition', async () => {
    const from = new Date(START + 2 * 60_000).toISOString();
    const to = new Date(START + 3 * 60_000 + 1500).toISOString();
    const { rows } = await all({ day: '2026-03-02', from, to, limit: 100 });
    const expected = world.filter((e) => e.day === '2026-03-02' && e.at >= from && e.at <= to).sort((a, b) => b.at.localeCompare(a.at)).map((e) => `${e.subject}#${e.seq}@${e.at}`);
    expect(rows).toEqual(expected);
    expect(rows.length).toBeGreaterThan(2);
  });

  it('by person: their partition, newest seq first', async () => {
    const { rows } = await all({ subject: 'E3' });
    expect(rows.map((r) => r.split('@')[0])).toEqual(['E3#5', 'E3#4', 'E3#3', 'E3#2', 'E3#1']);
  });

  it('refuses a filter that is not a key, naming it', async () => {
    await expect(auditLogPage(reads, { subject: 'E1', from: new Date(START).toISOString() })).rejects.toThrow(/from, to: not with subject/);
    await expect(auditLogPage(reads, {})).rejects.toThrow(/give exactly one/);
    await expect(auditLogPage(reads, { actor: 'alice' })).rejects.toThrow(/actor: "<type>:<id>"/);
    await expect(auditLogPage(reads, { day: '2026-03-02', from: new Date(START + DAY).toISOString() })).rejects.toThrow(/from: must fall on 2026-03-02/);
    await expect(auditLogPage(reads, { actor: 'system:bulk', nextToken: 'nonsense' })).rejects.toThrow(/nextToken/);
  });
});
