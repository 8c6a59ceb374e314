import { describe, expect, it } from 'vitest';
import { auditDraftSchema, auditEntrySchema, type AuditDraft, type AuditEntry } from '../../functions/lib/domain/audit/entry.ts';
import { verifyChain } from '../../functions/lib/domain/audit/chain.ts';
import { formatResult } from '../../functions/lib/domain/audit-export/format.ts';
import { approverDecisions, grantsAfterLeaving, holdersAt, openGrants, personHistory, type Query } from '../../functions/lib/domain/audit-export/queries.ts';
import { buildChain, drafts } from '../unit/audit/factories.ts';

/** The grant queries over kinds the joiner does not write yet: revocations and leavers. */
const common = { actor: { type: 'system', id: 'leaver' }, requestId: 'req-2', executionId: 'leaver-dlv-2', reason: 'left' } as const;
const revoked = (subject: string, entitlementId: string): AuditDraft => ({ ...common, kind: 'grant.revoked', subject, entitlementId, detail: { basis: 'role', trigger: 'leaver' } });
const leaver = (subject: string, effectiveAt: string): AuditDraft => ({
  ...common,
  kind: 'request.received',
  subject,
  detail: { requestType: 'leaver', effectiveAt },
});

const START = Date.parse('2025-03-03T08:00:00.000Z');
// E1 (1 s apart from 08:00:00): applied prod, applied wiki, leaver effective at once, revoked prod.
// E2: applied prod, then a leave scheduled for a week later (not yet effective: still employed).
const LEFT_AT = '2025-03-03T08:00:02.000Z';
const entries: AuditEntry[] = [
  ...buildChain([drafts.grantApplied('E1', 'prod'), drafts.grantApplied('E1', 'wiki'), leaver('E1', LEFT_AT), revoked('E1', 'prod')], START),
  ...buildChain([drafts.grantApplied('E2', 'prod'), leaver('E2', '2025-03-10T17:00:00.000Z')], START + 10_000),
];

/** Feeds the entries in reverse: an export has no order. */
const answer = (query: Query) => {
  [...entries].reverse().forEach((entry) => query.consume(entry));
  return query.result().rows;
};
const at = (seconds: number) => new Date(START + seconds * 1000).toISOString();

describe('grant queries', () => {
  it('who held an entitlement: applied at or before the moment and not revoked by then', () => {
    expect(answer(holdersAt('prod', at(0))).map((row) => row.subject)).toEqual(['E1']);
    expect(answer(holdersAt('prod', at(3))).map((row) => row.subject)).toEqual([]);
    expect(answer(holdersAt('prod', at(10))).map((row) => [row.subject, row.since])).toEqual([['E2', at(10)]]);
    expect(() => holdersAt('prod', 'yesterday')).toThrow(RangeError);
  });

  it('open grants: the latest event of each grant is an applied one', () => {
    expect(answer(openGrants()).map((row) => [row.subject, row.entitlementId])).toEqual([
      ['E1', 'wiki'],
      ['E2', 'prod'],
    ]);
  });

  it('grants left behind: open grants of people whose leave took effect, not of a leave scheduled for later', () => {
    expect(answer(grantsAfterLeaving())).toEqual([
      { subject: 'E1', entitlementId: 'wiki', basis: 'role', since: at(1), leftAt: LEFT_AT, requestId: 'req-1' },
    ]);
  });
});

/**
 * time-bound grants (written by the time-bound workflow) and the leaver: E3 holds two overlapping
 * time-bound grants of `prod` (requests tb-a, tb-b), revokes tb-a early, then leaves; the
 * leaver revokes tb-b under its own execution name, and its effectiveAt has no fraction of a
 * second (as the leaver writes it). E4 keeps tb-c.
 */
const timeBoundApplied = (subject: string, requestId: string): AuditDraft => ({
  kind: 'grant.applied',
  subject,
  entitlementId: 'prod',
  actor: { type: 'system', id: 'record-time-bound-grants' },
  requestId,
  executionId: requestId,
  reason: 'just-in-time',
  detail: { basis: 'time-bound', expiresAt: '2025-03-03T10:00:00Z' },
});
const timeBoundRevoked = (subject: string, requestId: string, trigger: 'operator' | 'leaver'): AuditDraft => ({
  kind: 'grant.revoked',
  subject,
  entitlementId: 'prod',
  actor: { type: 'system', id: trigger },
  requestId,
  executionId: requestId,
  reason: 'ended',
  detail: { basis: 'time-bound', trigger },
});
const timeBoundStart = Date.parse('2025-03-03T09:00:00.000Z');
const timeBoundAt = (seconds: number) => new Date(timeBoundStart + seconds * 1000).toISOString();
// E3, 1 s apart from 09:00:00: tb-a (0), tb-b (1), tb-a revoked early (2), the leave (3, written
// at 09:00:03.000Z, effective 09:00:03Z), tb-b revoked by the leaver (4). E4: tb-c (10).
const E3_LEAVE = leaver('E3', '2025-03-03T09:00:03Z');
const timeBoundEntries: AuditEntry[] = [
  ...buildChain([timeBoundApplied('E3', 'tb-a'), timeBoundApplied('E3', 'tb-b'), timeBoundRevoked('E3', 'tb-a', 'operator'), E3_LEAVE, timeBoundRevoked('E3', 'leave-e3', 'leaver')], timeBoundStart),
  ...buildChain([timeBoundApplied('E4', 'tb-c')], timeBoundStart + 10_000),
];
const timeBoundAnswer = (query: Query) => {
  [...timeBoundEntries].reverse().forEach((entry) => query.consume(entry));
  return query.result().rows;
};

describe('grant queries over time-bound grants and the leaver', () => {
  it('who held an entitlement: each time-bound request is its own grant; an early revoke ends only its own', () => {
    expect(timeBoundAnswer(holdersAt('prod', timeBoundAt(1))).map((row) => [row.subject, row.basis, row.requestId])).toEqual([
      ['E3', 'time-bound', 'tb-a'],
      ['E3', 'time-bound', 'tb-b'],
    ]);
    expect(timeBoundAnswer(holdersAt('prod', timeBoundAt(2))).map((row) => row.requestId)).toEqual(['tb-b']);
    expect(timeBoundAnswer(holdersAt('prod', timeBoundAt(4.5))).map((row) => row.requestId)).toEqual([]);
    expect(timeBoundAnswer(holdersAt('prod', timeBoundAt(10))).map((row) => row.requestId)).toEqual(['tb-c']);
  });

  it('open grants: tb-b stays open after tb-a is revoked early; the revoke under the leaver execution name ends it', () => {
    const beforeLeave = openGrants();
    timeBoundEntries.filter((entry) => !(entry.subject === 'E3' && entry.seq > 3)).forEach((entry) => beforeLeave.consume(entry));

    expect(beforeLeave.result().rows.map((row) => [row.subject, row.requestId, row.expiresAt])).toEqual([
      ['E3', 'tb-b', '2025-03-03T10:00:00Z'],
      ['E4', 'tb-c', '2025-03-03T10:00:00Z'],
    ]);
    expect(timeBoundAnswer(openGrants()).map((row) => [row.subject, row.requestId])).toEqual([['E4', 'tb-c']]);
  });

  it('open grants: an extended time-bound grant shows the end its newest grant.extended moved it to (issue #17)', () => {
    const extended = (to: string): AuditDraft => ({
      kind: 'grant.extended',
      subject: 'E4',
      entitlementId: 'prod',
      actor: { type: 'system', id: 'record-time-bound-grants' },
      requestId: 'tb-c',
      executionId: 'ex-1',
      reason: 'extended',
      detail: { basis: 'time-bound', previousEnd: '2025-03-03T10:00:00Z', expiresAt: to, extensionId: 'ex-1', approverIds: ['dana@example.com'] },
    });
    const query = openGrants();
    buildChain([timeBoundApplied('E4', 'tb-c'), extended('2025-03-03T12:00:00Z'), extended('2025-03-03T13:00:00Z')], timeBoundStart).reverse().forEach((entry) => query.consume(entry));
    expect(query.result().rows.map((row) => [row.requestId, row.expiresAt])).toEqual([['tb-c', '2025-03-03T13:00:00Z']]);
  });

  it('grants left behind: a leave whose effectiveAt has no fraction of a second still counts as taken effect', () => {
    // Without the leaver's revoke (seq 5): tb-b is what a leave left behind.
    const query = grantsAfterLeaving();
    timeBoundEntries.filter((entry) => !(entry.subject === 'E3' && entry.seq === 5)).forEach((entry) => query.consume(entry));

    expect(query.result().rows).toEqual([{ subject: 'E3', entitlementId: 'prod', basis: 'time-bound', since: timeBoundAt(1), leftAt: '2025-03-03T09:00:03Z', requestId: 'tb-b' }]);
  });
});

describe('formatResult', () => {
  const result = { columns: ['a', 'b'], rows: [{ a: 'x,y', b: 'say "hi"' }, { a: 1, b: '' }] };

  it('quotes CSV cells as RFC 4180 does', () => {
    expect(formatResult(result, 'csv')).toBe('a,b\r\n"x,y","say ""hi"""\r\n1,\r\n');
  });

  it('aligns a table and counts its rows', () => {
    expect(formatResult(result, 'table')).toBe('a    b\n---  --------\nx,y  say "hi"\n1\n(2 rows)\n');
  });
});

/** Approvers' comments: kept in the chained entry, shown on one line by `person` and `approver`. */
describe('approval comments in the queries', () => {
  const decided = (kind: 'approval.approved' | 'approval.denied', comment?: string): AuditDraft => ({
    ...drafts.approvalApproved('E5'),
    kind,
    detail: { approvalId: 'apv-1', ...(comment === undefined ? {} : { comment }) },
  });
  const chain = buildChain([drafts.requestReceived('E5'), decided('approval.approved', 'OK for INC-4242,\n2h only'), decided('approval.denied', 'Not "raw" data')], START);
  const rows = (query: Query) => {
    chain.forEach((entry) => query.consume(entry));
    return query.result();
  };

  it('keeps the comment under the hash: the chain verifies, and an edited comment breaks it', () => {
    const edited = chain.map((entry) => (entry.seq === 2 ? ({ ...entry, detail: { approvalId: 'apv-1', comment: 'OK' } } as AuditEntry) : entry));

    expect(chain.map((entry) => auditEntrySchema.safeParse(entry).success)).toEqual([true, true, true]);
    expect(verifyChain(chain)).toEqual({ ok: true });
    expect(verifyChain(edited)).toMatchObject({ ok: false, seq: 2, problem: 'hash-mismatch' });
  });

  it('person and approver show the comment, line breaks as one space, and nothing for other kinds', () => {
    const person = rows(personHistory('E5'));
    const approver = rows(approverDecisions('alice@example.com'));

    expect(person.columns.at(-1)).toBe('comment');
    expect(person.rows.map((row) => row.comment)).toEqual(['', 'OK for INC-4242, 2h only', 'Not "raw" data']);
    expect(approver.rows.map((row) => [row.decision, row.comment])).toEqual([
      ['approved', 'OK for INC-4242, 2h only'],
      ['denied', 'Not "raw" data'],
    ]);
    expect(formatResult(approver, 'csv').split('\r\n')[2]).toMatch(/,"Not ""raw"" data"$/);
  });

  it('refuses an empty comment or control characters in the entry schema, naming the field', () => {
    const bad = (comment: string) => auditDraftSchema.safeParse(decided('approval.denied', comment));

    expect(bad('').error?.issues[0]).toMatchObject({ path: ['detail', 'comment'], message: expect.stringMatching(/^comment must not be empty/) });
    expect(bad('a\u0007b').error?.issues[0]).toMatchObject({ path: ['detail', 'comment'], message: expect.stringMatching(/control characters/) });
  });
});
