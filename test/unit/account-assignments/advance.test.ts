import { describe, expect, it } from 'vitest';
import { advanceAssignments, type AdvanceDeps } from '#lib/domain/account-assignments/advance';
import { advanceUndo } from '#lib/domain/account-assignments/undo';
import { auditDraftSchema, type AuditDraft } from '#lib/domain/audit/entry';
import type { AccountAssignmentsPort } from '#lib/domain/account-assignments/ports';
import { assignmentKey, targetsOf, targetsToRemove, type AssignmentTarget } from '#lib/domain/account-assignments/targets';
import { anAccountAssignment, aGroup } from '../catalogue/factories.ts';

/** Identity Center in memory: requests settle when `settle()` is called, FAILED for keys in `failing`. */
function fakeIdentityCenter(options: { failing?: string[]; busyFor?: number } = {}) {
  const assigned = new Set<string>();
  const requests = new Map<string, { action: string; key: string; status: 'IN_PROGRESS' | 'SUCCEEDED' | 'FAILED' }>();
  let busy = options.busyFor ?? 0;
  const calls: string[] = [];
  const port: AccountAssignmentsPort = {
    isAssigned: (userId, target) => Promise.resolve(assigned.has(`${userId}|${assignmentKey(target)}`)),
    heldBy: (userId) =>
      Promise.resolve(
        [...assigned].filter((key) => key.startsWith(`${userId}|`)).map((key) => {
          const [permissionSetArn = '', accountId = ''] = key.slice(userId.length + 1).split('@');
          return { accountId, permissionSetArn };
        }),
      ),
    start: (action, userId, target) => {
      calls.push(`${action} ${assignmentKey(target)}`);
      if (busy > 0) {
        busy -= 1;
        return Promise.resolve({ busy: 'ConflictException' });
      }
      const requestId = `r${requests.size + 1}`;
      requests.set(requestId, { action, key: `${userId}|${assignmentKey(target)}`, status: 'IN_PROGRESS' });
      return Promise.resolve({ requestId });
    },
    status: (_action, requestId) => {
      const request = requests.get(requestId);
      return Promise.resolve(request?.status === 'FAILED' ? { status: 'FAILED', failureReason: 'Received a 404 status error: Not supported account' } : { status: request?.status ?? 'FAILED' });
    },
  };
  const settle = () => {
    for (const request of requests.values()) {
      if (request.status !== 'IN_PROGRESS') continue;
      const fails = (options.failing ?? []).some((key) => request.key.endsWith(key)) && request.action === 'create';
      request.status = fails ? 'FAILED' : 'SUCCEEDED';
      if (!fails) {
        if (request.action === 'create') assigned.add(request.key);
        else assigned.delete(request.key);
      }
    }
  };
  return { port, assigned, settle, calls };
}

const admin = anAccountAssignment('ProdAdministrator', { accountIds: ['111122223333', '444455556666'] });
const deps = (port: AccountAssignmentsPort, maxInFlight?: number): AdvanceDeps => ({
  sso: port,
  principals: { userIdOf: () => Promise.resolve('u-1') },
  waitSeconds: 1,
  ...(maxInFlight ? { maxInFlight } : {}),
});
const base = { employeeId: 'E1', userName: 'e1@example.com' };

describe('advanceAssignments', () => {
  it('creates each assignment, waits while IN_PROGRESS, and is done when every request SUCCEEDED', async () => {
    const ic = fakeIdentityCenter();
    let progress = await advanceAssignments(deps(ic.port), { ...base, action: 'create', targets: targetsOf([admin]) });
    expect(progress.state).toBe('in-progress');
    progress = await advanceAssignments(deps(ic.port), { ...base, progress });
    expect(progress.state).toBe('in-progress');
    ic.settle();
    progress = await advanceAssignments(deps(ic.port), { ...base, progress });
    expect(progress.state).toBe('done');
    expect([...ic.assigned].sort()).toEqual(['u-1|AdministratorAccess@111122223333', 'u-1|AdministratorAccess@444455556666']);
  });

  it('a FAILED create ends failed with the reason, after removing what this run assigned', async () => {
    const ic = fakeIdentityCenter({ failing: ['@444455556666'] });
    let progress = await advanceAssignments(deps(ic.port), { ...base, action: 'create', targets: targetsOf([admin]) });
    ic.settle();
    progress = await advanceAssignments(deps(ic.port), { ...base, progress });
    expect(progress.state).toBe('in-progress'); // the undo of 111122223333 is under way
    ic.settle();
    progress = await advanceAssignments(deps(ic.port), { ...base, progress });
    expect(progress.state).toBe('failed');
    expect(progress.error?.Error).toBe('AccountAssignmentFailedError');
    expect(progress.error?.Cause).toContain('account-assignment:ProdAdministrator on account 444455556666: assignment FAILED: Received a 404');
    expect(ic.assigned.size).toBe(0);
  });

  it('never undoes an assignment that existed before (another grant made it)', async () => {
    const ic = fakeIdentityCenter({ failing: ['@444455556666'] });
    ic.assigned.add('u-1|AdministratorAccess@111122223333');
    let progress = await advanceAssignments(deps(ic.port), { ...base, action: 'create', targets: targetsOf([admin]) });
    expect(progress.operations[0]).toMatchObject({ status: 'succeeded', existed: true });
    for (let turn = 0; turn < 3 && progress.state === 'in-progress'; turn++) {
      ic.settle();
      progress = await advanceAssignments(deps(ic.port), { ...base, progress });
    }
    expect(progress.state).toBe('failed');
    expect([...ic.assigned]).toEqual(['u-1|AdministratorAccess@111122223333']);
  });

  it('keeps at most maxInFlight requests outstanding and retries a busy one on the next turn', async () => {
    const ic = fakeIdentityCenter({ busyFor: 1 });
    const many = anAccountAssignment('Many', { accountIds: ['100000000001', '100000000002', '100000000003'] });
    let progress = await advanceAssignments(deps(ic.port, 2), { ...base, action: 'create', targets: targetsOf([many]) });
    // The first was busy (stays pending); the next two started, which is the limit.
    expect(progress.operations.map((op) => op.status)).toEqual(['pending', 'in-progress', 'in-progress']);
    for (let turn = 0; turn < 5 && progress.state !== 'done'; turn++) {
      ic.settle();
      progress = await advanceAssignments(deps(ic.port, 2), { ...base, progress });
      expect(progress.operations.filter((op) => op.status === 'in-progress').length).toBeLessThanOrEqual(2);
    }
    expect(progress.state).toBe('done');
    expect(ic.assigned.size).toBe(3);
  });

  it('a delete of an assignment already gone succeeds without a call; no user means nothing to remove', async () => {
    const ic = fakeIdentityCenter();
    const progress = await advanceAssignments(deps(ic.port), { ...base, action: 'delete', targets: targetsOf([admin]) });
    expect(progress.state).toBe('done');
    expect(ic.calls).toEqual([]);
    const noUser = await advanceAssignments({ ...deps(ic.port), principals: { userIdOf: () => Promise.resolve(undefined) } }, { ...base, action: 'delete', targets: targetsOf([admin]) });
    expect(noUser.state).toBe('done');
    const noUserCreate = await advanceAssignments({ ...deps(ic.port), principals: { userIdOf: () => Promise.resolve(undefined) } }, { ...base, action: 'create', targets: targetsOf([admin]) });
    expect(noUserCreate.state).toBe('failed');
  });
});

describe('advanceAssignments for a leaver (allHeld)', () => {
  it('removes every assignment the user holds, whichever grant made it', async () => {
    const ic = fakeIdentityCenter();
    ic.assigned.add('u-1|AdministratorAccess@111122223333');
    ic.assigned.add('u-1|ReadOnlyAccess@444455556666');
    ic.assigned.add('u-2|ReadOnlyAccess@444455556666');
    let progress = await advanceAssignments(deps(ic.port), { ...base, action: 'delete', allHeld: true });
    expect(progress.operations).toHaveLength(2);
    ic.settle();
    progress = await advanceAssignments(deps(ic.port), { ...base, progress });
    expect(progress.state).toBe('done');
    expect([...ic.assigned]).toEqual(['u-2|ReadOnlyAccess@444455556666']);
  });
});

describe('targetsToRemove: counted per assignment, not per entitlement', () => {
  const target = (entitlementId: string, accountId: string): AssignmentTarget => ({ entitlementId, permissionSet: 'AdministratorAccess', accountId });

  it('keeps an assignment another grant of the same entitlement or another entitlement still makes', () => {
    const wide = anAccountAssignment('Wide', { accountIds: ['111122223333', '444455556666'] });
    const narrow = anAccountAssignment('Narrow', { accountIds: ['111122223333'] });
    expect(targetsToRemove([wide], [narrow])).toEqual([target('account-assignment:Wide', '444455556666')]);
    expect(targetsToRemove([wide], [wide])).toEqual([]);
    expect(targetsToRemove([wide], [aGroup('Other')])).toHaveLength(2);
  });
});

describe('advanceUndo (a later step failed for good: delete again what this request assigned)', () => {
  it('deletes only what this request created, polls the deletions to their end, and audits each removal once', async () => {
    const ic = fakeIdentityCenter();
    ic.assigned.add('u-1|AdministratorAccess@111122223333'); // another grant made this one
    let created = await advanceAssignments(deps(ic.port), { ...base, action: 'create', targets: targetsOf([admin]) });
    ic.settle();
    created = await advanceAssignments(deps(ic.port), { ...base, progress: created });
    expect(created.state).toBe('done');
    const drafts: AuditDraft[] = [];
    const audit = {
      append: (draft: AuditDraft) => {
        drafts.push(draft);
        return Promise.resolve({} as never);
      },
    };
    const undoDeps = { ...deps(ic.port), audit };
    const ids = { ...base, requestId: 'jit-1', undo: true as const, executionId: 'arn:aws:states:us-east-1:000000000000:execution:gatehouse-time-bound:x', executionName: 'x' };

    let undo = await advanceUndo(undoDeps, { ...ids, progress: created });
    expect(undo.state).toBe('in-progress');
    expect(ic.calls.filter((call) => call.startsWith('delete'))).toEqual(['delete AdministratorAccess@444455556666']);
    expect(drafts).toEqual([]);
    ic.settle();
    undo = await advanceUndo(undoDeps, { ...ids, progress: undo });

    expect(undo.state).toBe('done');
    expect([...ic.assigned]).toEqual(['u-1|AdministratorAccess@111122223333']);
    expect(drafts).toEqual([
      expect.objectContaining({ kind: 'compensation.applied', entitlementId: admin.id, detail: { step: 'Undo Account Assignments', action: 'delete-account-assignment', resourceId: 'AdministratorAccess@444455556666' } }),
    ]);
    expect(auditDraftSchema.safeParse(drafts[0]).success).toBe(true);
  });
});
