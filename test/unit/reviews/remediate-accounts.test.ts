import { describe, expect, it } from 'vitest';
import type { AccountAssignmentsPort } from '#lib/domain/account-assignments/ports';
import { settleAssignments } from '#lib/domain/account-assignments/settle';
import { assignmentKey, type AssignmentTarget } from '#lib/domain/account-assignments/targets';
import { applyDefaults, findRevocations } from '#lib/domain/reviews/close';
import { remediateItem, type AccountRemover } from '#lib/domain/reviews/remediate';
import { startCampaign } from '#lib/domain/reviews/start';
import { FakeClock, PEOPLE, catalogue, definition, fakeAudit, fakeGrants, fakeIdentity, fakeStore, grant, population } from './fakes.ts';

/**
 * A revoked account-assignment item: the permission set on the account is deleted through the
 * account-assignment loop (delete started, its status polled until SUCCEEDED), the grant closes,
 * grant.revoked is audited with the review as the reason, and a replay removes nothing twice.
 */

const ENTITLEMENT = 'account-assignment:ProdAdministrator';

/** Identity Center as the loop sees it: held assignments, one delete request per start, IN_PROGRESS for `slow` checks. */
function fakeSso(held: string[], slow = 1, fail?: string) {
  const assigned = new Set(held);
  const started: string[] = [];
  const requests = new Map<string, { key: string; checks: number }>();
  const port: AccountAssignmentsPort = {
    isAssigned: (userId, target) => Promise.resolve(assigned.has(`${userId}/${assignmentKey(target)}`)),
    heldBy: () => Promise.resolve([]),
    start: (_action, userId, target) => {
      const key = `${userId}/${assignmentKey(target)}`;
      started.push(key);
      const requestId = `del-${started.length}`;
      requests.set(requestId, { key, checks: 0 });
      return Promise.resolve({ requestId });
    },
    status: (_action, requestId) => {
      const request = requests.get(requestId)!;
      request.checks += 1;
      if (request.checks <= slow) return Promise.resolve({ status: 'IN_PROGRESS' as const });
      if (fail) return Promise.resolve({ status: 'FAILED' as const, failureReason: fail });
      assigned.delete(request.key);
      return Promise.resolve({ status: 'SUCCEEDED' as const });
    },
  };
  return { port, assigned, started };
}

function world(sso: ReturnType<typeof fakeSso>, grants = [grant('E-ADA', ENTITLEMENT, 'time-bound:ar-2'), grant('E-ADA', 'group:Engineering', 'role:engineer')]) {
  const clock = new FakeClock();
  const { store, items } = fakeStore();
  const audit = fakeAudit(clock);
  const identity = fakeIdentity({ 'ada@example.com': ['Engineering'] });
  const pauses: number[] = [];
  const accounts: AccountRemover = {
    remove: (employeeId, userName, targets: readonly AssignmentTarget[]) =>
      settleAssignments(
        {
          sso: sso.port,
          principals: { userIdOf: (name) => identity.findUserId(name) },
          waitSeconds: 2,
          deadlineSeconds: 10,
          now: clock.now,
          pause: (seconds) => {
            pauses.push(seconds);
            clock.advance(seconds);
            return Promise.resolve();
          },
        },
        { employeeId, userName, action: 'delete', targets },
      ),
  };
  const stored = fakeGrants(grants);
  const deps = { store, audit, clock, catalogue, population: population(grants, PEOPLE), grants: stored, identity, accounts };
  return { deps, items, audit, grants: stored, pauses, clock };
}

/** A campaign over the account assignment whose reviewers never answer: high risk defaults to revoke. */
async function revokedByDefault(w: ReturnType<typeof world>): Promise<string> {
  await startCampaign(w.deps, { campaignId: 'rev-a', executionId: 'arn:exec:rev-a', definition: definition({ scope: { kind: 'entitlements', entitlementIds: [ENTITLEMENT] } }) });
  w.clock.advance(200);
  await applyDefaults(w.deps, 'rev-a');
  const { itemIds } = await findRevocations(w.deps, 'rev-a');
  expect(itemIds).toEqual([`E-ADA#${ENTITLEMENT}#time-bound#ar-2`]);
  return itemIds[0]!;
}

describe('review revoke of an account assignment', () => {
  it('deletes the assignment, polls the deletion to the end, closes the grant and audits it once', async () => {
    const sso = fakeSso(['u-ada@example.com/AdministratorAccess@111122223333'], 2);
    const w = world(sso);
    const itemId = await revokedByDefault(w);

    const result = await remediateItem(w.deps, { campaignId: 'rev-a', itemId, executionName: 'rev-a' });
    expect(result).toMatchObject({ remediation: 'removed', remediatedAt: expect.any(String) });
    expect(sso.assigned.size).toBe(0);
    // Started, then two IN_PROGRESS checks and the SUCCEEDED one, each after a pause.
    expect(w.pauses).toEqual([2, 2, 2]);
    expect(w.grants.stored.find((g) => g.grantKey === `${ENTITLEMENT}#time-bound#ar-2`)?.status).toBe('revoked');
    const revoked = w.audit.entries.filter((entry) => entry.kind === 'grant.revoked');
    expect(revoked).toMatchObject([{ subject: 'E-ADA', entitlementId: ENTITLEMENT, requestId: 'rev-a', detail: { trigger: 'review' } }]);
    expect(revoked[0]!.reason).toMatch(/revoked in access review rev-a; account assignment removed/);

    // A replayed "Revoke Item" starts no second delete and audits nothing new.
    const entries = w.audit.entries.length;
    expect(await remediateItem(w.deps, { campaignId: 'rev-a', itemId, executionName: 'rev-a' })).toMatchObject({ remediation: 'removed' });
    expect(sso.started).toHaveLength(1);
    expect(w.audit.entries).toHaveLength(entries);
  });

  it('keeps an assignment another active grant still names', async () => {
    const sso = fakeSso(['u-ada@example.com/AdministratorAccess@111122223333']);
    const w = world(sso, [grant('E-ADA', ENTITLEMENT, 'time-bound:ar-2'), grant('E-ADA', ENTITLEMENT, 'time-bound:ar-3')]);
    await startCampaign(w.deps, { campaignId: 'rev-a', executionId: 'arn:exec:rev-a', definition: definition({ scope: { kind: 'entitlements', entitlementIds: [ENTITLEMENT] } }) });
    w.clock.advance(200);
    await applyDefaults(w.deps, 'rev-a');
    // Both grants are revoked: the first keeps the assignment (the second still names it), the second removes it.
    const { itemIds } = await findRevocations(w.deps, 'rev-a');
    expect(await remediateItem(w.deps, { campaignId: 'rev-a', itemId: itemIds[0]!, executionName: 'rev-a' })).toMatchObject({ remediation: 'kept' });
    expect(sso.started).toEqual([]);
    expect(await remediateItem(w.deps, { campaignId: 'rev-a', itemId: itemIds[1]!, executionName: 'rev-a' })).toMatchObject({ remediation: 'removed' });
    expect(sso.assigned.size).toBe(0);
  });

  it('leaves the item decided when the deletion is still settling or FAILED, and for a caller without the port', async () => {
    const slow = world(fakeSso(['u-ada@example.com/AdministratorAccess@111122223333'], 100));
    const itemId = await revokedByDefault(slow);
    await expect(remediateItem(slow.deps, { campaignId: 'rev-a', itemId, executionName: 'rev-a' })).rejects.toMatchObject({ name: 'TransientError' });
    expect(slow.items.get(`rev-a/${itemId}`)).toMatchObject({ status: 'decided' });
    expect(slow.grants.stored.every((g) => g.status === 'active')).toBe(true);

    const failing = world(fakeSso(['u-ada@example.com/AdministratorAccess@111122223333'], 0, 'permission set is being provisioned'));
    await revokedByDefault(failing);
    await expect(remediateItem(failing.deps, { campaignId: 'rev-a', itemId, executionName: 'rev-a' })).rejects.toMatchObject({ name: 'AccountRemovalFailedError', message: expect.stringMatching(/being provisioned/) });
    expect(failing.items.get(`rev-a/${itemId}`)).toMatchObject({ status: 'decided' });
    expect(failing.audit.entries.filter((entry) => entry.kind === 'grant.revoked')).toEqual([]);

    const sso = fakeSso(['u-ada@example.com/AdministratorAccess@111122223333']);
    const console = world(sso);
    await revokedByDefault(console);
    expect(await remediateItem({ ...console.deps, accounts: undefined }, { campaignId: 'rev-a', itemId, executionName: 'rev-a' })).toEqual({ itemId, remediation: 'pending' });
    expect(sso.started).toEqual([]);
    expect(console.items.get(`rev-a/${itemId}`)).toMatchObject({ status: 'decided' });
  });
});
