import { describe, expect, it } from 'vitest';
import { verifyChain } from '#lib/domain/audit/chain';
import { snapshotHash } from '#lib/domain/audit/snapshot';
import { reviewersFor, snapshotItems, tripleOf } from '#lib/domain/reviews/items';
import { startCampaign } from '#lib/domain/reviews/start';
import { recordDecisions } from '#lib/domain/reviews/record-decisions';
import { checkProgress } from '#lib/domain/reviews/progress';
import { applyDefaults, closeCampaign, findRevocations } from '#lib/domain/reviews/close';
import { remediateItem } from '#lib/domain/reviews/remediate';
import { campaignEvidence, evidenceCsv } from '#lib/domain/reviews/report';
import { parseDefinition } from '#lib/domain/reviews/campaign';
import { FakeClock, GRANTS, PEOPLE, catalogue, definition, fakeAudit, fakeGrants, fakeIdentity, fakeMailer, fakeStore, population } from './fakes.ts';

const people = new Map(PEOPLE.map((person) => [person.employeeId, person]));

describe('reviewer routing', () => {
  it('never routes an item to the person: a self-review goes to the next reviewer', () => {
    const self = { employeeId: 'E-O', email: 'owners@example.com', managerEmail: 'boss@example.com' };
    expect(reviewersFor('owner', self, 'Owners@example.com')).toEqual(['boss@example.com']);
    expect(reviewersFor('manager', { employeeId: 'E-M', email: 'me@example.com', managerEmail: 'ME@example.com' }, 'owners@example.com')).toEqual(['owners@example.com']);
    expect(reviewersFor('manager-then-owner', PEOPLE[0]!, 'owners@example.com')).toEqual(['dana@example.com', 'owners@example.com']);
    expect(reviewersFor('manager', { employeeId: 'E-X', email: 'x@example.com' }, 'owners@example.com')).toEqual(['owners@example.com']);
  });
});

describe('snapshot', () => {
  it('selects by scope and freezes one item per grant and source, sorted, with a hash over the triples', () => {
    const all = snapshotItems({ campaignId: 'c1', definition: definition(), catalogue, grants: GRANTS, people });
    expect(all).toHaveLength(5);
    const high = snapshotItems({ campaignId: 'c1', definition: definition({ scope: { kind: 'risk', atLeast: 'high' } }), catalogue, grants: GRANTS, people });
    expect(high.map((item) => item.itemId)).toEqual(['E-ADA#group:ProdAdmin#time-bound#ar-1', 'E-DANA#group:ProdAdmin#role#platform-engineer']);
    expect(high[0]!.reviewers).toEqual(['dana@example.com', 'platform-owners@example.com']);
    // Dana's own manager is Vic, so an overdue Dana escalates to Vic; the owner group escalates to itself.
    expect(high[0]!.escalations).toEqual(['vic@example.com', 'platform-owners@example.com']);
    const sales = snapshotItems({ campaignId: 'c1', definition: definition({ scope: { kind: 'department', department: 'Sales' } }), catalogue, grants: GRANTS, people });
    expect(sales.map((item) => item.entitlementId)).toEqual(['group:Sales']);
    const listed = snapshotItems({ campaignId: 'c1', definition: definition({ scope: { kind: 'entitlements', entitlementIds: ['group:Engineering'] } }), catalogue, grants: GRANTS, people });
    expect(listed).toHaveLength(1);
    expect(snapshotHash(all.map(tripleOf))).toBe(snapshotHash([...all].reverse().map(tripleOf)));
    expect(snapshotHash(all.map(tripleOf))).not.toBe(snapshotHash(all.slice(1).map(tripleOf)));
  });

  it('refuses a bad campaign definition naming the field', () => {
    expect(() => parseDefinition({ name: 'x', scope: { kind: 'risk', atLeast: 'medium' }, dueInSeconds: 100, remindEverySeconds: 30, escalationSeconds: 50 })).toThrow(/scope\.atLeast/);
    expect(() => parseDefinition({ name: 'x', scope: { kind: 'all' }, dueInSeconds: 1, remindEverySeconds: 30, escalationSeconds: 50 })).toThrow(/dueInSeconds/);
  });
});

function world() {
  const clock = new FakeClock();
  const { store, items } = fakeStore();
  const audit = fakeAudit(clock);
  const mailer = fakeMailer();
  const grants = fakeGrants(GRANTS);
  const identity = fakeIdentity({ 'ada@example.com': ['Engineering', 'ProdReadOnly', 'ProdAdmin'], 'dana@example.com': ['ProdAdmin'], 'sal@example.com': ['Sales'] });
  const deps = { store, audit, clock, mailer, grants, identity, catalogue, population: population(), linkFor: (c: string, r: string) => Promise.resolve(`https://gh.example/reviews/${c}/${r}`) };
  return { clock, items, audit, mailer, grants, identity, deps };
}

describe('a campaign from start to evidence (in memory)', () => {
  it('decides, refuses, reminds, escalates, defaults, remediates only what nothing else justifies, and rebuilds the report from the audit entries', async () => {
    const { clock, audit, mailer, identity, grants, deps, items } = world();
    const start = await startCampaign(deps, { campaignId: 'rev-1', executionId: 'arn:exec:rev-1', definition: definition() });
    expect(start.itemCount).toBe(5);
    expect(await startCampaign(deps, { campaignId: 'rev-1', executionId: 'arn:exec:rev-1', definition: definition() })).toEqual(start);
    expect(audit.entries.filter((entry) => entry.kind === 'review.started')).toHaveLength(1);

    // The first check invites every reviewer.
    expect(await checkProgress(deps, 'rev-1')).toMatchObject({ phase: 'waiting', nextAt: '2026-10-01T09:00:30.000Z' });
    expect(mailer.sent.map((mail) => mail.reviewer).sort()).toEqual(['dana@example.com', 'sam@example.com', 'vic@example.com']);

    const decide = (itemIds: string[], reviewer: string, decision: 'keep' | 'revoke', justification?: string) =>
      recordDecisions(deps, { campaignId: 'rev-1', itemIds, reviewer, decision, channel: 'console', ...(justification ? { justification } : {}) });

    // Refusals change nothing and are audited.
    expect(await decide(['E-ADA#group:Engineering#role#engineer'], 'ada@example.com', 'keep')).toMatchObject([{ outcome: 'refused', why: 'self-review' }]);
    expect(await decide(['E-ADA#group:Engineering#role#engineer'], 'sam@example.com', 'keep')).toMatchObject([{ outcome: 'refused', why: 'not-reviewer' }]);
    expect(await decide(['E-ADA#group:ProdAdmin#time-bound#ar-1'], 'dana@example.com', 'keep')).toMatchObject([{ outcome: 'refused', why: 'justification-required' }]);
    expect(await decide(['E-ADA#group:ProdReadOnly#role#engineer'], 'dana@example.com', 'revoke', '  ')).toMatchObject([{ outcome: 'refused', why: 'justification-required', message: 'justification: say why this access should be revoked' }]);
    expect(audit.entries.filter((entry) => entry.kind === 'review.refused').map((entry) => entry.kind === 'review.refused' && entry.detail.why)).toEqual(['self-review', 'not-reviewer', 'justification-required', 'justification-required']);
    expect([...items.values()].every((item) => item.status === 'pending' && item.stage === 0)).toBe(true);

    // Dana keeps Ada's Engineering, revokes ProdReadOnly (role-sourced) and keeps ProdAdmin (time-bound, high) with a reason: it goes to the owner group.
    expect(await decide(['E-ADA#group:Engineering#role#engineer'], 'Dana@example.com', 'keep')).toMatchObject([{ outcome: 'decided', final: true }]);
    expect(await decide(['E-ADA#group:ProdReadOnly#role#engineer'], 'dana@example.com', 'revoke', 'moved off the on-call rota')).toMatchObject([{ outcome: 'decided', final: true }]);
    expect(await decide(['E-ADA#group:ProdAdmin#time-bound#ar-1'], 'dana@example.com', 'keep', 'on call this quarter')).toMatchObject([{ outcome: 'decided', final: false }]);
    expect(await decide(['E-ADA#group:ProdAdmin#time-bound#ar-1'], 'platform-owners@example.com', 'revoke', 'the incident is over')).toMatchObject([{ outcome: 'decided', final: true }]);
    expect(await decide(['E-ADA#group:ProdAdmin#time-bound#ar-1'], 'platform-owners@example.com', 'keep')).toMatchObject([{ outcome: 'refused', why: 'already-decided' }]);

    // Vic (Dana's manager) never answers; Sam keeps Sales. Reminder at the next tick, escalation at the due date.
    await decide(['E-SAL#group:Sales#role#sales'], 'sam@example.com', 'keep');
    clock.advance(30);
    mailer.sent.length = 0;
    await checkProgress(deps, 'rev-1');
    expect(mailer.sent).toMatchObject([{ kind: 'reminder', reviewer: 'vic@example.com', items: 1 }]);
    clock.advance(70);
    mailer.sent.length = 0;
    expect(await checkProgress(deps, 'rev-1')).toMatchObject({ phase: 'waiting', nextAt: '2026-10-01T09:02:30.000Z', pending: 1 });
    // Vic has no manager Gatehouse knows: the owner group takes over.
    expect(mailer.sent).toMatchObject([{ kind: 'escalation', reviewer: 'platform-owners@example.com', items: 1 }]);
    clock.advance(50);
    expect(await checkProgress(deps, 'rev-1')).toMatchObject({ phase: 'deadline', pending: 1 });
    expect(await applyDefaults(deps, 'rev-1')).toEqual({ defaulted: 1 });

    const revocations = await findRevocations(deps, 'rev-1');
    expect(revocations.itemIds).toEqual(['E-ADA#group:ProdAdmin#time-bound#ar-1', 'E-ADA#group:ProdReadOnly#role#engineer', 'E-DANA#group:ProdAdmin#role#platform-engineer']);
    for (const itemId of revocations.itemIds) await remediateItem(deps, { campaignId: 'rev-1', itemId, executionName: 'rev-1' });
    expect(await remediateItem(deps, { campaignId: 'rev-1', itemId: revocations.itemIds[0]!, executionName: 'rev-1' })).toMatchObject({ remediation: 'removed' });
    expect(identity.removed.sort()).toEqual(['m-ada@example.com-ProdAdmin', 'm-ada@example.com-ProdReadOnly', 'm-dana@example.com-ProdAdmin']);
    expect(grants.stored.filter((g) => g.status === 'revoked').map((g) => g.grantKey).sort()).toEqual(['group:ProdAdmin#role#platform-engineer', 'group:ProdAdmin#time-bound#ar-1', 'group:ProdReadOnly#role#engineer']);
    expect(audit.entries.filter((entry) => entry.kind === 'review.finding').map((entry) => entry.subject)).toEqual(['E-ADA', 'E-DANA']);

    expect(await closeCampaign(deps, 'rev-1')).toEqual({ itemCount: 5, keep: 2, revoke: 3, flag: 0, defaulted: 1, escalated: 1 });
    expect(await decide(['E-SAL#group:Sales#role#sales'], 'sam@example.com', 'revoke')).toMatchObject([{ outcome: 'refused', why: 'campaign-closed' }]);
    expect(verifyChain(audit.entries)).toEqual({ ok: true });

    const evidence = campaignEvidence('rev-1', audit.entries);
    expect(evidence.complete).toBe(true);
    expect(evidence.counts).toMatchObject({ keep: 2, revoke: 3, flag: 0, pending: 0, defaulted: 1, escalated: 1, refused: 6, findings: 2 });
    expect(evidence.rows.map((row) => [row.person, row.entitlement, row.decision, row.decided_by, row.reviewer, row.remediated_at !== ''])).toEqual([
      ['E-ADA', 'group:Engineering', 'keep', 'reviewer', 'dana@example.com', false],
      ['E-ADA', 'group:ProdAdmin', 'revoke', 'reviewer', 'platform-owners@example.com', true],
      ['E-ADA', 'group:ProdReadOnly', 'revoke', 'reviewer', 'dana@example.com', true],
      ['E-DANA', 'group:ProdAdmin', 'revoke', 'default', 'platform-owners@example.com', true],
      ['E-SAL', 'group:Sales', 'keep', 'reviewer', 'sam@example.com', false],
    ]);
    expect(evidenceCsv(evidence).split('\r\n')[0]).toBe('person,entitlement,source,reviewer,decision,decided_by,justification,decided_at,remediated_at');
    // A missing final decision (an entry cut from an export) makes the evidence incomplete.
    const cut = audit.entries.filter((entry) => !(entry.kind === 'review.decided' && entry.subject === 'E-SAL'));
    expect(campaignEvidence('rev-1', cut).complete).toBe(false);
  });

  it('keeps a membership that another source still justifies', async () => {
    const { deps, identity } = world();
    const both = [...GRANTS, { employeeId: 'E-SAL', entitlementId: 'group:Sales', source: 'time-bound:ar-9', grantKey: 'group:Sales#time-bound#ar-9' }];
    const local = { ...deps, population: population(both), grants: fakeGrants(both) };
    await startCampaign(local, { campaignId: 'rev-2', executionId: 'arn:exec:rev-2', definition: definition({ scope: { kind: 'department', department: 'Sales' } }) });
    await recordDecisions(local, { campaignId: 'rev-2', itemIds: ['E-SAL#group:Sales#role#sales'], reviewer: 'sam@example.com', decision: 'revoke', justification: 'left sales', channel: 'link' });
    expect(await remediateItem(local, { campaignId: 'rev-2', itemId: 'E-SAL#group:Sales#role#sales', executionName: 'rev-2' })).toMatchObject({ remediation: 'kept' });
    expect(identity.removed).toEqual([]);
  });
});
