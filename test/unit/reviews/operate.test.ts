import { describe, expect, it } from 'vitest';
import { ValidationError } from '#lib/domain/shared/errors';
import { CampaignClosedError, CampaignNotFoundError } from '#lib/domain/reviews/errors';
import { CampaignExistsError, newCampaignId, recentCampaigns, requestEarlyClose, startReview } from '#lib/domain/reviews/operate';
import { remindNow } from '#lib/domain/reviews/progress';
import { queueOf } from '#lib/domain/reviews/queue';
import { recordDecisions } from '#lib/domain/reviews/record-decisions';
import { campaignEvidence, evidenceCsv, liveCampaignEntries } from '#lib/domain/reviews/report';
import { startCampaign } from '#lib/domain/reviews/start';
import type { CampaignRun, CampaignRuns } from '#lib/domain/reviews/ports';
import type { CampaignDefinition } from '#lib/domain/reviews/campaign';
import { FakeClock, GRANTS, PEOPLE, catalogue, closedCampaignEntries, definition, fakeAudit, fakeMailer, fakeStore, population } from './fakes.ts';

/** The operators' campaign actions (console Reviews page, CLI): start, list with progress, remind now, close early. */

function fakeRuns(runs: CampaignRun[] = []) {
  const started: { campaignId: string; definition: CampaignDefinition }[] = [];
  const api: CampaignRuns = {
    start: (campaignId, def) => {
      if (runs.some((run) => run.campaignId === campaignId)) return Promise.resolve('exists');
      started.push({ campaignId, definition: def });
      runs.unshift({ campaignId, status: 'RUNNING', startedAt: new Date().toISOString() });
      return Promise.resolve('started');
    },
    recent: (limit) => Promise.resolve(runs.slice(0, limit)),
  };
  return { api, started, runs };
}

const named = PEOPLE.map((person) => ({ ...person, name: `Name of ${person.employeeId}` }));
const dated = GRANTS.map((grant) => ({ ...grant, since: '2026-01-02T03:04:05.000Z' }));

async function world() {
  const clock = new FakeClock();
  const { store, campaigns } = fakeStore();
  const audit = fakeAudit(clock);
  const runs = fakeRuns();
  await startCampaign({ store, audit, clock, catalogue, population: population(dated, named) }, { campaignId: 'rev-1', executionId: 'arn:exec:rev-1', definition: definition() });
  runs.runs.push({ campaignId: 'rev-1', status: 'RUNNING', startedAt: clock.now().toISOString() });
  return { clock, store, campaigns, audit, runs, mailer: fakeMailer() };
}

describe('operating campaigns', () => {
  it('starts an execution named after the campaign id, makes one from the time when none is given, and refuses a bad definition or a used id', async () => {
    const { clock, runs } = await world();
    await expect(startReview({ runs: runs.api, clock }, { campaignId: 'rev-2', campaign: { name: 'Q1', scope: { kind: 'all' }, dueInSeconds: 100, remindEverySeconds: 30, escalationSeconds: 50 } })).resolves.toEqual({ campaignId: 'rev-2' });
    expect(runs.started[0]).toMatchObject({ campaignId: 'rev-2', definition: { name: 'Q1', defaults: { low: 'keep', high: 'revoke' } } });
    expect((await startReview({ runs: runs.api, clock }, { campaign: definition() })).campaignId).toBe(newCampaignId(clock.now()));
    expect(newCampaignId(new Date('2026-12-03T18:20:00.000Z'))).toBe('review-20261203182000');
    await expect(startReview({ runs: runs.api, clock }, { campaignId: 'rev-1', campaign: definition() })).rejects.toThrow(CampaignExistsError);
    await expect(startReview({ runs: runs.api, clock }, { campaignId: 'rev-3', campaign: { name: 'x', scope: { kind: 'all' }, dueInSeconds: 1, remindEverySeconds: 30, escalationSeconds: 50 } })).rejects.toThrow(/dueInSeconds/);
    await expect(startReview({ runs: runs.api, clock }, { campaignId: 'no spaces', campaign: definition() })).rejects.toThrow(ValidationError);
    expect(runs.started.map((s) => s.campaignId)).toEqual(['rev-2', newCampaignId(clock.now())]);
  });

  it('lists recent campaigns with their state and progress', async () => {
    const { clock, store, audit, runs } = await world();
    runs.runs.unshift({ campaignId: 'rev-new', status: 'RUNNING', startedAt: clock.now().toISOString() });
    runs.runs.push({ campaignId: 'rev-broken', status: 'FAILED', startedAt: clock.now().toISOString() });
    await recordDecisions({ store, audit, clock }, { campaignId: 'rev-1', itemIds: ['E-ADA#group:Engineering#role#engineer'], reviewer: 'dana@example.com', decision: 'keep', channel: 'console' });
    const rows = await recentCampaigns({ store, runs: runs.api, clock });
    expect(rows.map((row) => [row.campaignId, row.state])).toEqual([
      ['rev-new', 'taking snapshot'],
      ['rev-1', 'open'],
      ['rev-broken', 'failed'],
    ]);
    expect(rows[1]).toMatchObject({ name: 'Q4 review', itemCount: 5, counts: { pending: 4, decided: 1, keep: 1, revoke: 0 } });
    await requestEarlyClose({ store, clock }, 'rev-1');
    expect((await recentCampaigns({ store, runs: runs.api, clock }))[1]!.state).toBe('closing');
  });

  it('closes early once (asking twice is fine), and says why it cannot close an unknown or closed campaign', async () => {
    const { clock, store, campaigns } = await world();
    const first = await requestEarlyClose({ store, clock }, 'rev-1');
    clock.advance(5);
    expect(await requestEarlyClose({ store, clock }, 'rev-1')).toEqual(first);
    await expect(requestEarlyClose({ store, clock }, 'rev-none')).rejects.toThrow(CampaignNotFoundError);
    campaigns.get('rev-1')!.status = 'closed';
    await expect(requestEarlyClose({ store, clock }, 'rev-1')).rejects.toThrow(new CampaignClosedError('campaign rev-1 is already closed'));
  });

  it('reminds every reviewer with open items now, once per tick, and refuses a closing campaign', async () => {
    const { clock, store, audit, mailer } = await world();
    const deps = { store, audit, clock, mailer, linkFor: (c: string, r: string) => Promise.resolve(`https://gh.example/reviews/${c}/${r}`) };
    const reminded = await remindNow(deps, 'rev-1', 'console-1');
    expect(reminded).toEqual({ reviewers: new Set(mailer.sent.map((m) => m.reviewer)).size, items: 5 });
    expect(reminded.reviewers).toBeGreaterThan(0);
    const entries = audit.entries.filter((e) => e.kind === 'review.reminded').length;
    await remindNow(deps, 'rev-1', 'console-1');
    expect(audit.entries.filter((e) => e.kind === 'review.reminded').length).toBe(entries);
    await requestEarlyClose({ store, clock }, 'rev-1');
    await expect(remindNow(deps, 'rev-1', 'console-2')).rejects.toThrow('campaign rev-1 is closing: nothing to remind');
    await expect(remindNow(deps, 'rev-x', 'console-2')).rejects.toThrow(CampaignNotFoundError);
  });

  it("gives the reviewer the person's name and since when the grant is held", async () => {
    const { store } = await world();
    const queue = await queueOf({ store, catalogue }, 'dana@example.com');
    expect(queue.length).toBeGreaterThan(0);
    expect(queue.find((entry) => entry.employeeId === 'E-ADA')).toMatchObject({ personName: 'Name of E-ADA', personEmail: 'ada@example.com', since: '2026-01-02T03:04:05.000Z' });
  });

  it('reads the live evidence from the campaign chain and the people reviewed, and names a campaign it cannot find', async () => {
    const entries = await closedCampaignEntries();
    const { store } = fakeStore();
    await store.putItems([{ campaignId: 'rev-x', itemId: 'E-ADA#x', employeeId: 'E-ADA', personEmail: 'ada@example.com', entitlementId: 'group:Engineering', grantKey: 'x', source: 'role:engineer', risk: 'low', reviewers: ['dana@example.com'], stage: 0, status: 'decided', escalations: ['vic@example.com'] }]);
    const audit = { listBySubject: (subject: string) => Promise.resolve(entries.filter((entry) => entry.subject === subject)) };
    const live = await liveCampaignEntries({ audit, store }, 'rev-x');
    expect(evidenceCsv(campaignEvidence('rev-x', live))).toBe(evidenceCsv(campaignEvidence('rev-x', entries.filter((e) => e.subject === 'review.rev-x' || e.subject === 'E-ADA'))));
    expect(() => campaignEvidence('rev-none', entries)).toThrow(CampaignNotFoundError);
  });
});

describe('remediation per decision', () => {
  it('removes a final revoke at once through the same path the deadline uses, and only that', async () => {
    const { recordDecisions: record } = await import('#lib/domain/reviews/record-decisions');
    const { remediateItem } = await import('#lib/domain/reviews/remediate');
    const { fakeGrants, fakeIdentity } = await import('./fakes.ts');
    const clock = new FakeClock();
    const { store, items } = fakeStore();
    const audit = fakeAudit(clock);
    const grants = fakeGrants(GRANTS);
    const identity = fakeIdentity({ 'ada@example.com': ['Engineering', 'ProdReadOnly', 'ProdAdmin'] });
    await startCampaign({ store, audit, clock, catalogue, population: population() }, { campaignId: 'rev-9', executionId: 'arn:exec:rev-9', definition: definition() });
    const calls: string[] = [];
    const remediate = async (campaignId: string, itemId: string) => {
      calls.push(itemId);
      return remediateItem({ store, grants, identity, catalogue, audit, clock }, { campaignId, itemId, executionName: campaignId });
    };
    const deps = { store, audit, clock, remediate };
    const kept = await record(deps, { campaignId: 'rev-9', itemIds: ['E-ADA#group:Engineering#role#engineer'], reviewer: 'dana@example.com', decision: 'keep', channel: 'console' });
    expect(kept).toMatchObject([{ outcome: 'decided', final: true }]);
    expect(kept[0]).not.toHaveProperty('remediation');
    const revoked = await record(deps, { campaignId: 'rev-9', itemIds: ['E-ADA#group:ProdReadOnly#role#engineer'], reviewer: 'dana@example.com', decision: 'revoke', justification: 'left on-call', channel: 'link' });
    expect(revoked).toMatchObject([{ outcome: 'decided', final: true, remediation: 'removed' }]);
    expect(calls).toEqual(['E-ADA#group:ProdReadOnly#role#engineer']);
    expect(identity.removed).toEqual(['m-ada@example.com-ProdReadOnly']);
    expect(items.get('rev-9/E-ADA#group:ProdReadOnly#role#engineer')).toMatchObject({ status: 'remediated', remediation: 'removed' });
    expect(audit.entries.filter((e) => e.kind === 'grant.revoked').map((e) => e.entitlementId)).toEqual(['group:ProdReadOnly']);
    // The deadline finds nothing left to revoke for it (already remediated), so nothing is removed twice.
    const { findRevocations } = await import('#lib/domain/reviews/close');
    expect((await findRevocations({ store }, 'rev-9')).itemIds).toEqual([]);
    // A removal that fails now is left for the deadline: the decision stands.
    const failing = { ...deps, remediate: () => Promise.resolve({ remediation: 'pending' as const }) };
    expect(await record(failing, { campaignId: 'rev-9', itemIds: ['E-DANA#group:ProdAdmin#role#platform-engineer'], reviewer: 'vic@example.com', decision: 'revoke', justification: 'no longer on the platform team', channel: 'console' })).toMatchObject([{ outcome: 'decided', remediation: 'pending' }]);
    expect((await findRevocations({ store }, 'rev-9')).itemIds).toEqual(['E-DANA#group:ProdAdmin#role#platform-engineer']);
  });
});

describe('a retried snapshot', () => {
  it('leaves exactly the items of the snapshot it took: strays of the first attempt are deleted', async () => {
    const clock = new FakeClock();
    const { store, items } = fakeStore();
    const audit = fakeAudit(clock);
    // The first attempt writes its items, then dies before the campaign record.
    const crashing = { ...store, createCampaign: () => Promise.reject(new Error('Lambda timed out')) };
    await expect(startCampaign({ store: crashing, audit, clock, catalogue, population: population() }, { campaignId: 'rev-r', executionId: 'arn:exec:rev-r', definition: definition() })).rejects.toThrow('Lambda timed out');
    expect(items.size).toBe(GRANTS.length);
    // Meanwhile Sal's Sales grant ended; the retry's snapshot no longer holds it.
    const fewer = GRANTS.filter((g) => g.employeeId !== 'E-SAL');
    const summary = await startCampaign({ store, audit, clock, catalogue, population: population(fewer) }, { campaignId: 'rev-r', executionId: 'arn:exec:rev-r', definition: definition() });
    expect(summary.itemCount).toBe(fewer.length);
    expect([...items.values()].map((item) => item.employeeId).sort()).toEqual(fewer.map((g) => g.employeeId).sort());
    expect(audit.entries.filter((e) => e.kind === 'review.started')).toHaveLength(1);
  });
});
