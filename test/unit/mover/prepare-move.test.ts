import { describe, expect, it } from 'vitest';
import { verifyChain } from '#lib/domain/audit/chain';
import { roleCatalogue } from '#lib/runtime/catalogue';
import { NoRoleAssignedError } from '#lib/domain/catalogue/assign-employee';
import { NO_ROLE } from '#lib/domain/catalogue/assignments';
import { prepareMove, type PrepareMoveDeps } from '#lib/domain/mover/prepare-move';
import { FakeClock, MemoryAudit, MemoryRequests } from '../joiner/fakes.ts';
import { changeEvent, ENGINEER, MemoryIdentityUsers, MemoryMoveStore, MOVE_IDS } from './fakes.ts';

const ID = 'E-2001';

function setup(options: { role?: string; status?: string; grants?: boolean } = {}) {
  const clock = new FakeClock(new Date('2026-04-01T10:00:00Z'));
  const audit = new MemoryAudit(clock);
  const requests = new MemoryRequests();
  const store = new MemoryMoveStore();
  if (options.role !== undefined || options.status !== undefined) {
    store.employees.set(ID, { status: options.status ?? 'active', ...(options.role ? { role: options.role } : {}) });
  }
  if (options.grants !== false && options.role === 'engineer') {
    store.grantRole(ID, 'engineer', ENGINEER, { 'workstation:dev-arm': { instanceId: 'i-0123456789abcdef0', volumeId: 'vol-0123456789abcdef0' } });
  }
  const identity = new MemoryIdentityUsers();
  const deps: PrepareMoveDeps = { catalogue: roleCatalogue, catalogueVersion: 'cat-00000000000000aa', requests, store, audit, identity, clock, settings: { approvalTimeoutSeconds: 600, overlapSeconds: 5 } };
  return { deps, audit, requests, store };
}

const ids = (list: readonly { id: string }[]) => list.map((entitlement) => entitlement.id);

describe('prepareMove', () => {
  it('engineer -> data-scientist: approvers see only what the role adds; a gpu workstation is launched', async () => {
    const { deps, audit, requests } = setup({ role: 'engineer' });

    const move = await prepareMove(deps, { event: changeEvent('data-scientist'), ...MOVE_IDS });

    expect(move).toMatchObject({ requestId: 'dlv-move-1', fromRole: 'engineer', toRole: 'data-scientist', moved: true, overlapSeconds: 5, approvalTimeoutSeconds: 600 });
    expect(ids(move.entitlements)).toEqual(['group:AllStaff', 'group:DataScience', 'workstation:gpu']);
    expect(ids(move.added)).toEqual(['group:DataScience', 'workstation:gpu']);
    expect(ids(move.provision)).toEqual(['group:DataScience', 'workstation:gpu']);
    expect(move.workstation?.id).toBe('workstation:gpu');
    expect(move.keptWorkstation).toBeUndefined();
    expect(move.decision.decision).toBe('needs-approval');
    expect(move.catalogueVersion).toBe('cat-00000000000000aa');
    expect(requests.items.get('dlv-move-1')).toMatchObject({ kind: 'mover', role: 'data-scientist', catalogueVersion: 'cat-00000000000000aa', entitlements: [{ id: 'group:DataScience' }, { id: 'workstation:gpu' }] });
    expect(audit.kinds(ID)).toEqual(['request.received', 'policy.decided']);
    expect(audit.entries[0]?.detail).toMatchObject({ requestType: 'mover', role: 'data-scientist', previousRole: 'engineer', deliveryId: 'dlv-move-1' });
    expect(audit.entries[1]?.detail).toMatchObject({ outcome: 'approval-required', policyRule: 'mover-high-risk-needs-approval', entitlementIds: ['group:DataScience', 'workstation:gpu'] });
    expect(verifyChain(audit.entries).ok).toBe(true);
  });

  it('keys the launched workstation by person, employment and the change, not by delivery: duplicates share it, a later change does not', async () => {
    const { deps, store } = setup({ role: 'engineer' });
    store.employees.set(ID, { ...store.employees.get(ID), employedSince: '2026-01-05T08:00:00.000Z' });
    const second = { executionId: MOVE_IDS.executionId.replace('dlv-move-1', 'dlv-move-2'), executionName: 'dlv-move-2' };

    const first = await prepareMove(deps, { event: changeEvent('data-scientist'), ...MOVE_IDS });
    const duplicate = await prepareMove(deps, { event: changeEvent('data-scientist', { deliveryId: 'dlv-move-2' }), ...second });
    const later = await prepareMove(deps, { event: changeEvent('data-scientist', { deliveryId: 'dlv-move-3', occurredAt: '2026-04-01T09:30:00Z' }), executionId: 'x-3', executionName: 'dlv-move-3' });

    expect(first.generation).toBe('2026-01-05T08:00:00.000Z@2026-04-01T09:00:00.000Z');
    expect(duplicate.requestId).not.toBe(first.requestId);
    expect(duplicate.generation).toBe(first.generation);
    expect(later.generation).toBe('2026-01-05T08:00:00.000Z@2026-04-01T09:30:00.000Z');
    expect(first.generation.length).toBeLessThanOrEqual(64);
  });

  it('engineer -> platform-engineer keeps the workstation the person holds: no launch, the grant names the existing instance', async () => {
    const { deps } = setup({ role: 'engineer' });

    const move = await prepareMove(deps, { event: changeEvent('platform-engineer'), ...MOVE_IDS });

    expect(move.workstation).toBeUndefined();
    expect(move.keptWorkstation).toEqual({ entitlementId: 'workstation:dev-arm', instanceId: 'i-0123456789abcdef0', volumeId: 'vol-0123456789abcdef0' });
    expect(ids(move.added)).toEqual(['group:ProdAdmin']);
    expect(ids(move.provision)).toEqual(['group:ProdAdmin']);
  });

  it('a low-risk move is auto-approved', async () => {
    const { deps, audit } = setup({ role: 'engineer' });

    const move = await prepareMove(deps, { event: changeEvent('sales'), ...MOVE_IDS });

    expect(move.decision.decision).toBe('auto-approved');
    expect(audit.entries[1]?.detail).toMatchObject({ outcome: 'auto-approved', policyRule: 'mover-low-risk-auto-approved', entitlementIds: ['group:Sales'] });
  });

  it('an unchanged role moves nothing and writes no request record', async () => {
    const { deps, requests, audit } = setup({ role: 'sales' });

    const move = await prepareMove(deps, { event: changeEvent('sales'), ...MOVE_IDS });

    expect(move).toMatchObject({ moved: false, fromRole: 'sales', toRole: 'sales', added: [], provision: [] });
    expect(requests.items.size).toBe(0);
    expect(audit.entries[1]?.detail).toMatchObject({ policyRule: 'mover-role-unchanged', entitlementIds: [] });
  });

  it('falls back to the event previousRole when the employee item has no role', async () => {
    const { deps } = setup({ status: 'active' });

    const move = await prepareMove(deps, { event: changeEvent('sales', { previousRole: 'finance-admin' }), ...MOVE_IDS });

    expect(move.fromRole).toBe('finance-admin');
    expect(ids(move.added)).toEqual(['group:Sales']);
  });

  it.each([
    ['no employee item', {}],
    ['an employee who left', { role: 'engineer', status: 'left' }],
  ])('moves nothing for %s: not employed, the change is kept for a later hire (issue #11), audited, no request record', async (_label, options) => {
    const { deps, audit, requests } = setup(options);

    const prepared = await prepareMove(deps, { event: changeEvent('sales', { previousRole: 'engineer' }), ...MOVE_IDS });

    expect(prepared).toMatchObject({ moved: false, employed: false, toRole: 'sales', entitlements: [], added: [], provision: [] });
    expect(prepared).not.toHaveProperty('workstation');
    expect(requests.puts).toBe(0);
    expect(audit.entries.map((entry) => entry.kind)).toEqual(['request.received', 'policy.decided']);
    expect(audit.entries[1]?.reason).toMatch(/kept for the next hire/);
  });

  it('a retry of the same execution returns the same move and writes nothing twice', async () => {
    const { deps, audit, requests } = setup({ role: 'engineer' });
    const input = { event: changeEvent('data-scientist'), ...MOVE_IDS };

    const first = await prepareMove(deps, input);
    const second = await prepareMove(deps, input);

    expect(second).toEqual(first);
    expect(requests.puts).toBe(1);
    expect(audit.entries).toHaveLength(2);
  });
});

describe('prepareMove: a change older than the profile already written (issue #11)', () => {
  it('moves nothing and audits request.ignored when a newer event wrote the profile', async () => {
    const { deps, audit, requests, store } = setup({ role: 'engineer' });
    store.employees.set(ID, { status: 'active', role: 'engineer', hrisOccurredAt: '2026-04-02T09:00:00.000Z' });

    const move = await prepareMove(deps, { event: changeEvent('data-scientist'), ...MOVE_IDS });

    expect(move).toMatchObject({ moved: false, added: [], provision: [] });
    expect(requests.items.size).toBe(0);
    expect(audit.kinds(ID)).toEqual(['request.received', 'request.ignored', 'policy.decided']);
    expect(audit.entries[1]?.detail).toEqual({
      requestType: 'mover',
      deliveryId: 'dlv-move-1',
      why: 'newer-applied',
      occurredAt: '2026-04-01T09:00:00.000Z',
      appliedAt: '2026-04-02T09:00:00.000Z',
    });
    expect(verifyChain(audit.entries).ok).toBe(true);
  });

  it('a change no rule assigns under birthright-only moves the person to the no-role: the old role goes, birthright stays', async () => {
    const { deps, audit } = setup({ role: 'engineer' });
    const event = changeEvent(NO_ROLE, { employee: { ...changeEvent(NO_ROLE).employee, assignment: { source: 'unassigned', outcome: 'birthright-only', catalogueVersion: 'cat-00000000000000aa' } } });

    const move = await prepareMove(deps, { event, ...MOVE_IDS });

    expect(move).toMatchObject({ fromRole: 'engineer', toRole: NO_ROLE, moved: true, added: [], provision: [] });
    expect(ids(move.entitlements)).toEqual(['group:AllStaff']);
    expect(move.decision.decision).toBe('auto-approved');
    expect(audit.entries[0]?.detail).toMatchObject({ role: NO_ROLE, roleSource: 'unassigned', unassigned: 'birthright-only' });
  });

  it('a change no rule assigns under refuse is rejected after request.received: no request written, the person keeps the role', async () => {
    const { deps, audit, requests, store } = setup({ role: 'engineer' });
    const event = changeEvent(NO_ROLE, { employee: { ...changeEvent(NO_ROLE).employee, assignment: { source: 'unassigned', outcome: 'refused', catalogueVersion: 'cat-00000000000000aa' } } });

    await expect(prepareMove(deps, { event, ...MOVE_IDS })).rejects.toBeInstanceOf(NoRoleAssignedError);
    expect(requests.items.size).toBe(0);
    expect(store.employees.get(ID)).toMatchObject({ role: 'engineer' });
    expect(audit.kinds(ID)).toEqual(['request.received']);
  });
});
