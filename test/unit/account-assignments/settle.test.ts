import { describe, expect, it } from 'vitest';
import type { AccountAssignmentsPort } from '#lib/domain/account-assignments/ports';
import { settleAssignments } from '#lib/domain/account-assignments/settle';

/** The assignment loop run to its end in one invocation (reconcile's remove mode), on a clock the pauses move. */

const TARGET = { entitlementId: 'account-assignment:ProdAdministrator', accountId: '111122223333', permissionSet: 'AdministratorAccess' };

function world(checksInProgress: number) {
  let now = Date.parse('2026-12-04T10:00:00Z');
  let held = true;
  let checks = 0;
  const pauses: number[] = [];
  const sso: AccountAssignmentsPort = {
    isAssigned: () => Promise.resolve(held),
    heldBy: () => Promise.resolve([]),
    start: () => Promise.resolve({ requestId: 'del-1' }),
    status: () => {
      checks += 1;
      if (checks <= checksInProgress) return Promise.resolve({ status: 'IN_PROGRESS' as const });
      held = false;
      return Promise.resolve({ status: 'SUCCEEDED' as const });
    },
  };
  const deps = {
    sso,
    principals: { userIdOf: () => Promise.resolve('u-1') },
    waitSeconds: 2,
    deadlineSeconds: 10,
    now: () => new Date(now),
    pause: (seconds: number) => {
      pauses.push(seconds);
      now += seconds * 1000;
      return Promise.resolve();
    },
  };
  return { deps, pauses, held: () => held };
}

describe('settleAssignments', () => {
  it('starts the delete, polls its status after each pause until it leaves IN_PROGRESS', async () => {
    const w = world(2);
    const progress = await settleAssignments(w.deps, { employeeId: 'E1', userName: 'u-1', action: 'delete', targets: [TARGET] });
    expect(progress.state).toBe('done');
    expect(progress.operations.map((op) => op.status)).toEqual(['succeeded']);
    expect(w.pauses).toEqual([2, 2, 2]);
    expect(w.held()).toBe(false);
  });

  it('stops at the deadline and says still in progress', async () => {
    const w = world(100);
    const progress = await settleAssignments(w.deps, { employeeId: 'E1', userName: 'u-1', action: 'delete', targets: [TARGET] });
    expect(progress.state).toBe('in-progress');
    expect(w.pauses.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(10);
    expect(w.pauses).toHaveLength(5);
  });
});
