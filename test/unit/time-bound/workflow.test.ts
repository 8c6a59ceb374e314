import { describe, expect, it } from 'vitest';
import { roleCatalogue } from '#lib/runtime/catalogue';
import { ForbiddenError, ValidationError } from '#lib/domain/shared/errors';
import type { EmployeeRecord } from '#lib/domain/time-bound/employee';
import { reminderAt, scheduleExpiry } from '#lib/domain/time-bound/expiry';
import { endingSoonScheduleName, expiryScheduleName } from '#lib/domain/schedules/schedules';
import type { TimeBoundRequests } from '#lib/domain/time-bound/ports';
import { prepareAccessRequest } from '#lib/domain/time-bound/prepare-time-bound';
import { recordTimeBoundGrants } from '#lib/domain/time-bound/record-grants';
import { closeTimeBoundGrants, planTimeBoundRevocation } from '#lib/domain/time-bound/revoke';
import type { GrantRequest } from '#lib/domain/time-bound/schemas';
import { FakeClock, MemoryAudit, MemoryRequests, MemorySchedules } from '../joiner/fakes.ts';
import { employee } from './fakes.ts';
import { MemoryTimeBoundGrants } from './memory-grants.ts';

/** The time-bound workflow's steps over in-memory ports that keep the adapters' conditions. */

class MemoryTimeBoundRequests implements Pick<TimeBoundRequests, 'markGranted' | 'markEnded'> {
  readonly state = new Map<string, { status: string; grantedAt?: string; expiresAt?: string; endReason?: string }>();
  markGranted(requestId: string, _executionId: string, grantedAt: string, expiresAt: string) {
    const current = this.state.get(requestId) ?? { status: 'granted', grantedAt, expiresAt };
    this.state.set(requestId, current);
    return Promise.resolve({ grantedAt: current.grantedAt ?? grantedAt, expiresAt: current.expiresAt ?? expiresAt });
  }
  markEnded(requestId: string, _at: string, reason: 'expired' | 'revoked') {
    const current = this.state.get(requestId);
    if (current?.status !== 'granted') return Promise.resolve(false);
    this.state.set(requestId, { ...current, status: 'ended', endReason: reason });
    return Promise.resolve(true);
  }
}

const ids = (name: string) => ({ executionId: `arn:aws:states:us-east-1:000000000000:execution:gatehouse-time-bound:${name}`, executionName: name });
const ENG = employee('E-ENG', 'engineer');
const SALES = employee('E-SALES', 'sales');
const people = (list: EmployeeRecord[]) => ({
  get: (id: string) => Promise.resolve(list.find((p) => p.employeeId === id)),
  displayNameOf: () => Promise.resolve('Sam Seller'),
});

function grantRequest(overrides: Partial<GrantRequest> = {}): GrantRequest {
  return {
    action: 'grant',
    requestId: 'ar-1',
    employeeId: 'E-SALES',
    requester: { employeeId: 'E-ENG', email: 'e-eng@example.com' },
    entitlementIds: ['group:ProdReadOnly'],
    duration: 'PT1H',
    justification: 'looking at production logs',
    fingerprint: 'a'.repeat(64),
    ...overrides,
  };
}

function world() {
  const clock = new FakeClock(new Date('2026-03-02T08:00:00.500Z'));
  return { clock, audit: new MemoryAudit(clock), requests: new MemoryRequests(), grants: new MemoryTimeBoundGrants(), timeBoundRequests: new MemoryTimeBoundRequests() };
}

describe('Prepare Access Request', () => {
  it('auto-approves low-risk access, writes the time-bound record and audits request.received and policy.decided once per execution', async () => {
    const w = world();
    const deps = { catalogue: roleCatalogue, employees: people([ENG, SALES]), requests: w.requests, audit: w.audit, clock: w.clock, approvalTimeoutSeconds: 600 };

    const prepared = await prepareAccessRequest(deps, { request: grantRequest(), ...ids('ar-1') });
    await prepareAccessRequest(deps, { request: grantRequest(), ...ids('ar-1') });

    expect(prepared).toMatchObject({ requestId: 'ar-1', employeeId: 'E-SALES', decision: { decision: 'auto-approved' }, durationMinutes: 60, approvalTimeoutSeconds: 600 });
    expect(prepared.employee).toMatchObject({ email: 'e-sales@example.com', firstName: 'Sam', lastName: 'Seller' });
    expect(w.requests.items.get('ar-1')).toMatchObject({ kind: 'time-bound', justification: 'looking at production logs', requester: { employeeId: 'E-ENG' } });
    expect(w.audit.kinds('E-SALES')).toEqual(['request.received', 'policy.decided']);
    expect(w.audit.entries[0]).toMatchObject({ actor: 'employee:e-eng@example.com', detail: { requestType: 'time-bound' } });
  });

  it('asks the manager then the owner group for high-risk access', async () => {
    const w = world();
    const deps = { catalogue: roleCatalogue, employees: people([ENG, SALES]), requests: w.requests, audit: w.audit, clock: w.clock, approvalTimeoutSeconds: 600 };
    const prepared = await prepareAccessRequest(deps, { request: grantRequest({ entitlementIds: ['group:ProdAdmin'] }), ...ids('ar-1') });
    expect(prepared.decision).toMatchObject({ decision: 'needs-approval', chain: [{ kind: 'manager', email: 'dana.lead@example.com' }, { kind: 'entitlement-owner', email: 'platform-owners@example.com' }] });
  });

  it.each([
    ['over the maximum', grantRequest({ entitlementIds: ['group:ProdAdmin'], duration: 'PT5H' }), ValidationError],
    ['not requestable', grantRequest({ entitlementIds: ['group:Sales'] }), ForbiddenError],
  ])('refuses a request %s and records nothing', async (_label, request, type) => {
    const w = world();
    const deps = { catalogue: roleCatalogue, employees: people([ENG, SALES]), requests: w.requests, audit: w.audit, clock: w.clock, approvalTimeoutSeconds: 600 };
    await expect(prepareAccessRequest(deps, { request, ...ids('ar-1') })).rejects.toBeInstanceOf(type);
    expect(w.requests.items.size).toBe(0);
  });
});

const identity = { userId: 'u-1', userCreated: false, memberships: [{ entitlementId: 'group:ProdReadOnly', groupId: 'g-1', membershipId: 'm-1' }] };
const prodReadOnly = [{ id: 'group:ProdReadOnly', kind: 'group' as const, displayName: 'ProdReadOnly' }];

async function granted(w: ReturnType<typeof world>, requestId: string, minutes: number) {
  return recordTimeBoundGrants(
    { grants: w.grants, requests: w.timeBoundRequests, audit: w.audit, clock: w.clock },
    { requestId, employeeId: 'E-ENG', entitlements: prodReadOnly, durationMinutes: minutes, results: { identity }, ...ids(requestId) },
  );
}

describe('Record Time-Bound Grants', () => {
  it('fixes expiresAt once (whole seconds), writes one time-bound grant item and one grant.applied (basis time-bound), also on retry', async () => {
    const w = world();
    const first = await granted(w, 'ar-1', 60);
    w.clock.set('2026-03-02T08:00:30Z');
    const retry = await granted(w, 'ar-1', 60);

    expect(first).toEqual({ expiresAt: '2026-03-02T09:00:00Z', grantKeys: ['group:ProdReadOnly#time-bound#ar-1'], recorded: 1 });
    expect(retry).toEqual({ ...first, recorded: 0 });
    expect(w.audit.entries.map((entry) => [entry.kind, entry.detail])).toEqual([['grant.applied', { basis: 'time-bound', resourceId: 'm-1', expiresAt: '2026-03-02T09:00:00Z' }]]);
  });
});

describe('the revoke path', () => {
  const revokeDeps = (w: ReturnType<typeof world>) => ({ grants: w.grants, employees: people([ENG]), catalogue: roleCatalogue, clock: w.clock });
  const close = (w: ReturnType<typeof world>, requestId: string, name: string, revoked: string[], revokedBy?: string) =>
    closeTimeBoundGrants(
      { grants: w.grants, requests: w.timeBoundRequests, audit: w.audit, clock: w.clock },
      { revoke: { action: 'revoke', requestId, employeeId: 'E-ENG', reason: revokedBy ? 'revoked' : 'expired', ...(revokedBy ? { revokedBy } : {}) }, revoked, ...ids(name) },
    );

  it('keeps a membership the role still justifies, and one another unexpired time-bound grant justifies', async () => {
    const w = world();
    await granted(w, 'ar-1', 1);
    await granted(w, 'ar-2', 2);
    w.clock.set('2026-03-02T08:01:00Z');
    const plan = await planTimeBoundRevocation(revokeDeps(w), { revoke: { action: 'revoke', requestId: 'ar-1', employeeId: 'E-ENG', reason: 'expired' }, ...ids('x1') });
    expect(plan).toEqual({ noop: false, userName: 'e-eng@example.com', entitlements: [], accountTargets: [], revoked: [] });

    w.clock.set('2026-03-02T08:02:00Z');
    await close(w, 'ar-1', 'x1', []);
    const second = await planTimeBoundRevocation(revokeDeps(w), { revoke: { action: 'revoke', requestId: 'ar-2', employeeId: 'E-ENG', reason: 'expired' }, ...ids('x2') });
    expect(second.entitlements).toEqual(prodReadOnly);

    w.grants.role({ employeeId: 'E-ENG', entitlementId: 'group:ProdReadOnly', source: { kind: 'role', roleId: 'engineer' } });
    const withRole = await planTimeBoundRevocation(revokeDeps(w), { revoke: { action: 'revoke', requestId: 'ar-2', employeeId: 'E-ENG', reason: 'expired' }, ...ids('x3') });
    expect(withRole.revoked).toEqual([]);
  });

  it('closes the request items once; a second run and a never-granted request are one no-op entry each', async () => {
    const w = world();
    await granted(w, 'ar-1', 60);

    const first = await close(w, 'ar-1', 'rv-1', ['group:ProdReadOnly'], 'e-eng@example.com');
    const retry = await close(w, 'ar-1', 'rv-1', ['group:ProdReadOnly'], 'e-eng@example.com');
    const second = await close(w, 'ar-1', 'rv-2', [], 'e-eng@example.com');
    const never = await close(w, 'ar-9', 'rv-3', []);

    expect(first).toEqual({ closed: ['group:ProdReadOnly#time-bound#ar-1'], noop: false });
    expect(retry).toEqual(first);
    expect(second).toEqual({ closed: [], noop: true });
    expect(never).toEqual({ closed: [], noop: true });
    expect(w.grants.items.get('group:ProdReadOnly#time-bound#ar-1')).toMatchObject({ status: 'revoked', revokedBy: 'rv-1' });
    expect(w.timeBoundRequests.state.get('ar-1')).toMatchObject({ status: 'ended', endReason: 'revoked' });
    const revoked = w.audit.entries.filter((entry) => entry.kind === 'grant.revoked');
    expect(revoked).toHaveLength(1);
    expect(revoked[0]).toMatchObject({ actor: 'operator:e-eng@example.com', detail: { basis: 'time-bound', trigger: 'operator', resourceId: 'm-1' } });
    expect(w.audit.entries.filter((entry) => entry.kind === 'request.received').map((entry) => entry.requestId)).toEqual(['ar-1', 'ar-9']);
  });
});

describe('Schedule Expiry', () => {
  it('creates one at() schedule per request that starts the revoke, unchanged on retry', async () => {
    const schedules = new MemorySchedules();
    const input = { requestId: 'ar-1', employeeId: 'E-ENG', expiresAt: '2026-03-02T09:00:00Z' };

    const first = await scheduleExpiry(schedules, input);
    const again = await scheduleExpiry(schedules, input);

    expect(first).toEqual({ scheduleName: 'time-bound-ar-1', at: '2026-03-02T09:00:00Z', change: 'created', reminder: { none: 'reminders off' } });
    expect(again.change).toBe('unchanged');
    expect(JSON.parse([...schedules.specs.values()][0]?.input ?? '{}')).toEqual({ action: 'revoke', requestId: 'ar-1', employeeId: 'E-ENG', reason: 'expired', endsAt: '2026-03-02T09:00:00Z' });
    expect([...schedules.specs.values()][0]?.expression).toBe('at(2026-03-02T09:00:00)');
  });

  it('keeps schedule names within 64 characters', () => {
    expect(expiryScheduleName('x'.repeat(64))).toHaveLength(64);
    expect(endingSoonScheduleName('x'.repeat(64))).toHaveLength(64);
  });

  it('adds the ending-soon reminder, lead minutes before the end, named by request and unchanged on retry', async () => {
    const schedules = new MemorySchedules();
    const input = { requestId: 'ar-2', employeeId: 'E-ENG', expiresAt: '2026-03-02T10:00:00Z' };
    const reminder = { now: new Date('2026-03-02T08:00:00Z'), leadMinutes: 15 };

    const first = await scheduleExpiry(schedules, input, reminder);
    const again = await scheduleExpiry(schedules, input, reminder);

    expect(first.reminder).toEqual({ scheduleName: 'ending-soon-ar-2', at: '2026-03-02T09:45:00.000Z', change: 'created' });
    expect(again.reminder).toMatchObject({ change: 'unchanged' });
    expect(schedules.specs.get('ending-soon-ar-2')?.expression).toBe('at(2026-03-02T09:45:00)');
    expect(JSON.parse(schedules.specs.get('ending-soon-ar-2')?.input ?? '{}')).toEqual({ action: 'remind', requestId: 'ar-2', employeeId: 'E-ENG', endsAt: '2026-03-02T10:00:00Z' });
  });

  it.each([
    ['a grant shorter than twice the lead gets none', '2026-03-02T08:29:00Z', undefined],
    ['exactly twice the lead', '2026-03-02T08:30:00Z', '2026-03-02T08:15:00.000Z'],
  ])('reminderAt: %s', (_case, expiresAt, expected) => {
    expect(reminderAt(expiresAt, new Date('2026-03-02T08:00:00Z'), 15)).toBe(expected);
  });
});
