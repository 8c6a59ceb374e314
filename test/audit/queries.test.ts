import { describe, expect, it } from 'vitest';
import type { AuditDraft, AuditEntry } from '../../functions/lib/audit/entry.ts';
import { formatResult } from '../../functions/lib/audit-export/format.ts';
import { grantsAfterLeaving, holdersAt, openGrants, type Query } from '../../functions/lib/audit-export/queries.ts';
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

describe('formatResult', () => {
  const result = { columns: ['a', 'b'], rows: [{ a: 'x,y', b: 'say "hi"' }, { a: 1, b: '' }] };

  it('quotes CSV cells as RFC 4180 does', () => {
    expect(formatResult(result, 'csv')).toBe('a,b\r\n"x,y","say ""hi"""\r\n1,\r\n');
  });

  it('aligns a table and counts its rows', () => {
    expect(formatResult(result, 'table')).toBe('a    b\n---  --------\nx,y  say "hi"\n1\n(2 rows)\n');
  });
});
