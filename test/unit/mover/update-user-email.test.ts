import { describe, expect, it } from 'vitest';
import { verifyChain } from '#lib/domain/audit/chain';
import { roleCatalogue } from '#lib/runtime/catalogue';
import { IdentityConflictError } from '#lib/domain/identity/identity-conflict';
import { prepareMove, type PrepareMoveDeps } from '#lib/domain/mover/prepare-move';
import { recordMove } from '#lib/domain/mover/record-move';
import { FakeClock, MemoryAudit, MemoryRequests } from '../joiner/fakes.ts';
import { changeEvent, MemoryIdentityUsers, MemoryMoveStore, MOVE_IDS } from './fakes.ts';

/** Issue #14: a mover whose work e-mail changed keeps their one Identity Store user, renamed. */

const ID = 'E-2001';
const OLD = 'sam.mover@example.com';
const NEW = 'sam.rivers@example.com';
const USER = '9067000000-11111111-2222-3333-4444-555555555555';
const OTHER = '9067000000-99999999-2222-3333-4444-555555555555';

function setup(employee: { email?: string; identityUserId?: string; hrisOccurredAt?: string } = { email: OLD }) {
  const clock = new FakeClock(new Date('2026-04-01T10:00:00Z'));
  const audit = new MemoryAudit(clock);
  const store = new MemoryMoveStore();
  store.employees.set(ID, { status: 'active', role: 'sales', ...employee });
  const identity = new MemoryIdentityUsers();
  const deps: PrepareMoveDeps = { catalogue: roleCatalogue, catalogueVersion: 'cat-00000000000000aa', requests: new MemoryRequests(), store, audit, identity, clock, settings: { approvalTimeoutSeconds: 600, overlapSeconds: 0 } };
  return { deps, audit, store, identity, clock };
}

const moveWith = (email: string, role = 'sales', occurredAt = '2026-04-01T09:00:00Z') => ({
  event: changeEvent(role, { occurredAt, employee: { ...changeEvent(role).employee, email } }),
  ...MOVE_IDS,
});

describe('a mover whose work e-mail changed (issue #14)', () => {
  it('renames the user found by the old e-mail: one user, new user name and e-mail, audited once without the address', async () => {
    const { deps, audit, identity } = setup();
    identity.add(USER, OLD, ID);

    await prepareMove(deps, moveWith(NEW));

    expect([...identity.users]).toEqual([[USER, expect.objectContaining({ userName: NEW, emails: [NEW], linkedTo: ID, displayName: 'Sam Mover' })]]);
    expect(audit.kinds(ID)).toEqual(['request.received', 'identity.updated', 'policy.decided']);
    const entry = audit.entries[1];
    expect(entry).toMatchObject({ actor: 'hris:generic', detail: { deliveryId: 'dlv-move-1', userId: USER, attributes: ['userName', 'emails'] } });
    expect(JSON.stringify(entry)).not.toContain(NEW);
    expect(JSON.stringify(entry)).not.toContain(OLD);
    expect(verifyChain(audit.entries).ok).toBe(true);
  });

  it('prefers the user id the joiner recorded on the employee item', async () => {
    const { deps, identity } = setup({ email: OLD, identityUserId: USER });
    identity.add(USER, 'renamed.by.hand@example.com', ID);

    await prepareMove(deps, moveWith(NEW));

    expect(identity.users.get(USER)?.userName).toBe(NEW);
  });

  it('a retry of the same execution sets the same values and writes no second entry', async () => {
    const { deps, audit, identity } = setup({ email: OLD, identityUserId: USER });
    identity.add(USER, OLD, ID);

    await prepareMove(deps, moveWith(NEW));
    await prepareMove(deps, moveWith(NEW));

    expect(identity.users.size).toBe(1);
    expect(audit.kinds(ID).filter((kind) => kind === 'identity.updated')).toHaveLength(1);
  });

  it('then the employee item stores the new e-mail', async () => {
    const { deps, store, identity, clock } = setup();
    identity.add(USER, OLD, ID);
    const input = moveWith(NEW);

    await prepareMove(deps, input);
    await recordMove({ store, clock }, { employeeId: ID, requestId: 'dlv-move-1', employee: input.event.employee, occurredAt: input.event.occurredAt, ...MOVE_IDS });

    expect(store.employees.get(ID)?.email).toBe(NEW);
  });

  it('leaves the Identity Store alone when the e-mail did not change, or the item holds none', async () => {
    for (const employee of [{ email: OLD }, {}]) {
      const { deps, audit, identity } = setup(employee);
      identity.add(USER, OLD, ID);

      await prepareMove(deps, moveWith(OLD));

      expect(identity.updates).toBe(0);
      expect(audit.kinds(ID)).not.toContain('identity.updated');
    }
  });

  it('never renames a user linked to another employee, nor acts on an older change delivered late', async () => {
    const linkedElsewhere = setup();
    linkedElsewhere.identity.add(USER, OLD, 'E-9999');
    await prepareMove(linkedElsewhere.deps, moveWith(NEW));
    expect(linkedElsewhere.identity.users.get(USER)?.userName).toBe(OLD);

    const stale = setup({ email: OLD, hrisOccurredAt: '2026-04-02T09:00:00.000Z' });
    stale.identity.add(USER, OLD, ID);
    await prepareMove(stale.deps, moveWith(NEW));
    expect(stale.identity.updates).toBe(0);
    expect(stale.audit.kinds(ID)).toEqual(['request.received', 'request.ignored', 'policy.decided']);
  });

  it('a new address another user already holds is an IdentityConflictError, and nothing is renamed', async () => {
    const { deps, identity } = setup();
    identity.add(USER, OLD, ID);
    identity.add(OTHER, NEW, 'E-3003');

    await expect(prepareMove(deps, moveWith(NEW))).rejects.toThrow(IdentityConflictError);
    expect(identity.users.get(USER)?.userName).toBe(OLD);
  });
});

describe('a mover whose name changed (issue #14)', () => {
  const renamed = (first: string, last: string, email = OLD) => ({
    event: changeEvent('sales', { employee: { ...changeEvent('sales').employee, email, firstName: first, lastName: last } }),
    ...MOVE_IDS,
  });

  it('gives the same user the new display name and name, audited once with the attribute names only', async () => {
    const { deps, audit, identity } = setup({ email: OLD, identityUserId: USER });
    identity.add(USER, OLD, ID);

    await prepareMove(deps, renamed('Samira', 'Rivers'));
    await prepareMove(deps, renamed('Samira', 'Rivers'));

    expect(identity.users.get(USER)).toMatchObject({ userName: OLD, displayName: 'Samira Rivers', givenName: 'Samira', familyName: 'Rivers' });
    expect(identity.updates).toBe(1);
    const entries = audit.entries.filter((entry) => entry.kind === 'identity.updated');
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({ detail: { userId: USER, attributes: ['displayName', 'name'] } });
    expect(JSON.stringify(entries[0])).not.toContain('Rivers');
  });

  it('follows a new e-mail and a new name in one entry, finding the user by e-mail when no id was recorded', async () => {
    const { deps, audit, identity } = setup({ email: OLD });
    identity.add(USER, OLD, ID);

    await prepareMove(deps, renamed('Samira', 'Rivers', NEW));

    expect(identity.users.get(USER)).toMatchObject({ userName: NEW, displayName: 'Samira Rivers' });
    expect(audit.entries.filter((entry) => entry.kind === 'identity.updated').map((entry) => entry.detail)).toEqual([
      { deliveryId: 'dlv-move-1', userId: USER, attributes: ['userName', 'emails', 'displayName', 'name'] },
    ]);
  });

  it('never renames a user linked to another employee', async () => {
    const { deps, audit, identity } = setup({ email: OLD });
    identity.add(USER, OLD, 'E-9999');

    await prepareMove(deps, renamed('Samira', 'Rivers'));

    expect(identity.users.get(USER)?.displayName).toBe('Sam Mover');
    expect(audit.kinds(ID)).not.toContain('identity.updated');
  });
});
