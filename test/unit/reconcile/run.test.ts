import { describe, expect, it } from 'vitest';
import type { AuditDraft } from '#lib/domain/audit/entry';
import { auditDraftSchema } from '#lib/domain/audit/entry';
import { roleCatalogue } from '#lib/runtime/catalogue';
import type { Mail } from '#lib/domain/reconcile/report-mail';
import { LIST_LIMIT } from '#lib/domain/reconcile/report-mail';
import type { ActualState, DesiredState, IdentityUser } from '#lib/domain/reconcile/reconcile';
import { createReconciliation } from '#lib/domain/reconcile/run';
import type { AssignmentProgress } from '#lib/domain/account-assignments/progress';
import type { AssignmentTarget } from '#lib/domain/account-assignments/targets';

/** Both modes against in-memory fakes: what is e-mailed, removed and audited, and what is not. */

const RUN_DATE = '2026-11-22';
const anEmployee = (id: string, status: 'active' | 'left' = 'active') => ({ employeeId: id, email: `${id.toLowerCase()}@example.com`, status });
const aUser = (id: string, groups: string[] = []): IdentityUser => ({
  userId: `u-${id}`,
  userName: `${id.toLowerCase()}@example.com`,
  memberships: groups.map((displayName) => ({ membershipId: `m-${id}-${displayName}`, groupId: `g-${displayName}`, displayName })),
});

/** Five active people, one leaver still in the Identity Store, one unjustified membership, one untracked instance. */
function world(): { desired: DesiredState; actual: ActualState } {
  const active = ['E1', 'E2', 'E3', 'E4', 'E5'];
  return {
    desired: { employees: [...active.map((id) => anEmployee(id)), anEmployee('E9', 'left')], grants: [] },
    actual: {
      users: [...active.map((id) => aUser(id, id === 'E1' ? ['ProdAdmin'] : [])), aUser('E9')],
      instances: [{ id: 'i-9', employeeId: 'E9', entitlementId: 'workstation:dev-arm', state: 'running' }],
      volumes: [],
    },
  };
}

function harness(state = world(), maxShare = 0.5, failing: ReadonlySet<string> = new Set()) {
  const audit: AuditDraft[] = [];
  const mails: Mail[] = [];
  const calls: string[] = [];
  /** Identity Center's answer to a delete, settled: FAILED for a user in `failing`. */
  const settled = (userId: string, target: AssignmentTarget): AssignmentProgress =>
    failing.has(userId)
      ? { state: 'failed', operations: [{ target, action: 'delete', status: 'failed', reason: 'AccessDenied on the account' }], waitSeconds: 1, failure: { entitlementId: target.entitlementId, accountId: target.accountId, action: 'delete', reason: 'AccessDenied on the account' } }
      : { state: 'done', operations: [{ target, action: 'delete', status: 'succeeded' }], waitSeconds: 1 };
  const reconciliation = createReconciliation({
    catalogue: roleCatalogue,
    inventory: { readDesired: () => Promise.resolve(state.desired), readActual: () => Promise.resolve(state.actual) },
    audit: {
      append(draft) {
        auditDraftSchema.parse(draft);
        if (!audit.some((entry) => entry.idempotencyKey === draft.idempotencyKey)) audit.push(draft);
        return Promise.resolve({} as never);
      },
    },
    runLog: { find: (key) => Promise.resolve(audit.some((entry) => entry.idempotencyKey === key) ? ({} as never) : undefined) },
    mailer: { send: (mail) => (mails.push(mail), Promise.resolve(`msg-${mails.length}`)) },
    identity: {
      deleteUser: (id) => (calls.push(`deleteUser ${id}`), Promise.resolve('undone' as const)),
      removeMembership: (id) => (calls.push(`removeMembership ${id}`), Promise.resolve('undone' as const)),
    },
    workstations: { stopWorkstation: (id) => (calls.push(`stop ${id}`), Promise.resolve('stopping' as const)) },
    review: { tagForReview: (id, date) => (calls.push(`tag ${id} ${date}`), Promise.resolve()) },
    assignments: { remove: (userId, employeeId, target) => (calls.push(`removeAssignment ${userId} ${employeeId} ${target.permissionSet}@${target.accountId}`), Promise.resolve(settled(userId, target))) },
    policy: { maxShare },
    clock: { now: () => new Date('2026-11-22T05:00:00Z') },
  });
  return { reconciliation, audit, mails, calls, state };
}

const runEntries = (audit: AuditDraft[]) => audit.filter((draft) => draft.kind === 'reconciliation.run').map((draft) => draft.detail);

describe('report mode', () => {
  it('e-mails one summary by kind with the guard verdict and the remove command, and not again on a retry', async () => {
    const { reconciliation, mails, audit, calls } = harness();

    const first = await reconciliation.report(RUN_DATE);
    const retry = await reconciliation.report(RUN_DATE);

    expect([first.mail, retry.mail]).toEqual(['sent', 'already-sent']);
    expect(mails).toHaveLength(1);
    expect(mails[0]!.subject).toBe('Gatehouse reconciliation 2026-11-22: 3 finding(s)');
    // Each finding names the person (their work e-mail, the Identity Center user name) beside the ids (issue #18).
    expect(mails[0]!.text).toContain('Orphan users (people who left, or unknown): 1\n  - user u-E9 (e9@example.com (E9), left the company)\n');
    expect(mails[0]!.text).toContain('Memberships no grant justifies: 1\n  - e1@example.com (E1) is in group:ProdAdmin without a grant (membership m-E1-ProdAdmin)\n');
    expect(mails[0]!.text).toContain('Managed instances without a workstation grant: 1\n  - i-9 (e9@example.com (E9))\n');
    expect(mails[0]!.text).toContain('Mass-deletion guard: passed (remove mode may run).');
    expect(mails[0]!.text).toContain(`To remove exactly these, run: npm run gatehouse -- reconcile --remove --confirm ${first.plan.fingerprint}\n`);
    expect(mails[0]!.html).toContain('<li>user u-E9 (e9@example.com (E9), left the company)</li>');
    expect(runEntries(audit)).toEqual([{ mode: 'report', outcome: 'reported', findings: 3, actions: 3, fingerprint: first.plan.fingerprint, guard: 'passed', messageId: 'msg-1' }]);
    expect(audit.filter((draft) => draft.kind === 'reconciliation.finding')).toHaveLength(3);
    expect(calls).toEqual([]);
  });

  it('sends an all-clear mail when nothing drifted', async () => {
    const state = world();
    state.desired = { ...state.desired, employees: [...state.desired.employees.slice(0, 5)] };
    state.actual = { users: state.actual.users.slice(1, 5), instances: [], volumes: [] };
    const { reconciliation, mails } = harness(state);

    await reconciliation.report(RUN_DATE);

    expect(mails.map((mail) => [mail.subject, mail.text])).toEqual([
      ['Gatehouse reconciliation 2026-11-22: all clear', 'Gatehouse reconciliation 2026-11-22: all clear. What exists matches what was granted.\n'],
    ]);
  });

  it(`lists the first ${LIST_LIMIT} items of a kind and counts the rest`, async () => {
    const state = world();
    state.actual = { ...state.actual, users: [...state.actual.users, ...Array.from({ length: 12 }, (_, i) => aUser(`X${i}`))] };
    const { reconciliation, mails } = harness(state);

    await reconciliation.report(RUN_DATE);

    expect(mails[0]!.text).toContain('Orphan users (people who left, or unknown): 13\n');
    expect(mails[0]!.text).toContain('  ... and 3 more (audit trail: reconciliation.finding, 2026-11-22)\n');
    expect(mails[0]!.text).toContain('Mass-deletion guard: BLOCKED (over-share): removing 13 of 18 users exceeds the 50% limit (9): nothing is removed.');
  });
});

describe('remove mode', () => {
  it('acts on exactly the confirmed plan and audits every removal', async () => {
    const { reconciliation, audit, calls } = harness();
    const { plan } = await reconciliation.report(RUN_DATE);

    const result = await reconciliation.remove(RUN_DATE, plan.fingerprint, 'ops@example.com');

    expect(result).toMatchObject({ outcome: 'removed', removed: ['remove-membership m-E1-ProdAdmin (E1, group:ProdAdmin)', 'delete-user u-E9 (E9, left)', 'stop-instance i-9 (E9)'] });
    expect(calls).toEqual(['removeMembership m-E1-ProdAdmin', 'deleteUser u-E9', 'tag i-9 2026-11-22', 'stop i-9']);
    const removals = audit.filter((draft) => draft.kind === 'reconciliation.finding' && draft.detail.action !== 'flagged');
    expect(removals.map((draft) => [draft.subject, draft.actor, draft.detail])).toEqual([
      ['E1', { type: 'operator', id: 'ops@example.com' }, { finding: 'unexpected-grant', action: 'revoked', resourceId: 'm-E1-ProdAdmin' }],
      ['E9', { type: 'operator', id: 'ops@example.com' }, { finding: 'stale-grant', action: 'revoked', resourceId: 'u-E9' }],
      ['E9', { type: 'operator', id: 'ops@example.com' }, { finding: 'resource-drift', action: 'stopped', resourceId: 'i-9' }],
    ]);
    expect(runEntries(audit).at(-1)).toEqual({ mode: 'remove', outcome: 'removed', findings: 3, actions: 3, fingerprint: plan.fingerprint, guard: 'passed' });
  });

  it('deletes an unexpected assignment of a catalogue permission set on a catalogue account, and only reports an administrator-made one', async () => {
    const state = world();
    const admin = { accountId: '111122223333', permissionSetArn: 'arn:aws:sso:::permissionSet/ssoins-1/ps-admin', permissionSetName: 'AdministratorAccess' };
    const byHand = { accountId: '999988887777', permissionSetArn: 'arn:aws:sso:::permissionSet/ssoins-1/ps-billing', permissionSetName: 'Billing' };
    state.actual.users = state.actual.users.map((user) => (user.userId === 'u-E2' || user.userId === 'u-E3' ? { ...user, assignments: [admin, ...(user.userId === 'u-E2' ? [byHand] : [])] } : { ...user, assignments: [] }));
    const { reconciliation, audit, calls } = harness(state, 0.5, new Set(['u-E3']));
    const { plan, findings } = await reconciliation.report(RUN_DATE);
    expect(findings.filter((finding) => finding.kind === 'unexpected-assignment')).toHaveLength(3);
    expect(plan.actions.filter((action) => action.action === 'remove-assignment').map((action) => action.action === 'remove-assignment' && `${action.employeeId} ${action.permissionSet}`)).toEqual(['E2 AdministratorAccess', 'E3 AdministratorAccess']);

    const result = await reconciliation.remove(RUN_DATE, plan.fingerprint, 'ops@example.com');

    expect(result.outcome).toBe('removed');
    expect(calls.filter((call) => call.startsWith('removeAssignment'))).toEqual(['removeAssignment u-E2 E2 AdministratorAccess@111122223333', 'removeAssignment u-E3 E3 AdministratorAccess@111122223333']);
    const assignmentEntries = audit.flatMap((draft) =>
      draft.kind === 'reconciliation.finding' && draft.actor.type === 'operator' && draft.detail.resourceId === 'AdministratorAccess@111122223333' ? [[draft.subject, draft.detail.action, draft.reason]] : [],
    );
    expect(assignmentEntries).toEqual([
      ['E2', 'revoked', 'remove mode deleted an account assignment no grant justifies: removed'],
      ['E3', 'flagged', 'remove mode deleted an account assignment no grant justifies: not removed: FAILED: AccessDenied on the account'],
    ]);
  });

  it('refuses a fingerprint that no longer matches what exists, and removes nothing', async () => {
    const { reconciliation, audit, calls, mails, state } = harness();
    const { plan } = await reconciliation.report(RUN_DATE);
    state.actual = { ...state.actual, users: [...state.actual.users, aUser('X1')] };

    const result = await reconciliation.remove(RUN_DATE, plan.fingerprint, 'ops@example.com');

    expect(result).toMatchObject({ outcome: 'refused', reason: 'stale-plan', removed: [] });
    expect(result.outcome === 'refused' && result.message).toMatch(new RegExp(`^the plan changed since it was reviewed: --confirm ${plan.fingerprint} but what exists now gives [0-9a-f]{16}; nothing is removed`));
    expect(calls).toEqual([]);
    expect(mails).toHaveLength(1);
    expect(runEntries(audit).at(-1)).toMatchObject({ mode: 'remove', outcome: 'refused', fingerprint: result.fingerprint });
  });

  it.each([
    ['an empty roster', (state: ReturnType<typeof world>) => void (state.desired = { employees: [], grants: [] }), 'empty-roster', 'the active roster is empty: the source of truth may be broken, nothing is removed'],
    ['a share above the limit', () => undefined, 'over-share', 'removing 1 of 6 users exceeds the 10% limit (0): nothing is removed'],
  ])('with %s removes nothing, audits and alerts once, and says why', async (_, arrange, reason, message) => {
    const state = world();
    arrange(state);
    const { reconciliation, audit, calls, mails } = harness(state, 0.1);
    const { plan, findings } = await reconciliation.report(RUN_DATE);

    const result = await reconciliation.remove(RUN_DATE, plan.fingerprint, 'ops@example.com');
    await reconciliation.remove(RUN_DATE, plan.fingerprint, 'ops@example.com');

    expect(result).toEqual({ mode: 'remove', runDate: RUN_DATE, outcome: 'blocked', fingerprint: plan.fingerprint, reason, message, removed: [] });
    expect(calls).toEqual([]);
    expect(mails.map((mail) => mail.subject)).toEqual([expect.stringContaining('removal blocked'), `Gatehouse reconciliation 2026-11-22: removal BLOCKED (${reason})`]);
    expect(mails[1]!.text).toContain(`Reason (${reason}): ${message}.`);
    expect(runEntries(audit).at(-1)).toEqual({ mode: 'remove', outcome: 'blocked', findings: findings.length, actions: plan.actions.length, fingerprint: plan.fingerprint, guard: reason, messageId: 'msg-2' });
  });
});
