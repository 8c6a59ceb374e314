/* In-memory fakes: synchronous bodies behind the ports' async signatures. */
/* eslint-disable @typescript-eslint/require-await */
import { chainEntry } from '#lib/domain/audit/chain';
import type { AuditDraft, AuditEntry } from '#lib/domain/audit/entry';
import type { StoredGrant } from '#lib/domain/time-bound/ports';
import { roleCatalogue } from '#lib/runtime/catalogue';
import { parseDefinition, type Campaign } from '#lib/domain/reviews/campaign';
import type { ActiveGrant, PersonFacts, ReviewItem } from '#lib/domain/reviews/items';
import type { ReviewMail, ReviewStore } from '#lib/domain/reviews/ports';
import type { ReviewLink } from '#lib/domain/reviews/links';

/** In-memory stand-ins for the review use cases: a store with the adapter's conditions, a real hash-chained audit. */

export const catalogue = roleCatalogue;

export function definition(fields: Record<string, unknown> = {}) {
  return parseDefinition({ name: 'Q4 review', scope: { kind: 'all' }, dueInSeconds: 100, remindEverySeconds: 30, escalationSeconds: 50, ...fields });
}

export class FakeClock {
  constructor(public at = Date.parse('2026-10-01T09:00:00.000Z')) {}
  now = () => new Date(this.at);
  advance(seconds: number) {
    this.at += seconds * 1000;
  }
}

export function fakeStore() {
  const campaigns = new Map<string, Campaign>();
  const items = new Map<string, ReviewItem>();
  const links = new Map<string, ReviewLink>();
  const key = (campaignId: string, itemId: string) => `${campaignId}/${itemId}`;
  const store: ReviewStore = {
    getCampaign: async (id) => structuredClone(campaigns.get(id)),
    createCampaign: async (campaign) => (campaigns.has(campaign.campaignId) ? false : (campaigns.set(campaign.campaignId, structuredClone(campaign)), true)),
    putItems: async (list) => void list.forEach((item) => items.set(key(item.campaignId, item.itemId), structuredClone(item))),
    deleteItems: async (c, ids) => void ids.forEach((id) => items.delete(key(c, id))),
    getItem: async (c, i) => structuredClone(items.get(key(c, i))),
    replaceItem: async (next, expected) => {
      const stored = items.get(key(next.campaignId, next.itemId));
      if (!stored || stored.status !== expected.status || stored.stage !== expected.stage) return false;
      items.set(key(next.campaignId, next.itemId), structuredClone(next));
      return true;
    },
    listItems: async (c) => [...items.values()].filter((item) => item.campaignId === c).map((item) => structuredClone(item)),
    queueOf: async (reviewer) => [...items.values()].filter((item) => item.status === 'pending' && (item.escalated ? item.escalations[item.stage] : item.reviewers[item.stage]) === reviewer),
    requestClose: async (c, at) => {
      const campaign = campaigns.get(c);
      if (campaign?.status !== 'open') return false;
      campaign.closeRequestedAt ??= at;
      return true;
    },
    markClosed: async (c, at) => {
      const campaign = campaigns.get(c);
      if (campaign?.status !== 'open') return false;
      Object.assign(campaign, { status: 'closed', closedAt: at });
      return true;
    },
    putLink: async (link) => void links.set(key(link.campaignId, link.linkId), structuredClone(link)),
    getLink: async (c, l) => structuredClone(links.get(key(c, l))),
  };
  return { store, campaigns, items, links };
}

export function fakeAudit(clock: FakeClock) {
  const entries: AuditEntry[] = [];
  return {
    entries,
    append: async (draft: AuditDraft) => {
      const existing = draft.idempotencyKey ? entries.find((entry) => entry.subject === draft.subject && entry.idempotencyKey === draft.idempotencyKey) : undefined;
      if (existing) return existing;
      const head = entries.filter((entry) => entry.subject === draft.subject).at(-1);
      const entry = chainEntry(head, { ...draft, at: clock.now().toISOString() });
      entries.push(entry);
      return entry;
    },
    listBySubject: async (subject: string) => entries.filter((entry) => entry.subject === subject),
  };
}

export function fakeMailer() {
  const sent: ReviewMail[] = [];
  return { sent, send: async (mail: ReviewMail) => void sent.push(mail) };
}

/** People and grants of a small company: Ada (engineer) reports to Dana; Dana (platform-engineer) to Vic. */
export const PEOPLE: PersonFacts[] = [
  { employeeId: 'E-ADA', email: 'ada@example.com', managerEmail: 'dana@example.com', department: 'Engineering' },
  { employeeId: 'E-DANA', email: 'dana@example.com', managerEmail: 'vic@example.com', department: 'Engineering' },
  { employeeId: 'E-SAL', email: 'sal@example.com', managerEmail: 'sam@example.com', department: 'Sales' },
];

export const grant = (employeeId: string, entitlementId: string, source: string): ActiveGrant => ({
  employeeId,
  entitlementId,
  source,
  grantKey: `${entitlementId}#${source.replace(':', '#')}`,
});

export const GRANTS: ActiveGrant[] = [
  grant('E-ADA', 'group:Engineering', 'role:engineer'),
  grant('E-ADA', 'group:ProdReadOnly', 'role:engineer'),
  grant('E-ADA', 'group:ProdAdmin', 'time-bound:ar-1'),
  grant('E-DANA', 'group:ProdAdmin', 'role:platform-engineer'),
  grant('E-SAL', 'group:Sales', 'role:sales'),
];

export const population = (grants = GRANTS, people = PEOPLE) => ({
  activeGrants: async () => grants,
  people: async () => new Map(people.map((person) => [person.employeeId, person])),
});

/** The grants table as remediation reads it, from the same grants (role and time-bound sources). */
export function fakeGrants(grants: ActiveGrant[]) {
  const stored: StoredGrant[] = grants.map((g) => ({
    grantKey: g.grantKey,
    status: 'active',
    grant: {
      employeeId: g.employeeId,
      entitlementId: g.entitlementId,
      source: g.source.startsWith('role:') ? { kind: 'role', roleId: g.source.slice(5) } : { kind: 'time-bound', requestId: g.source.slice(4), expiresAt: '2099-01-01T00:00:00.000Z' },
    },
  }));
  return {
    stored,
    list: async (employeeId: string) => stored.filter((s) => s.grant.employeeId === employeeId),
    close: async (employeeId: string, grantKey: string) => {
      const found = stored.find((s) => s.grant.employeeId === employeeId && s.grantKey === grantKey && s.status === 'active');
      if (found) found.status = 'revoked';
      return found !== undefined;
    },
  };
}

export function fakeIdentity(memberships: Record<string, string[]>) {
  const removed: string[] = [];
  return {
    removed,
    findUserId: async (userName: string) => (memberships[userName] ? `u-${userName}` : undefined),
    findMembership: async (userId: string, group: { displayName: string }) => {
      const user = userId.slice(2);
      return memberships[user]?.includes(group.displayName) ? { entitlementId: `group:${group.displayName}`, membershipId: `m-${user}-${group.displayName}`, groupId: `g-${group.displayName}`, origin: 'existing' as const } : undefined;
    },
    removeMembership: async (membershipId: string) => {
      removed.push(membershipId);
      return 'undone' as const;
    },
  };
}

/**
 * A small closed campaign in memory (start, one keep, one revoke, defaults, remediation, close):
 * its audit entries, for evidence and export tests.
 */
export async function closedCampaignEntries(): Promise<AuditEntry[]> {
  const { startCampaign } = await import('#lib/domain/reviews/start');
  const { recordDecisions } = await import('#lib/domain/reviews/record-decisions');
  const { applyDefaults, closeCampaign, findRevocations } = await import('#lib/domain/reviews/close');
  const { remediateItem } = await import('#lib/domain/reviews/remediate');
  const clock = new FakeClock();
  const { store } = fakeStore();
  const audit = fakeAudit(clock);
  const deps = { store, audit, clock, catalogue, population: population(), grants: fakeGrants(GRANTS), identity: fakeIdentity({ 'ada@example.com': ['ProdReadOnly'] }) };
  await startCampaign(deps, { campaignId: 'rev-x', executionId: 'arn:exec:rev-x', definition: definition() });
  await recordDecisions(deps, { campaignId: 'rev-x', itemIds: ['E-ADA#group:Engineering#role#engineer'], reviewer: 'dana@example.com', decision: 'keep', channel: 'console' });
  await recordDecisions(deps, { campaignId: 'rev-x', itemIds: ['E-ADA#group:ProdReadOnly#role#engineer'], reviewer: 'dana@example.com', decision: 'revoke', justification: 'not on call any more', channel: 'link' });
  clock.advance(200);
  await applyDefaults(deps, 'rev-x');
  for (const itemId of (await findRevocations(deps, 'rev-x')).itemIds) await remediateItem(deps, { campaignId: 'rev-x', itemId, executionName: 'rev-x' });
  await closeCampaign(deps, 'rev-x');
  return audit.entries;
}
