import { describe, expect, it } from 'vitest';
import { ValidationError } from '#lib/domain/shared/errors';
import { recordGrants } from '#lib/domain/joiner/record-grants';
import { revokeWorkstation } from '#lib/domain/leaver/revoke';
import type { EmployeeResources } from '#lib/domain/provision/ports';
import { FakeClock, MemoryAudit, MemoryGrants } from '../joiner/fakes.ts';
import { MOVE_IDS } from './fakes.ts';

/** The joiner and leaver steps the mover reuses, with the small extensions it needs. */

describe('revokeWorkstation with an entitlement filter (the mover retiring a dropped workstation)', () => {
  const resources: EmployeeResources = {
    instances: [
      { id: 'i-dev', state: 'running', entitlementId: 'workstation:dev-arm' },
      { id: 'i-gpu', state: 'running', entitlementId: 'workstation:gpu' },
      { id: 'i-untagged', state: 'running' },
    ],
    volumes: [
      { id: 'vol-dev', state: 'in-use', entitlementId: 'workstation:dev-arm', attachedTo: 'i-dev' },
      { id: 'vol-gpu', state: 'in-use', entitlementId: 'workstation:gpu', attachedTo: 'i-gpu' },
    ],
  };
  const calls: string[] = [];
  const port: Parameters<typeof revokeWorkstation>[0] = {
    findEmployeeResources: () => Promise.resolve(resources),
    stopWorkstation: (id) => (calls.push(`stop ${id}`), Promise.resolve('stopped')),
    ensureRetainedSnapshot: (volumeId) => (calls.push(`snapshot ${volumeId}`), Promise.resolve({ snapshotId: `snap-${volumeId}`, volumeId, state: 'completed' })),
    terminateWorkstation: (id) => (calls.push(`terminate ${id}`), Promise.resolve('undone')),
    deleteVolume: (id) => (calls.push(`delete ${id}`), Promise.resolve('undone')),
    detachVolume: (id) => (calls.push(`detach ${id}`), Promise.resolve('undone')),
  };

  it('touches only resources tagged with the listed entitlement; an empty list touches nothing', async () => {
    const task = { employeeId: 'E-2001', entitlementIds: ['workstation:dev-arm'], ...MOVE_IDS };

    for (const action of ['stop', 'snapshot', 'terminate', 'delete-volumes'] as const) await revokeWorkstation(port, { ...task, action });
    await revokeWorkstation(port, { ...task, entitlementIds: [], action: 'terminate' });

    expect(calls).toEqual(['stop i-dev', 'snapshot vol-dev', 'terminate i-dev', 'delete vol-dev']);
  });
});

describe('recordGrants with a kept workstation', () => {
  it('records the new role grant against the instance the person keeps', async () => {
    const clock = new FakeClock(new Date('2026-04-01T10:00:00Z'));
    const grants = new MemoryGrants();

    await recordGrants(
      { grants, audit: new MemoryAudit(clock), clock },
      {
        requestId: 'dlv-move-1',
        employeeId: 'E-2001',
        entitlements: [{ id: 'workstation:dev-arm', kind: 'workstation' }],
        source: { kind: 'role', roleId: 'platform-engineer' },
        catalogueVersion: 'cat-0123456789abcdef',
        results: { keptWorkstation: { entitlementId: 'workstation:dev-arm', instanceId: 'i-0123456789abcdef0', volumeId: 'vol-0123456789abcdef0' } },
        ...MOVE_IDS,
      },
    );

    expect(grants.items.get('E-2001/workstation:dev-arm#role#platform-engineer')).toMatchObject({
      source: 'role:platform-engineer',
      catalogueVersion: 'cat-0123456789abcdef',
      instanceId: 'i-0123456789abcdef0',
      volumeId: 'vol-0123456789abcdef0',
    });
  });

  it('still refuses a workstation grant with neither a launched nor a kept instance for it', async () => {
    const clock = new FakeClock();
    const run = recordGrants(
      { grants: new MemoryGrants(), audit: new MemoryAudit(clock), clock },
      {
        requestId: 'dlv-move-1',
        employeeId: 'E-2001',
        entitlements: [{ id: 'workstation:gpu', kind: 'workstation' }],
        source: { kind: 'role', roleId: 'data-scientist' },
        catalogueVersion: 'cat-0123456789abcdef',
        results: { keptWorkstation: { entitlementId: 'workstation:dev-arm', instanceId: 'i-0123456789abcdef0' } },
        ...MOVE_IDS,
      },
    );

    await expect(run).rejects.toThrow(ValidationError);
  });
});
