import { afterEach, describe, expect, it } from 'vitest';
import { createAuditStore } from '#lib/adapters/dynamodb/audit';
import type { Finding } from '#lib/domain/reconcile/reconcile';
import { fetchSentMails } from '../../local/ses-local.ts';
import { invoke } from '../support/lambda.ts';
import { ENGINEER, reconcileWorld } from './reconcile-world.ts';

/**
 * Reconciliation against the Identity Store and EC2 emulators, SES local and DynamoDB Local.
 * Report mode finds exactly the planted orphan user, unexpected membership and untracked
 * instance, audits each once and e-mails operators once; remove mode acts on exactly the
 * confirmed plan, and refuses (stale fingerprint) or stops at the guard (empty roster, share).
 */

// Clients and config load at import: the environment must be complete before the handler is imported.
const world = await reconcileWorld({ MAX_REMOVAL_SHARE: '0.5' });
const { handler } = await import('../../functions/reconcile/handler.ts');
const audit = createAuditStore({ client: world.tables.client, tableName: world.tables.names.audit, clock: { now: () => new Date() } });
afterEach(() => world.reset());

interface Plan {
  fingerprint: string;
  guard: { outcome: string; reason?: string; message?: string };
}
type Report = { findings: Finding[]; plan: Plan; mail: string };
type Remove = { outcome: string; reason?: string; message?: string; removed: string[]; fingerprint: string };
const report = (runDate: string) => invoke(handler, { mode: 'report', runDate }) as Promise<Report>;
const remove = (runDate: string, confirm: string) => invoke(handler, { mode: 'remove', runDate, confirm, requestedBy: 'ops@example.com' }) as Promise<Remove>;
const mailsSince = async (since: number, subject: string) => (await fetchSentMails(world.ses.endpoint, since)).filter((mail) => mail.subject.startsWith(subject));

/** An engineer with everything granted, plus ProdAdmin nobody granted; a leaver whose user is still there; an instance tagged for the leaver. */
async function plantOrphans() {
  const active = await world.aUser(await world.anEmployee('E100', 'active', ENGINEER), ['AllStaff', 'Engineering', 'ProdReadOnly', 'ProdAdmin', 'Printers']);
  const orphan = await world.aUser(await world.anEmployee('E200', 'left'), ['AllStaff']);
  const legitInstance = await world.aManagedInstance('E100');
  const untracked = await world.aManagedInstance('E200');
  return { active, orphan, legitInstance, untracked };
}

describe('reconcile, report mode', () => {
  it('finds exactly the planted orphan user, unexpected membership and untracked instance, audits each once and e-mails operators once', async () => {
    const { active, orphan, untracked } = await plantOrphans();
    const since = Date.now() / 1000 - 1;

    const result = await report('2026-11-20');

    const expected: Finding[] = [
      { kind: 'orphan-user', employeeId: 'E200', userId: orphan.userId, why: 'left' },
      { kind: 'unexpected-membership', employeeId: 'E100', userId: active.userId, membershipId: active.memberships.get('ProdAdmin') ?? '', entitlementId: 'group:ProdAdmin' },
      { kind: 'untracked-instance', employeeId: 'E200', resourceId: untracked, entitlementId: 'workstation:dev-arm' },
    ];
    expect(result.findings).toEqual(expect.arrayContaining(expected));
    expect(result.findings).toHaveLength(3);
    expect(result.plan.guard).toEqual({ outcome: 'passed' });
    const entries = [...(await audit.listBySubject('E100')), ...(await audit.listBySubject('E200'))];
    expect(entries.map((entry) => [entry.subject, entry.kind, entry.detail])).toEqual(
      expect.arrayContaining([
        ['E100', 'reconciliation.finding', { finding: 'unexpected-grant', action: 'flagged', resourceId: active.memberships.get('ProdAdmin') }],
        ['E200', 'reconciliation.finding', { finding: 'stale-grant', action: 'flagged', resourceId: orphan.userId }],
        ['E200', 'reconciliation.finding', { finding: 'resource-drift', action: 'flagged', resourceId: untracked }],
      ]),
    );
    expect(entries).toHaveLength(3);
    const mails = await mailsSince(since, 'Gatehouse reconciliation 2026-11-20');
    expect(mails.map((mail) => [mail.from, mail.destination.to, mail.subject])).toEqual([['gatehouse@example.com', ['it-ops@example.com'], 'Gatehouse reconciliation 2026-11-20: 3 finding(s)']]);
    expect(mails[0]!.body.text).toContain(`npm run gatehouse -- reconcile --remove --confirm ${result.plan.fingerprint}`);

    // A retried invocation the same run date records nothing new and sends nothing.
    expect((await report('2026-11-20')).mail).toBe('already-sent');
    expect([...(await audit.listBySubject('E100')), ...(await audit.listBySubject('E200'))]).toHaveLength(3);
    expect(await mailsSince(since, 'Gatehouse reconciliation 2026-11-20')).toHaveLength(1);
  });
});

describe('reconcile, account assignments', () => {
  it('reports an assignment no grant justifies and a granted one the user lacks, and none for one in place', async () => {
    const held = await world.aUser(await world.anEmployee('E300', 'active', ['group:AllStaff', 'account-assignment:ProdAdministrator']), ['AllStaff']);
    const kept = await world.aUser(await world.anEmployee('E301', 'active', ['group:AllStaff', 'account-assignment:ProdAdministrator']), ['AllStaff']);
    await world.anAssignment(held.userId, '444455556666', 'ReadOnlyAccess');
    await world.anAssignment(kept.userId, '111122223333', 'AdministratorAccess');

    const result = await report('2026-11-26');

    expect(result.findings).toEqual([
      { kind: 'unexpected-assignment', employeeId: 'E300', userId: held.userId, accountId: '444455556666', permissionSet: 'ReadOnlyAccess' },
      { kind: 'missing-assignment', employeeId: 'E300', userId: held.userId, entitlementId: 'account-assignment:ProdAdministrator', accountId: '111122223333', permissionSet: 'AdministratorAccess' },
    ]);
    const entries = await audit.listBySubject('E300');
    expect(entries.map((entry) => entry.detail)).toEqual([
      { finding: 'unexpected-grant', action: 'flagged', resourceId: 'ReadOnlyAccess@444455556666' },
      { finding: 'missing-grant', action: 'flagged', resourceId: 'AdministratorAccess@111122223333' },
    ]);
    expect(await audit.listBySubject('E301')).toEqual([]);
  });
});

describe('reconcile, remove mode', () => {
  it('refuses a stale fingerprint, then removes exactly the reviewed orphans and leaves legitimate access alone', async () => {
    const { active, orphan, legitInstance, untracked } = await plantOrphans();
    const { plan } = await report('2026-11-21');

    const refused = await remove('2026-11-21', '0123456789abcdef');
    expect(refused).toMatchObject({ outcome: 'refused', reason: 'stale-plan', removed: [], fingerprint: plan.fingerprint });
    expect(await world.userNames()).toEqual(['e100@example.com', 'e200@example.com']);

    const result = await remove('2026-11-21', plan.fingerprint);

    expect(result.outcome).toBe('removed');
    expect(result.removed).toHaveLength(3);
    expect(await world.userNames()).toEqual(['e100@example.com']);
    expect(await world.groupsOf(active.userId)).toEqual(['AllStaff', 'Engineering', 'Printers', 'ProdReadOnly']);
    expect(await world.instance(untracked)).toMatchObject({ state: expect.stringMatching(/^stopp(ing|ed)$/), tags: { 'gatehouse:review': 'reconciliation 2026-11-21' } });
    const legit = await world.instance(legitInstance);
    expect([legit.state, legit.tags['gatehouse:review']]).toEqual(['running', undefined]);
    const removals = (await audit.listBySubject('E200')).filter((entry) => entry.kind === 'reconciliation.finding' && entry.detail.action !== 'flagged');
    expect(removals.map((entry) => [entry.actor, entry.detail])).toEqual([
      ['operator:ops@example.com', { finding: 'stale-grant', action: 'revoked', resourceId: orphan.userId }],
      ['operator:ops@example.com', { finding: 'resource-drift', action: 'stopped', resourceId: untracked }],
    ]);
  });

  it('with an empty roster deletes nothing, says why, audits it and alerts', async () => {
    await world.aUser(await world.anEmployee('E300', 'left'), ['AllStaff']);
    const since = Date.now() / 1000 - 1;
    const { plan } = await report('2026-11-22');

    const result = await remove('2026-11-22', plan.fingerprint);

    expect(result).toMatchObject({ outcome: 'blocked', reason: 'empty-roster', message: 'the active roster is empty: the source of truth may be broken, nothing is removed', removed: [] });
    expect(await world.userNames()).toEqual(['e300@example.com']);
    const runs = (await audit.listBySubject('reconciliation')).flatMap((entry) => (entry.kind === 'reconciliation.run' && entry.detail.outcome === 'blocked' ? [entry] : []));
    expect(runs.map((entry) => [entry.reason, entry.detail.guard])).toEqual([[`removal blocked: ${result.message}`, 'empty-roster']]);
    const alerts = await mailsSince(since, 'Gatehouse reconciliation 2026-11-22: removal BLOCKED');
    expect(alerts.map((mail) => mail.subject)).toEqual(['Gatehouse reconciliation 2026-11-22: removal BLOCKED (empty-roster)']);
  });

  it('with orphans above the configured share deletes nothing', async () => {
    await world.aUser(await world.anEmployee('E400', 'active'), []);
    await world.aUser(await world.anEmployee('E401', 'left'), []);
    await world.aUser('stranger@example.com', []);
    const { plan } = await report('2026-11-23');

    const result = await remove('2026-11-23', plan.fingerprint);

    expect(result).toMatchObject({ outcome: 'blocked', reason: 'over-share', message: 'removing 2 of 3 users exceeds the 50% limit (1): nothing is removed' });
    expect(await world.userNames()).toEqual(['e400@example.com', 'e401@example.com', 'stranger@example.com']);
  });
});
