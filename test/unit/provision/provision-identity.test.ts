import { describe, expect, it } from 'vitest';
import { NotFoundError, TransientError } from '#lib/domain/shared/errors';
import type { EnsuredUser, IdentityStorePort, UserRef } from '#lib/adapters/aws/identitystore';
import { provisionIdentity, type ProvisionIdentityRequest } from '#lib/domain/provision/provision-identity';
import { creatorOf, INTENT_LEASE_MS } from '#lib/adapters/dynamodb/employees/ownership';
import { anEmployee, engineerEntitlements, memoryOwnership } from './factories.ts';

/**
 * userCreated across retries: Step Functions retries Create Identity Center User after a crash or
 * timeout, and compensation deletes the user only when userCreated is true.
 */

/** Lambda's own failure when the invocation dies mid-way (timeout, out of memory). */
const crash = () => Object.assign(new Error('Task timed out after 30.00 seconds'), { name: 'Sandbox.Timedout' });

/** An in-memory Identity Store with the adapter's get-or-create semantics and two fault hooks. */
function memoryIdentity() {
  const users = new Map<string, string>();
  const hooks: { crashAfterCreate: boolean; crashInMemberships: boolean; beforeCreateUser?: (() => Promise<void>) | undefined } = {
    crashAfterCreate: false,
    crashInMemberships: false,
  };
  const createUser = (userName: string): string => {
    const userId = `u-${users.size + 1}`;
    users.set(userName, userId);
    return userId;
  };
  const port: Pick<IdentityStorePort, 'findGroups' | 'ensureUser' | 'ensureMemberships'> = {
    findGroups: async (groups) => Promise.resolve(groups.map((group) => ({ ...group, groupId: `g-${group.displayName}` }))),
    ensureUser: async (employee: UserRef, beforeCreate?: () => Promise<void>): Promise<EnsuredUser> => {
      const existing = users.get(employee.email);
      if (existing) return { userId: existing, origin: 'existing' };
      await beforeCreate?.();
      const hook = hooks.beforeCreateUser;
      hooks.beforeCreateUser = undefined;
      await hook?.();
      const winner = users.get(employee.email);
      if (winner) return { userId: winner, origin: 'concurrent' };
      const userId = createUser(employee.email);
      if (hooks.crashAfterCreate) {
        hooks.crashAfterCreate = false;
        throw crash();
      }
      return { userId, origin: 'created' };
    },
    ensureMemberships: async (userId, groups) => {
      if (hooks.crashInMemberships) {
        hooks.crashInMemberships = false;
        throw crash();
      }
      return Promise.resolve(groups.map((group) => ({ entitlementId: group.id, groupId: `g-${group.displayName}`, membershipId: `m-${userId}-${group.id}` })));
    },
  };
  return { port, users, hooks, createUser };
}

function setup() {
  const identity = memoryIdentity();
  const ownership = memoryOwnership(['E1001']);
  const deps = { identity: identity.port, ownership: ownership.port };
  const request = (requestId: string): ProvisionIdentityRequest => ({ requestId, employeeId: 'E1001', employee: anEmployee(), entitlements: engineerEntitlements() });
  return { identity, ownership, deps, request };
}

describe('provisionIdentity: userCreated across retries', () => {
  it('answers true on the retry after a crash right after CreateUser, and creates no second user', async () => {
    const { identity, ownership, deps, request } = setup();
    identity.hooks.crashAfterCreate = true;

    await expect(provisionIdentity(deps, request('req-1'))).rejects.toMatchObject({ name: 'Sandbox.Timedout' });
    const retry = await provisionIdentity(deps, request('req-1'));

    expect(retry).toMatchObject({ userId: 'u-1', userCreated: true });
    expect([...identity.users.values()]).toEqual(['u-1']);
    expect(ownership.calls).toEqual(['recordIntent req-1', 'creatorOf u-1', 'recordCreator req-1 u-1']);
    expect(ownership.records.get('E1001')).toEqual({ createdBy: 'req-1', userId: 'u-1' });
  });

  it('answers true on the retry after a crash in the memberships, and on any later rerun of the same request', async () => {
    const { identity, deps, request } = setup();
    identity.hooks.crashInMemberships = true;

    await expect(provisionIdentity(deps, request('req-1'))).rejects.toMatchObject({ name: 'Sandbox.Timedout' });
    const retry = await provisionIdentity(deps, request('req-1'));
    const rerun = await provisionIdentity(deps, request('req-1'));

    expect(retry.userCreated).toBe(true);
    expect(rerun).toEqual(retry);
    expect(retry.memberships).toHaveLength(3);
  });

  it('answers false for a user that existed before, and records nothing', async () => {
    const { identity, ownership, deps, request } = setup();
    identity.createUser('ana.silva@example.com');

    const result = await provisionIdentity(deps, request('req-1'));

    expect(result).toMatchObject({ userId: 'u-1', userCreated: false });
    expect(ownership.calls).toEqual(['creatorOf u-1']);
    expect(ownership.records.get('E1001')).toEqual({});
  });

  it('answers false when the recorded intent is another request\'s (its attempt crashed after CreateUser)', async () => {
    const { identity, deps, request } = setup();
    identity.hooks.crashAfterCreate = true;
    await expect(provisionIdentity(deps, request('req-joiner'))).rejects.toMatchObject({ name: 'Sandbox.Timedout' });

    const other = await provisionIdentity(deps, request('req-grant'));
    const creatorRetry = await provisionIdentity(deps, request('req-joiner'));

    expect(other.userCreated).toBe(false);
    expect(creatorRetry.userCreated).toBe(true);
  });

  it('answers false for a mover whose user the joiner created and confirmed', async () => {
    const { ownership, deps, request } = setup();
    await provisionIdentity(deps, request('req-joiner'));

    const mover = await provisionIdentity(deps, request('req-mover'));

    expect(mover.userCreated).toBe(false);
    expect(ownership.records.get('E1001')).toEqual({ createdBy: 'req-joiner', userId: 'u-1' });
  });

  it('answers true when the SDK retried a CreateUser whose response was lost (ConflictException on its own user)', async () => {
    const { identity, deps, request } = setup();
    // The first CreateUser created the user, its response never arrived; the SDK's retry conflicts.
    identity.hooks.beforeCreateUser = async () => {
      identity.createUser('ana.silva@example.com');
      return Promise.resolve();
    };

    const result = await provisionIdentity(deps, request('req-1'));

    expect(result).toMatchObject({ userId: 'u-1', userCreated: true });
  });

  it('makes a request that finds another request\'s live intent retry, creating nothing; its retry answers false', async () => {
    const { identity, ownership, deps, request } = setup();
    await ownership.port.recordIntent('E1001', 'req-joiner'); // the joiner is between its intent and its CreateUser

    await expect(provisionIdentity(deps, request('req-grant'))).rejects.toBeInstanceOf(TransientError);
    expect(identity.users.size).toBe(0);
    identity.createUser('ana.silva@example.com'); // the joiner's CreateUser, then the joiner crashes
    const grantRetry = await provisionIdentity(deps, request('req-grant'));
    const joinerRetry = await provisionIdentity(deps, request('req-joiner'));

    expect(grantRetry.userCreated).toBe(false);
    expect(joinerRetry.userCreated).toBe(true);
    expect(ownership.records.get('E1001')).toEqual({ createdBy: 'req-joiner', userId: 'u-1' });
  });

  it('overwrites a stale intent (older than the lease) of a request that never created the user', async () => {
    const { ownership, deps, request } = setup();
    await ownership.port.recordIntent('E1001', 'req-failed');
    ownership.clock.now += INTENT_LEASE_MS + 1;

    const result = await provisionIdentity(deps, request('req-1'));

    expect(result.userCreated).toBe(true);
    expect(ownership.records.get('E1001')).toEqual({ createdBy: 'req-1', userId: 'u-1' });
  });

  it('refuses to create a user for an employee the employees table does not know', async () => {
    const { identity, deps, request } = setup();

    await expect(provisionIdentity(deps, { ...request('req-1'), employeeId: 'E404' })).rejects.toBeInstanceOf(NotFoundError);
    expect(identity.users.size).toBe(0);
  });
});

describe('creatorOf', () => {
  it.each([
    ['no item', undefined, undefined],
    ['nothing recorded', {}, undefined],
    ['a pending intent', { intent: 'req-1' }, 'req-1'],
    ['a confirmed creator of this user', { createdBy: 'req-1', userId: 'u-1', intent: 'req-2' }, 'req-1'],
    ['a creator of an earlier, deleted user, and a pending intent', { createdBy: 'req-0', userId: 'u-0', intent: 'req-1' }, 'req-1'],
    ['a creator of an earlier, deleted user only', { createdBy: 'req-0', userId: 'u-0' }, undefined],
  ])('%s', (_case, record, expected) => {
    expect(creatorOf(record, 'u-1')).toBe(expected);
  });
});
