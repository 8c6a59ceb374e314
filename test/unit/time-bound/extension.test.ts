import { describe, expect, it } from 'vitest';
import { stepEmails } from '#lib/domain/policy/schema';
import { roleCatalogue } from '#lib/runtime/catalogue';
import { findEntitlement } from '#lib/domain/catalogue/resolve';
import { ConflictError, ForbiddenError, ValidationError } from '#lib/domain/shared/errors';
import { ExtensionRefusedError } from '#lib/domain/time-bound/errors';
import { checkMayExtend, checkTotal, planExtension } from '#lib/domain/time-bound/extension';
import { extendTimeBoundGrants, prepareExtension } from '#lib/domain/time-bound/extend';
import { closeTimeBoundGrants, planTimeBoundRevocation } from '#lib/domain/time-bound/revoke';
import { tellEndingSoon } from '#lib/domain/time-bound/notices';
import { expiryRevoke } from '#lib/domain/time-bound/expiry';
import type { Notification } from '#lib/domain/notifications/kinds';
import type { ExtendTimeBoundGrantsInput } from '#lib/tasks/record-time-bound-grants';
import { FakeClock, MemoryAudit, MemoryRequests } from '../joiner/fakes.ts';
import { employee, requestView } from './fakes.ts';
import { MemoryRequestItems, MemoryTimeBoundGrants } from './memory-grants.ts';

/**
 * Extensions of time-bound grants (issue #17), over in-memory ports that keep the adapters'
 * conditions: the new end and the cap on the total, who may ask, and Extend Grants' replay and races
 * (an extension replayed extends once; one racing the expiry wins before it or is refused, never
 * bringing an ended grant back); a schedule or reminder set for the old end changes nothing.
 */

const ADMIN = findEntitlement(roleCatalogue, 'group:ProdAdmin'); // high risk, at most PT4H
const GRANT_KEY = 'group:ProdAdmin#time-bound#ar-1';
const granted = requestView('granted', {
  requestId: 'ar-1',
  entitlements: [ADMIN],
  grantedAt: '2026-03-02T08:00:00.412Z',
  expiresAt: '2026-03-02T10:00:00Z',
  duration: 'PT2H',
});

function world(now = '2026-03-02T09:00:00.000Z') {
  const clock = new FakeClock(new Date(now));
  const grants = new MemoryTimeBoundGrants();
  void grants.putIfAbsent({
    employeeId: 'E-SALES',
    grantKey: GRANT_KEY,
    entitlementId: 'group:ProdAdmin',
    source: 'time-bound:ar-1',
    status: 'active',
    grantedAt: granted.grantedAt ?? '',
    expiresAt: granted.expiresAt,
    requestId: 'ar-1',
    approvedBy: ['dana.lead@example.com'],
  });
  const requests = new MemoryRequestItems();
  requests.put(granted);
  const told: Notification[] = [];
  const notices = {
    notify: (n: Notification) => (told.push(n), Promise.resolve({ status: 'sent' })),
    people: { person: () => Promise.resolve({ employeeId: 'E-SALES', displayName: 'Sam Seller', email: 'e-sales@example.com' }) },
  };
  const audit = new MemoryAudit(clock);
  return { clock, grants, requests, audit, told, deps: { grants, requests, audit, clock, notices } };
}

const extendRequest = (id = 'ex-1', by = 'PT2H') => ({
  action: 'extend' as const,
  requestId: id,
  grantRequestId: 'ar-1',
  employeeId: 'E-SALES',
  requester: { employeeId: 'E-SALES', email: 'e-sales@example.com' },
  by,
  justification: 'INC-4242 is still open',
  fingerprint: 'b'.repeat(64),
});

/** Prepares extension `id` in world `w` (its record is what Extend Grants reads), then returns Extend Grants' input. */
async function prepared(w: ReturnType<typeof world>, id = 'ex-1', by = 'PT2H'): Promise<ExtendTimeBoundGrantsInput> {
  const records = new MemoryRequests();
  const ids = { executionId: `arn:exec:${id}`, executionName: id };
  const out = await prepareExtension(
    { catalogue: roleCatalogue, employees: { get: (e) => Promise.resolve(employee(e, 'sales')) }, requests: records, grantRequests: w.requests, audit: w.audit, clock: w.clock, approvalTimeoutSeconds: 60 },
    { request: extendRequest(id, by), ...ids },
  );
  const record = records.items.get(id);
  if (record) w.requests.put(record);
  return {
    extend: { requestId: id, grantRequestId: out.grantRequestId, employeeId: out.employeeId, currentEnd: out.currentEnd, newEnd: out.newEnd },
    results: { approvals: [{ approver: 'dana.lead@example.com' }, { approver: 'platform-owners@example.com' }] },
    ...ids,
  };
}

const endOf = async (w: ReturnType<typeof world>) => {
  const [item] = await w.grants.list('E-SALES');
  return { status: item?.status, expiresAt: item?.grant.source.kind === 'time-bound' ? item.grant.source.expiresAt : undefined, request: w.requests.items.get('ar-1')?.expiresAt };
};

describe('planExtension and the cap on the total', () => {
  it('moves the end by `by` from the current end, and counts the total from the grant start', () => {
    expect(planExtension(granted, 'PT2H', new Date('2026-03-02T09:00:00Z'))).toEqual({ currentEnd: '2026-03-02T10:00:00Z', newEnd: '2026-03-02T12:00:00Z', byMinutes: 120, totalMinutes: 240 });
  });

  it('caps the total, not the extension: 2 hours + 2 hours fits PT4H, 2 hours + 3 hours does not', () => {
    expect(() => checkTotal([ADMIN], planExtension(granted, 'PT2H', new Date('2026-03-02T09:00:00Z')), 'PT2H')).not.toThrow();
    const over = planExtension(granted, 'PT3H', new Date('2026-03-02T09:00:00Z'));
    expect(() => checkTotal([ADMIN], over, 'PT3H')).toThrow(ValidationError);
    expect(() => checkTotal([ADMIN], over, 'PT3H')).toThrow('by: extending by 3 hours makes 5 hours in all, over the 4 hours maximum for group:ProdAdmin');
  });

  it('refuses a request that is not granted, has ended, or has reached its end (an extension after expiry is a new request)', () => {
    const at = new Date('2026-03-02T09:00:00Z');
    expect(() => planExtension(requestView('pending-approval'), 'PT1H', at)).toThrow(ConflictError);
    expect(() => planExtension({ ...granted, status: 'ended', endReason: 'expired' }, 'PT1H', at)).toThrow('has ended (expired); an ended grant cannot be extended: ask for a new request');
    expect(() => planExtension(granted, 'PT1H', new Date('2026-03-02T10:00:00Z'))).toThrow('reached its end at 2026-03-02T10:00:00Z');
  });

  it('lets the holder and their manager ask, nobody else', () => {
    const holder = employee('E-SALES', 'sales', { managerId: 'E-BOSS', managerEmail: 'boss@example.com' });
    expect(checkMayExtend(holder, holder)).toBe('holder');
    expect(checkMayExtend(employee('E-BOSS', 'sales', { email: 'boss@example.com' }), holder)).toBe('manager');
    expect(checkMayExtend(employee('E-OTHER', 'sales', { email: 'Boss@Example.com' }), holder)).toBe('manager');
    expect(() => checkMayExtend(employee('E-ENG', 'engineer'), holder)).toThrow(ForbiddenError);
  });
});

describe('Prepare Access Request for an extension', () => {
  it('writes a record of kind extension with the ends, and asks the same chain as a new high-risk request', async () => {
    const w = world();
    const records = new MemoryRequests();
    const out = await prepareExtension(
      { catalogue: roleCatalogue, employees: { get: (e) => Promise.resolve(employee(e, 'sales')) }, requests: records, grantRequests: w.requests, audit: w.audit, clock: w.clock, approvalTimeoutSeconds: 60 },
      { request: extendRequest(), executionId: 'arn:exec:ex-1', executionName: 'ex-1' },
    );
    expect(out).toMatchObject({ requestId: 'ex-1', grantRequestId: 'ar-1', currentEnd: '2026-03-02T10:00:00Z', newEnd: '2026-03-02T12:00:00Z', decision: { decision: 'needs-approval' } });
    expect(out.decision.decision === 'needs-approval' && out.decision.chain.flatMap(stepEmails)).toEqual(['dana.lead@example.com', 'platform-owners@example.com']);
    expect(records.items.get('ex-1')).toMatchObject({ kind: 'extension', extension: { grantRequestId: 'ar-1', by: 'PT2H' }, justification: 'INC-4242 is still open' });
    expect(w.audit.kinds('E-SALES')).toEqual(['request.received', 'policy.decided']);
  });
});

describe('Extend Grants', () => {
  it('moves the grant item and the request to the new end, audits grant.extended with both ends and the approvers, tells the holder', async () => {
    const w = world();
    const input = await prepared(w);
    const out = await extendTimeBoundGrants(w.deps, input);

    expect(out).toEqual({ grantRequestId: 'ar-1', previousEnd: '2026-03-02T10:00:00Z', expiresAt: '2026-03-02T12:00:00Z', grantKeys: [GRANT_KEY], extended: 1 });
    expect(await endOf(w)).toEqual({ status: 'active', expiresAt: '2026-03-02T12:00:00Z', request: '2026-03-02T12:00:00Z' });
    const entry = w.audit.entries.find((e) => e.kind === 'grant.extended');
    expect(entry).toMatchObject({ requestId: 'ar-1', entitlementId: 'group:ProdAdmin', detail: { previousEnd: '2026-03-02T10:00:00Z', expiresAt: '2026-03-02T12:00:00Z', extensionId: 'ex-1', approverIds: ['dana.lead@example.com', 'platform-owners@example.com'] } });
    expect(w.told).toEqual([expect.objectContaining({ kind: 'access-extended', requestId: 'ex-1', previousEnd: '2026-03-02T10:00:00Z', endsAt: '2026-03-02T12:00:00Z', reason: 'INC-4242 is still open' })]);
    expect(w.requests.items.get('ex-1')?.status).toBe('extended');
  });

  it('replayed (a Lambda retry of the same extension) extends once: the end is +2 hours, not +4, one audit entry', async () => {
    const w = world();
    const input = await prepared(w);
    await extendTimeBoundGrants(w.deps, input);
    const again = await extendTimeBoundGrants(w.deps, input);

    expect(again.extended).toBe(0);
    expect(await endOf(w)).toEqual({ status: 'active', expiresAt: '2026-03-02T12:00:00Z', request: '2026-03-02T12:00:00Z' });
    expect(w.audit.kinds('E-SALES').filter((k) => k === 'grant.extended')).toHaveLength(1);
  });

  it('racing the expiry, loses once the grant has expired: refused with a clear error, the grant stays expired at its old end', async () => {
    const w = world();
    const input = await prepared(w);
    // The expiry schedule fired first and closed the grant.
    const ended = { markEnded: () => Promise.resolve(true) };
    await closeTimeBoundGrants({ grants: w.grants, audit: w.audit, clock: w.clock, requests: ended }, { revoke: expiryRevoke('ar-1', 'E-SALES', '2026-03-02T10:00:00Z'), revoked: ['group:ProdAdmin'], executionId: 'arn:exec:ar-1-expiry', executionName: 'ar-1-expiry' });

    await expect(extendTimeBoundGrants(w.deps, input)).rejects.toThrow(ExtensionRefusedError);
    await expect(extendTimeBoundGrants(w.deps, input)).rejects.toThrow('has ended (expired) before the extension was approved; an ended grant is not brought back');
    expect(await endOf(w)).toMatchObject({ status: 'expired', expiresAt: '2026-03-02T10:00:00Z' });
    expect(w.told.map((n) => n.kind)).not.toContain('access-extended');
  });

  it('racing the expiry, loses once the end has passed even before the revoke ran: nothing moves', async () => {
    const w = world();
    const input = await prepared(w);
    w.clock.set('2026-03-02T10:00:00.400Z');
    await expect(extendTimeBoundGrants(w.deps, input)).rejects.toThrow('reached its end at 2026-03-02T10:00:00Z before the extension was approved');
    expect(await endOf(w)).toEqual({ status: 'active', expiresAt: '2026-03-02T10:00:00Z', request: '2026-03-02T10:00:00Z' });
  });

  it('wins one second before the end; the expiry schedule for the old end then changes nothing, the moved one ends it', async () => {
    const w = world();
    const input = await prepared(w);
    w.clock.set('2026-03-02T09:59:59.000Z');
    await extendTimeBoundGrants(w.deps, input);

    w.clock.set('2026-03-02T10:00:00.000Z');
    const stale = { revoke: expiryRevoke('ar-1', 'E-SALES', '2026-03-02T10:00:00Z'), executionId: 'arn:exec:old', executionName: 'old' };
    const employees = { get: () => Promise.resolve(employee('E-SALES', 'sales')) };
    expect(await planTimeBoundRevocation({ grants: w.grants, employees, catalogue: roleCatalogue, clock: w.clock }, stale)).toMatchObject({ noop: true, stale: true, entitlements: [] });
    const markEnded = { markEnded: () => Promise.reject(new Error('a stale expiry must not end the request')) };
    expect(await closeTimeBoundGrants({ grants: w.grants, audit: w.audit, clock: w.clock, requests: markEnded }, { ...stale, revoked: [] })).toEqual({ closed: [], noop: true, stale: true });
    expect(await endOf(w)).toMatchObject({ status: 'active', expiresAt: '2026-03-02T12:00:00Z' });

    w.clock.set('2026-03-02T12:00:00.000Z');
    const due = { revoke: expiryRevoke('ar-1', 'E-SALES', '2026-03-02T12:00:00Z'), executionId: 'arn:exec:new', executionName: 'new' };
    expect(await planTimeBoundRevocation({ grants: w.grants, employees, catalogue: roleCatalogue, clock: w.clock }, due)).toMatchObject({ noop: false, revoked: ['group:ProdAdmin'] });
  });

  it('two extensions asked against the same end: the first approved wins, the second is refused and moves nothing', async () => {
    const w = world();
    const first = await prepared(w, 'ex-1', 'PT1H');
    const second = await prepared(w, 'ex-2', 'PT2H');
    await extendTimeBoundGrants(w.deps, first);
    await expect(extendTimeBoundGrants(w.deps, second)).rejects.toThrow('now ends at 2026-03-02T11:00:00Z, not 2026-03-02T10:00:00Z as when this extension was asked');
    expect(await endOf(w)).toEqual({ status: 'active', expiresAt: '2026-03-02T11:00:00Z', request: '2026-03-02T11:00:00Z' });
  });
});

describe('the ending-soon reminder after an extension', () => {
  it('one set for the old end tells nobody; one set for the new end tells', async () => {
    const w = world();
    await extendTimeBoundGrants(w.deps, await prepared(w));
    const notices = { ...w.deps.notices, requests: w.requests };
    expect(await tellEndingSoon(notices, { employeeId: 'E-SALES', requestId: 'ar-1', endsAt: '2026-03-02T10:00:00Z' })).toEqual({ reminded: false, why: 'extended: now ends at 2026-03-02T12:00:00Z' });
    expect(await tellEndingSoon(notices, { employeeId: 'E-SALES', requestId: 'ar-1', endsAt: '2026-03-02T12:00:00Z' })).toMatchObject({ reminded: true });
  });
});
