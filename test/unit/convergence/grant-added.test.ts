import { describe, expect, it } from 'vitest';
import { grantAdded, type ConvergenceStore } from '#lib/domain/convergence/converge';
import { UserNotFoundError } from '#lib/domain/provision/errors';
import type { GroupRef } from '#lib/domain/provision/schemas';
import { ValidationError } from '#lib/domain/shared/errors';

/** Grant Added Memberships: the user the employees item records, else the one linked by user name. */

const MARKETING: GroupRef = { id: 'group:Marketing', kind: 'group', displayName: 'Marketing' };
const input = (groups: GroupRef[] = [MARKETING]) => ({ action: 'grant' as const, requestId: 'converge-1-E1', employeeId: 'E1', userName: 'e1@example.com', groups });

function world(options: { recorded?: string; live: string[]; byName?: string }) {
  const calls: string[] = [];
  const store = {
    employee: (employeeId: string) => Promise.resolve({ employeeId, status: 'active', ...(options.recorded ? { identityUserId: options.recorded } : {}) }),
  } as Pick<ConvergenceStore, 'employee'> as ConvergenceStore;
  const identity = {
    findUserId: (userName: string, employeeId?: string) => (calls.push(`findUserId ${userName} ${employeeId}`), Promise.resolve(options.byName)),
    ensureMemberships: (userId: string, groups: readonly GroupRef[]) => {
      calls.push(`ensureMemberships ${userId}`);
      if (!options.live.includes(userId)) return Promise.reject(new UserNotFoundError(userId));
      return Promise.resolve(groups.map((group) => ({ entitlementId: group.id, groupId: `g-${group.displayName}`, membershipId: `m-${userId}` })));
    },
  };
  return { deps: { store, identity }, calls };
}

describe('grantAdded', () => {
  it('adds the groups to the user the employees item records, without looking the user up by name', async () => {
    const { deps, calls } = world({ recorded: 'u-1', live: ['u-1'] });

    const result = await grantAdded(deps, input());

    expect(result).toEqual({ userId: 'u-1', userCreated: false, memberships: [{ entitlementId: 'group:Marketing', groupId: 'g-Marketing', membershipId: 'm-u-1' }] });
    expect(calls).toEqual(['ensureMemberships u-1']);
  });

  it('falls back to the user linked by user name when the recorded user is gone', async () => {
    const { deps, calls } = world({ recorded: 'u-deleted', live: ['u-2'], byName: 'u-2' });

    const result = await grantAdded(deps, input());

    expect(result.userId).toBe('u-2');
    expect(calls).toEqual(['ensureMemberships u-deleted', 'findUserId e1@example.com E1', 'ensureMemberships u-2']);
  });

  it('looks the user up by name when none is recorded, and refuses to go on without one', async () => {
    const found = world({ live: ['u-3'], byName: 'u-3' });
    const missing = world({ live: [] });

    await expect(grantAdded(found.deps, input())).resolves.toMatchObject({ userId: 'u-3' });
    await expect(grantAdded(missing.deps, input())).rejects.toBeInstanceOf(ValidationError);
    expect(found.calls).toEqual(['findUserId e1@example.com E1', 'ensureMemberships u-3']);
  });

  it('with no group to add, returns the user linked by name and makes no membership', async () => {
    const { deps, calls } = world({ recorded: 'u-1', live: ['u-1'], byName: 'u-1' });

    await expect(grantAdded(deps, input([]))).resolves.toEqual({ userId: 'u-1', userCreated: false, memberships: [] });
    expect(calls).toEqual(['findUserId e1@example.com E1']);
  });
});
