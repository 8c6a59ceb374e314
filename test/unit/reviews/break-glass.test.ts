import { describe, expect, it } from 'vitest';
import { roleCatalogue } from '#lib/runtime/catalogue';
import { campaignIdSchema, type CampaignDefinition } from '#lib/domain/reviews/campaign';
import { snapshotItems } from '#lib/domain/reviews/items';
import type { CampaignRuns } from '#lib/domain/reviews/ports';
import { sendNotification } from '#lib/domain/notifications/send';
import { recordTimeBoundGrants, type RecordTimeBoundGrantsDeps } from '#lib/domain/time-bound/record-grants';
import { breakGlassReviewDefinition, breakGlassReviewId, followUpBreakGlass } from '#lib/domain/reviews/break-glass';
import type { TimeBoundRequestView } from '#lib/domain/time-bound/ports';
import type { NewGrantItem } from '#lib/domain/grants/item';
import { FakeClock, MemoryAudit } from '../joiner/fakes.ts';
import { notifierFakes } from '../notifications/fakes.ts';

/**
 * Break-glass after the grant is recorded (issue #17): the operators and the owners are told at
 * once, and the after-the-fact review opens as a one-request access-review campaign the owner
 * group decides; a retry tells nobody twice and starts no second review; an ordinary time-bound
 * request does neither.
 */

const PROD_ADMIN = 'account-assignment:ProdAdministrator';
const OWNER = 'platform-owners@example.com';

class MemoryRuns implements Pick<CampaignRuns, 'start'> {
  readonly started = new Map<string, CampaignDefinition>();
  start(campaignId: string, definition: CampaignDefinition): Promise<'started' | 'exists'> {
    if (this.started.has(campaignId)) return Promise.resolve('exists');
    this.started.set(campaignId, definition);
    return Promise.resolve('started');
  }
}

function world(record: Partial<TimeBoundRequestView>) {
  const clock = new FakeClock(new Date('2026-03-02T08:00:00.500Z'));
  const { deps: notifier, mailer } = notifierFakes();
  const runs = new MemoryRuns();
  const grants: NewGrantItem[] = [];
  const view: TimeBoundRequestView = { requestId: 'ar-bg1', kind: 'time-bound', employeeId: 'E-1', executionId: 'x', entitlements: [{ id: PROD_ADMIN }], decision: { decision: 'auto-approved' }, createdAt: '2026-03-02T08:00:00Z', requester: { employeeId: 'E-1', email: 'e-1@example.com' }, ...record };
  const requests = {
    get: () => Promise.resolve(view),
    markGranted: (_id: string, _exec: string, grantedAt: string, expiresAt: string) => Promise.resolve({ grantedAt, expiresAt }),
  };
  const notices = {
    notify: (n: Parameters<typeof sendNotification>[1]) => sendNotification(notifier, n),
    people: { person: () => Promise.resolve({ employeeId: 'E-1', displayName: 'Erin Oncall', email: 'e-1@example.com', managerEmail: 'mgr@example.com' }) },
    requests,
  };
  const deps: RecordTimeBoundGrantsDeps = {
    grants: { putIfAbsent: (item) => Promise.resolve(void grants.push(item)).then(() => true) },
    requests,
    audit: new MemoryAudit(clock),
    clock,
    notices,
    breakGlass: (facts) => followUpBreakGlass({ notices, reviews: runs, catalogue: roleCatalogue }, facts),
  };
  const input = {
    requestId: 'ar-bg1',
    employeeId: 'E-1',
    entitlements: [],
    accountAssignments: [{ id: PROD_ADMIN, kind: 'account-assignment' as const }],
    durationMinutes: 30,
    results: { identity: { userId: 'u-1', userCreated: false, memberships: [] } },
    executionId: 'arn:aws:states:us-east-1:000000000000:execution:gatehouse-time-bound:ar-bg1',
    executionName: 'ar-bg1',
  };
  return { deps, input, mailer, runs, grants };
}

describe('break-glass follow-up of Record Time-Bound Grants', () => {
  it('tells the operators and the owner group at once, and opens a review of exactly this request for the owner; a retry does neither again', async () => {
    const w = world({ breakGlass: true, justification: 'production is down, paging on-call' });

    const first = await recordTimeBoundGrants(w.deps, w.input);
    const retry = await recordTimeBoundGrants(w.deps, w.input);

    expect(first.breakGlassReview).toBe('break-glass-ar-bg1');
    expect(retry.breakGlassReview).toBe('break-glass-ar-bg1');
    const told = w.mailer.sent.filter((mail) => mail.subject.startsWith('BREAK-GLASS'));
    expect(told).toHaveLength(1);
    expect(told[0]?.to).toEqual(['it-ops@example.com', OWNER]);
    expect(told[0]?.text).toContain('Reason given: production is down, paging on-call');
    expect(told[0]?.text).toContain('Review: break-glass-ar-bg1');
    // The holder's own "granted" mail is the other one, also once.
    expect(w.mailer.sent.map((mail) => mail.to)).toEqual([['e-1@example.com'], ['it-ops@example.com', OWNER]]);
    expect([...w.runs.started.keys()]).toEqual(['break-glass-ar-bg1']);
    expect(w.runs.started.get('break-glass-ar-bg1')).toMatchObject({
      scope: { kind: 'request', requestId: 'ar-bg1' },
      reviewers: { low: 'owner', high: 'owner' },
      defaults: { low: 'flag', high: 'flag' },
    });
  });

  it('does nothing of the kind for an ordinary time-bound request', async () => {
    const w = world({});
    const recorded = await recordTimeBoundGrants(w.deps, w.input);
    expect(recorded).not.toHaveProperty('breakGlassReview');
    expect(w.mailer.sent.map((mail) => mail.subject)).toEqual([expect.stringMatching(/^Time-bound access granted/)]);
    expect(w.runs.started.size).toBe(0);
  });
});

describe('the break-glass review campaign', () => {
  it('holds only the grants of its request, routed to the owner group, never the person', () => {
    const definition = breakGlassReviewDefinition('ar-bg1', 'E-1');
    const people = new Map([
      ['E-1', { employeeId: 'E-1', email: 'e-1@example.com', managerEmail: 'mgr@example.com' }],
      ['E-2', { employeeId: 'E-2', email: 'e-2@example.com' }],
    ]);
    const items = snapshotItems({
      campaignId: breakGlassReviewId('ar-bg1'),
      definition,
      catalogue: roleCatalogue,
      people,
      grants: [
        { employeeId: 'E-1', grantKey: `${PROD_ADMIN}#time-bound#ar-bg1`, entitlementId: PROD_ADMIN, source: 'time-bound:ar-bg1' },
        { employeeId: 'E-1', grantKey: `${PROD_ADMIN}#time-bound#ar-other`, entitlementId: PROD_ADMIN, source: 'time-bound:ar-other' },
        { employeeId: 'E-2', grantKey: `${PROD_ADMIN}#time-bound#ar-bg10`, entitlementId: PROD_ADMIN, source: 'time-bound:ar-bg10' },
        { employeeId: 'E-1', grantKey: 'group:AllStaff#role', entitlementId: 'group:AllStaff', source: 'role:sales' },
      ],
    });
    expect(items.map((item) => [item.employeeId, item.source, item.reviewers])).toEqual([['E-1', 'time-bound:ar-bg1', [OWNER]]]);
  });

  it('has a valid campaign id for any request id: the request id when it fits, else a hash', () => {
    expect(breakGlassReviewId('ar-0123456789abcdef0123456789abcdef')).toBe('break-glass-ar-0123456789abcdef0123456789abcdef');
    const long = breakGlassReviewId(`req/${'x'.repeat(120)}`);
    expect(campaignIdSchema.safeParse(long).success).toBe(true);
    expect(long).toMatch(/^break-glass-[0-9a-f]{40}$/);
  });
});
