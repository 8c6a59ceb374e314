import { describe, expect, it } from 'vitest';
import { revokeMemberships } from '#lib/domain/mover/memberships';
import type { GroupRef, MembershipResult } from '#lib/domain/provision/schemas';
import { MOVE_IDS } from './fakes.ts';

/** An Identity Store with one user and its memberships, by group display name. */
function identity(memberships: Record<string, string>) {
  const live = new Map(Object.entries(memberships));
  const removed: string[] = [];
  return {
    removed,
    live,
    port: {
      findUserId: (userName: string) => Promise.resolve(userName === 'sam@example.com' ? 'u-1' : undefined),
      findMembership: (_userId: string, group: GroupRef): Promise<MembershipResult | undefined> => {
        const id = live.get(group.displayName);
        return Promise.resolve(id ? { entitlementId: group.id, groupId: `g-${group.displayName}`, membershipId: id } : undefined);
      },
      removeMembership: (membershipId: string) => {
        const entry = [...live.entries()].find(([, id]) => id === membershipId);
        if (!entry) return Promise.resolve('already-gone' as const);
        live.delete(entry[0]);
        removed.push(membershipId);
        return Promise.resolve('undone' as const);
      },
    },
  };
}

const base = { employeeId: 'E-2001', userName: 'sam@example.com', ...MOVE_IDS };

describe('revokeMemberships', () => {
  it('removes exactly the planned groups and leaves the others; a second run finds them gone', async () => {
    const fake = identity({ AllStaff: 'm-all', Engineering: 'm-eng', ProdReadOnly: 'm-ro', DataScience: 'm-ds' });
    const groups = [
      { entitlementId: 'group:Engineering', displayName: 'Engineering', membershipIds: ['m-eng'] },
      { entitlementId: 'group:ProdReadOnly', displayName: 'ProdReadOnly', membershipIds: [] },
    ];

    const first = await revokeMemberships(fake.port, { ...base, groups });
    const second = await revokeMemberships(fake.port, { ...base, groups });

    expect(first).toEqual({ userId: 'u-1', removed: ['m-eng', 'm-ro'], alreadyGone: 0 });
    expect(second).toEqual({ userId: 'u-1', removed: [], alreadyGone: 1 });
    expect([...fake.live.keys()].sort()).toEqual(['AllStaff', 'DataScience']);
  });

  it('removes a group the catalogue no longer names by the membership id its grant recorded', async () => {
    const fake = identity({ Legacy: 'm-legacy', AllStaff: 'm-all' });

    const result = await revokeMemberships(fake.port, { ...base, groups: [{ entitlementId: 'group:Legacy', membershipIds: ['m-legacy'] }] });

    expect(result.removed).toEqual(['m-legacy']);
    expect([...fake.live.keys()]).toEqual(['AllStaff']);
  });

  it('does not look the user up when there is nothing to remove', async () => {
    const fake = identity({ AllStaff: 'm-all' });
    let lookups = 0;
    const port = { ...fake.port, findUserId: (name: string) => ((lookups += 1), fake.port.findUserId(name)) };

    expect(await revokeMemberships(port, { ...base, groups: [] })).toEqual({ removed: [], alreadyGone: 0 });
    expect(lookups).toBe(0);
  });

  it('removes a membership by the id its grant recorded with one call: no user or group lookup', async () => {
    const fake = identity({ Engineering: 'm-eng', AllStaff: 'm-all' });
    const looked: string[] = [];
    const port = {
      ...fake.port,
      findUserId: (name: string) => (looked.push(`user ${name}`), fake.port.findUserId(name)),
      findMembership: (userId: string, group: GroupRef) => (looked.push(`group ${group.displayName}`), fake.port.findMembership(userId, group)),
    };

    const result = await revokeMemberships(port, { ...base, groups: [{ entitlementId: 'group:Engineering', displayName: 'Engineering', membershipIds: ['m-eng'] }] });

    expect(result).toEqual({ removed: ['m-eng'], alreadyGone: 0 });
    expect(looked).toEqual([]);
    expect([...fake.live.keys()]).toEqual(['AllStaff']);
  });

  it('finds a membership re-made under a new id by group name when the recorded one is gone', async () => {
    const fake = identity({ Engineering: 'm-eng-remade', AllStaff: 'm-all' });

    const result = await revokeMemberships(fake.port, { ...base, groups: [{ entitlementId: 'group:Engineering', displayName: 'Engineering', membershipIds: ['m-eng'] }] });

    expect(result).toEqual({ userId: 'u-1', removed: ['m-eng-remade'], alreadyGone: 1 });
    expect([...fake.live.keys()]).toEqual(['AllStaff']);
  });
});
