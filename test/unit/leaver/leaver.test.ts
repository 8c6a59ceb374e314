import { describe, expect, it } from 'vitest';
import { cancelPendingWork, type PendingWorkPorts } from '#lib/domain/leaver/pending-work';
import { prepareLeave, revokeTime } from '#lib/domain/leaver/prepare-leave';
import { closeGrants, markLeft, recordLeave } from '#lib/domain/leaver/record-leave';
import { revokeIdentity, revokeWorkstation } from '#lib/domain/leaver/revoke';
import type { LeaveStore } from '#lib/domain/leaver/ports';
import type { LeaveGrant } from '#lib/domain/leaver/schemas';
import { SnapshotPendingError, VolumePendingError, WorkstationPendingError } from '#lib/domain/provision/errors';
import type { IdentityStorePort } from '#lib/domain/provision/ports';
import type { EmployeeResources, RetainedSnapshot, WorkstationPort } from '#lib/domain/provision/ports';
import { auditRecorder, clock, ids, leftEvent, NOW } from './factories.ts';

const grant = (entitlementId: string, extra: Partial<LeaveGrant> = {}): LeaveGrant => ({
  grantKey: `${entitlementId}#role#engineer`,
  entitlementId,
  source: 'role:engineer',
  ...extra,
});

describe('revokeTime', () => {
  it('revokes at once when effectiveAt is now or past, or the leave is immediate', () => {
    expect(revokeTime('2026-04-30T00:00:00Z', false, NOW)).toEqual({ revokeAt: '2026-05-01T12:00:00Z', deferred: false });
    expect(revokeTime('2026-06-01T00:00:00Z', true, NOW)).toEqual({ revokeAt: '2026-05-01T12:00:00Z', deferred: false });
  });

  it('defers a future leave to its effectiveAt, in UTC', () => {
    expect(revokeTime('2026-06-01T02:00:00+02:00', false, NOW)).toEqual({ revokeAt: '2026-06-01T00:00:00Z', deferred: true });
  });
});

describe('prepareLeave', () => {
  const event = leftEvent({ deliveryId: 'd1' });

  it('loads the user name and active grants of a known person', async () => {
    const directory = { userNameOf: () => Promise.resolve('e1@example.com'), activeGrants: () => Promise.resolve([grant('group:eng')]) };
    const { drafts, audit } = auditRecorder();
    const prepared = await prepareLeave({ directory, audit, clock }, { event, ...ids });
    expect(prepared).toEqual({ employeeId: 'E1', userName: 'e1@example.com', revokeAt: '2026-05-01T12:00:00Z', deferred: false, grants: [grant('group:eng')] });
    expect(drafts).toEqual([
      {
        kind: 'request.received',
        subject: 'E1',
        actor: { type: 'hris', id: 'generic' },
        requestId: 'generic-d1',
        executionId: ids.executionId,
        reason: 'leave of E1 effective 2026-05-01T11:00:00Z, delivered by generic',
        idempotencyKey: 'generic-d1/request.received',
        detail: { requestType: 'leaver', deliveryId: 'd1', effectiveAt: '2026-05-01T12:00:00Z' },
      },
    ]);
  });

  it('prepares an unknown person with no user name and no grants', async () => {
    const directory = { userNameOf: () => Promise.resolve(undefined), activeGrants: () => Promise.resolve([]) };
    expect(await prepareLeave({ directory, audit: auditRecorder().audit, clock }, { event, ...ids })).toMatchObject({ userName: null, grants: [] });
  });
});

function pendingWork(state: { running: Map<string, string>; approvals: Set<string>; schedule?: string; timeBoundSchedules?: Set<string> }) {
  const stopped: string[] = [];
  const calls: string[] = [];
  const timeBoundSchedules = state.timeBoundSchedules ?? new Set<string>();
  const ports: PendingWorkPorts = {
    claimLeave: (employeeId, _name, occurredAt) => {
      calls.push(`claim ${employeeId} ${occurredAt}`);
      return Promise.resolve('claimed');
    },
    requestExecutions: () => {
      calls.push('requestExecutions');
      return Promise.resolve(['generic-hire-1']);
    },
    runningExecutions: () => Promise.resolve(new Map(state.running)),
    stopExecution: (arn) => {
      stopped.push(arn);
      for (const [name, candidate] of state.running) if (candidate === arn) state.running.delete(name);
      return Promise.resolve();
    },
    pendingApprovals: () => Promise.resolve([...state.approvals]),
    cancelApproval: (id) => Promise.resolve(state.approvals.delete(id)),
    scheduledDelivery: () => Promise.resolve(state.schedule),
    deleteSchedule: () => {
      delete state.schedule;
      return Promise.resolve();
    },
    timeBoundRequests: () => Promise.resolve(['ar-1', 'ar-2']),
    deleteTimeBoundSchedules: (requestId) => Promise.resolve([`time-bound-${requestId}`, `ending-soon-${requestId}`].filter((name) => timeBoundSchedules.delete(name))),
  };
  return { ports, stopped, calls };
}

describe('cancelPendingWork', () => {
  it('claims the leave time before it looks for running work (an older hire arriving meanwhile is stale), and only with a time', async () => {
    const { ports, calls } = pendingWork({ running: new Map(), approvals: new Set() });

    await cancelPendingWork(ports, { employeeId: 'E1', deliveryId: 'generic-d1', occurredAt: '2026-03-03T09:00:00Z', ...ids }, NOW);
    await cancelPendingWork(ports, { employeeId: 'E1', deliveryId: 'generic-d1', ...ids }, NOW);

    expect(calls).toEqual(['claim E1 2026-03-03T09:00:00Z', 'requestExecutions', 'requestExecutions']);
  });

  it("stops only the person's running executions, cancels their approvals and deletes their end-date schedule", async () => {
    const state = { running: new Map([['generic-hire-1', 'arn:hire-1'], ['someone-else', 'arn:other']]), approvals: new Set(['a1']), schedule: 'end-date-E1-2026-09-30' };
    const { ports, stopped } = pendingWork(state);

    const result = await cancelPendingWork(ports, { employeeId: 'E1', deliveryId: 'generic-d1', ...ids }, NOW);

    expect(result).toEqual({ stoppedExecutions: ['generic-hire-1'], cancelledApprovals: 1, deletedSchedules: ['leave-E1'] });
    expect(stopped).toEqual(['arn:hire-1']);
    expect(await cancelPendingWork(ports, { employeeId: 'E1', deliveryId: 'generic-d1', ...ids }, NOW)).toEqual({ stoppedExecutions: [], cancelledApprovals: 0, deletedSchedules: [] });
  });

  it("deletes the expiry and ending-soon schedules of the person's time-bound requests, once", async () => {
    const { ports } = pendingWork({ running: new Map(), approvals: new Set(), timeBoundSchedules: new Set(['time-bound-ar-1', 'time-bound-ar-2', 'ending-soon-ar-2']) });

    const result = await cancelPendingWork(ports, { employeeId: 'E1', deliveryId: 'generic-d1', ...ids }, NOW);

    expect(result.deletedSchedules).toEqual(['time-bound-ar-1', 'time-bound-ar-2', 'ending-soon-ar-2']);
    expect((await cancelPendingWork(ports, { employeeId: 'E1', deliveryId: 'generic-d1', ...ids }, NOW)).deletedSchedules).toEqual([]);
  });

  it('keeps the schedule that started this leave', async () => {
    const { ports } = pendingWork({ running: new Map(), approvals: new Set(), schedule: 'end-date-E1-2026-09-30' });
    const result = await cancelPendingWork(ports, { employeeId: 'E1', deliveryId: 'end-date-E1-2026-09-30', ...ids }, NOW);
    expect(result.deletedSchedules).toEqual([]);
  });
});

function fakeIdentity(users: Map<string, string>, memberships: Map<string, string[]>) {
  const identity: Pick<IdentityStorePort, 'findUserId' | 'removeMembership' | 'deleteUser'> = {
    findUserId: (name) => Promise.resolve(users.get(name)),
    removeMembership: (id) => {
      for (const [user, list] of memberships) {
        if (list.includes(id)) {
          memberships.set(user, list.filter((m) => m !== id));
          return Promise.resolve('undone');
        }
      }
      return Promise.resolve('already-gone');
    },
    deleteUser: (id) => {
      for (const [name, user] of users) if (user === id && users.delete(name)) return Promise.resolve('undone');
      return Promise.resolve('already-gone');
    },
  };
  return { identity, memberships: { membershipsOf: (userId: string) => Promise.resolve(memberships.get(userId) ?? []) } };
}

describe('revokeIdentity', () => {
  it('removes every membership, then deletes the user; a second run finds nothing', async () => {
    const ports = fakeIdentity(new Map([['e1@example.com', 'u-1']]), new Map([['u-1', ['m-1', 'm-2']]]));
    const task = { employeeId: 'E1', userName: 'e1@example.com', ...ids };

    expect(await revokeIdentity(ports, { ...task, action: 'remove-memberships' })).toEqual({ userId: 'u-1', removed: ['m-1', 'm-2'], outcome: 'undone' });
    expect(await revokeIdentity(ports, { ...task, action: 'delete-user' })).toEqual({ userId: 'u-1', removed: ['u-1'], outcome: 'undone' });
    expect(await revokeIdentity(ports, { ...task, action: 'remove-memberships' })).toEqual({ removed: [], outcome: 'no-user' });
    expect(await revokeIdentity(ports, { ...task, action: 'delete-user' })).toEqual({ removed: [], outcome: 'no-user' });
  });

  it('does nothing for a person Gatehouse never knew', async () => {
    const ports = fakeIdentity(new Map(), new Map());
    expect(await revokeIdentity(ports, { employeeId: 'E1', userName: null, action: 'delete-user', ...ids })).toEqual({ removed: [], outcome: 'no-user' });
  });
});

type Workstations = Parameters<typeof revokeWorkstation>[0];

function fakeWorkstations(resources: EmployeeResources, options: { stopping?: boolean; snapshotState?: string; inUse?: boolean } = {}) {
  const calls: string[] = [];
  const snapshot = (volumeId: string): RetainedSnapshot => ({ snapshotId: `snap-${volumeId}`, volumeId, state: options.snapshotState ?? 'completed' });
  const port: Workstations = {
    findEmployeeResources: () => Promise.resolve(resources),
    stopWorkstation: (id) => (calls.push(`stop ${id}`), Promise.resolve(options.stopping ? 'stopping' : 'stopped')),
    ensureRetainedSnapshot: (volumeId) => (calls.push(`snapshot ${volumeId}`), Promise.resolve(snapshot(volumeId))),
    terminateWorkstation: (id) => (calls.push(`terminate ${id}`), Promise.resolve('undone')),
    deleteVolume: (id): ReturnType<WorkstationPort['deleteVolume']> => (calls.push(`delete ${id}`), Promise.resolve(options.inUse ? 'in-use' : 'undone')),
    detachVolume: (id) => (calls.push(`detach ${id}`), Promise.resolve('undone')),
  };
  return { port, calls };
}

describe('revokeWorkstation', () => {
  const resources: EmployeeResources = { instances: [{ id: 'i-1', state: 'running' }], volumes: [{ id: 'vol-1', state: 'in-use', attachedTo: 'i-1' }] };
  const task = { employeeId: 'E1', ...ids };

  it('stops, snapshots, terminates and deletes what is tagged with the employee', async () => {
    const { port, calls } = fakeWorkstations(resources);
    expect(await revokeWorkstation(port, { ...task, action: 'stop' })).toEqual({ action: 'stop', ids: ['i-1'] });
    expect(await revokeWorkstation(port, { ...task, action: 'snapshot' })).toMatchObject({ ids: ['snap-vol-1'] });
    expect(await revokeWorkstation(port, { ...task, action: 'terminate' })).toEqual({ action: 'terminate', ids: ['i-1'] });
    expect(await revokeWorkstation(port, { ...task, action: 'delete-volumes' })).toEqual({ action: 'delete-volumes', ids: ['vol-1'] });
    expect(calls).toEqual(['stop i-1', 'snapshot vol-1', 'terminate i-1', 'delete vol-1']);
  });

  it('asks to be polled while stopping, snapshotting or still attached', async () => {
    await expect(revokeWorkstation(fakeWorkstations(resources, { stopping: true }).port, { ...task, action: 'stop' })).rejects.toBeInstanceOf(WorkstationPendingError);
    await expect(revokeWorkstation(fakeWorkstations(resources, { snapshotState: 'pending' }).port, { ...task, action: 'snapshot' })).rejects.toBeInstanceOf(SnapshotPendingError);
    const attached = fakeWorkstations(resources, { inUse: true });
    await expect(revokeWorkstation(attached.port, { ...task, action: 'delete-volumes' })).rejects.toBeInstanceOf(VolumePendingError);
    expect(attached.calls).toEqual(['delete vol-1', 'detach vol-1']);
  });

  it('does nothing when nothing is tagged with the employee', async () => {
    const { port, calls } = fakeWorkstations({ instances: [], volumes: [] });
    for (const action of ['stop', 'snapshot', 'terminate', 'delete-volumes'] as const) expect((await revokeWorkstation(port, { ...task, action })).ids).toEqual([]);
    expect(calls).toEqual([]);
  });
});

describe('closeGrants, recordLeave and markLeft', () => {
  const grants = [grant('group:eng', { membershipId: 'm-1' }), grant('workstation:dev', { instanceId: 'i-1' })];

  function deps() {
    const store: Pick<LeaveStore, 'closeGrants' | 'markLeft'> = {
      closeGrants: () => Promise.resolve(grants),
      markLeft: () => Promise.resolve('marked'),
    };
    const ended: [string, string, string][] = [];
    const requests = {
      markEnded: (requestId: string, _at: string, reason: 'revoked', by: string) => {
        ended.push([requestId, reason, by]);
        return Promise.resolve(true);
      },
    };
    return { ...auditRecorder(), store, clock, requests, ended };
  }

  it('audits one grant.revoked per closed grant, keyed per execution, and reports what was removed', async () => {
    const d = deps();
    const { closed } = await closeGrants(d, { employeeId: 'E1', ...ids });

    const report = await recordLeave(d, { employeeId: 'E1', action: 'record', closed, results: { user: { outcome: 'undone' } }, ...ids });

    expect(report).toEqual({ employeeId: 'E1', revokedEntitlements: ['group:eng', 'workstation:dev'], removed: { user: { outcome: 'undone' } }, auditEntries: 2 });
    expect(d.drafts.map((draft) => [draft.kind, draft.entitlementId, draft.idempotencyKey, draft.detail])).toEqual([
      ['grant.revoked', 'group:eng', 'generic-d1/grant.revoked/group:eng#role#engineer', { basis: 'role', trigger: 'leaver', resourceId: 'm-1' }],
      ['grant.revoked', 'workstation:dev', 'generic-d1/grant.revoked/workstation:dev#role#engineer', { basis: 'role', trigger: 'leaver', resourceId: 'i-1' }],
    ]);
  });

  it('puts the moment identity access ended in the report and on every grant.revoked entry', async () => {
    const d = deps();
    const { closed } = await closeGrants(d, { employeeId: 'E1', ...ids });
    const results = { identityAccessEnded: { at: '2026-05-01T12:00:01.250Z' } };

    const report = await recordLeave(d, { employeeId: 'E1', action: 'record', closed, results, ...ids });

    expect(report.identityAccessEndedAt).toBe('2026-05-01T12:00:01.250Z');
    expect(d.drafts.map((draft) => (draft.detail as { identityEndedAt?: string }).identityEndedAt)).toEqual(['2026-05-01T12:00:01.250Z', '2026-05-01T12:00:01.250Z']);
  });

  it('ends each time-bound request whose grant the leave closed as revoked, once per request (issue #11)', async () => {
    const d = deps();
    const timeBound = [grant('group:ProdAdmin', { membershipId: 'm-2' }), grant('group:Finance', { membershipId: 'm-3' })].map((item, index) => ({ ...item, source: index === 0 ? 'time-bound:tb-1' : 'time-bound:tb-2' }));
    const closed = [...grants, ...timeBound, { ...timeBound[0]!, entitlementId: 'group:Sales', grantKey: 'group:Sales#time-bound#tb-1' }];

    await recordLeave(d, { employeeId: 'E1', action: 'record', closed, results: {}, ...ids });

    expect(d.ended).toEqual([
      ['tb-1', 'revoked', 'system:leaver'],
      ['tb-2', 'revoked', 'system:leaver'],
    ]);
    expect(d.drafts.filter((draft) => draft.detail && (draft.detail as { basis?: string }).basis === 'time-bound')).toHaveLength(3);
  });

  it('marks the employee left', async () => {
    expect(await markLeft(deps(), { employeeId: 'E1', action: 'mark-left', closed: [], results: {}, ...ids })).toEqual({ employee: 'marked' });
  });
});
