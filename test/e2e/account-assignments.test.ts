import { readFileSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { ListAccountAssignmentsForPrincipalCommand, SSOAdminClient, DescribePermissionSetCommand } from '@aws-sdk/client-sso-admin';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { approvalLink, decide } from '../../local/demo/approver.ts';
import { changePayload, hirePayload, leavePayload } from '../../local/demo/hris.ts';
import { finishedExecution } from '../../local/demo/run.ts';
import { accessOf } from '../../local/demo/inspect.ts';
import { LOCAL_SLACK_CHANNEL, LOCAL_SSO_INSTANCE_ARN } from '../../local/function-env.ts';
import { fetchSentMails } from '../../local/ses-local.ts';
import { runReviewCli } from '../../tools/review-cli.ts';
import { until } from '../support/poll.ts';
import { requestAudit } from './support/requests.ts';
import { employeeId, finishedJoiner, startE2eCloud, userNameOf, type E2eCloud } from './support/e2e-cloud.ts';

/**
 * Account assignments (permission set on an account, to the user) on the whole local cloud:
 * a time-bound AdministratorAccess on the production account approved by the e-mailed links,
 * assigned (the sso-admin emulator's request polled to SUCCEEDED) and removed at expiry; two
 * overlapping grants of one permission set expire independently; a FAILED assignment ends as
 * an audited failure with nothing assigned. Assignments take 500 ms here, checked every second.
 */

const MANAGER = 'dana.lead@example.com';
const OWNER = 'platform-owners@example.com';
const PROD = '111122223333';
const STAGING = '444455556666';
let e2e: E2eCloud;
let sso: SSOAdminClient;
let dir: string;

beforeAll(async () => {
  // The shipped catalogue plus a low-risk ReadOnlyAccess on staging (requestable without approval).
  dir = await mkdtemp(join(tmpdir(), 'gatehouse-aa-'));
  const catalogue = JSON.parse(readFileSync('config/role-catalogue.json', 'utf8')) as { $schema?: string; entitlements: unknown[] };
  delete catalogue.$schema;
  catalogue.entitlements.push({
    id: 'account-assignment:StagingReadOnly',
    kind: 'account-assignment',
    name: 'StagingReadOnly',
    description: 'ReadOnlyAccess on the staging account.',
    risk: 'low',
    ownerGroupEmail: OWNER,
    maxTimeBoundDuration: 'PT1H',
    permissionSet: 'ReadOnlyAccess',
    accountIds: [STAGING],
  });
  // Roles that grant account assignments (joiner, mover and leaver provision them): support and support-lead differ by one.
  catalogue.entitlements.push({
    id: 'account-assignment:StagingViewOnly',
    kind: 'account-assignment',
    name: 'StagingViewOnly',
    description: 'ViewOnlyAccess on the staging account.',
    risk: 'low',
    ownerGroupEmail: OWNER,
    permissionSet: 'ViewOnlyAccess',
    accountIds: [STAGING],
  });
  // AdministratorAccess on production may be taken as break-glass, for 30 minutes at most.
  const prodAdmin = catalogue.entitlements.find((entitlement) => (entitlement as { id: string }).id === 'account-assignment:ProdAdministrator');
  Object.assign(prodAdmin as object, { breakGlass: { maxDuration: 'PT30M' } });
  const roles = (catalogue as unknown as { roles: unknown[] }).roles;
  roles.push({ id: 'support', displayName: 'Support', entitlements: ['group:Sales', 'account-assignment:StagingReadOnly'] });
  roles.push({ id: 'support-lead', displayName: 'Support lead', entitlements: ['group:Sales', 'account-assignment:StagingViewOnly'] });
  const catalogueFile = join(dir, 'catalogue.json');
  writeFileSync(catalogueFile, JSON.stringify(catalogue));
  e2e = await startE2eCloud('aa', { catalogueFile, ssoAssignmentMs: 500, functionEnv: { ACCOUNT_ASSIGNMENT_POLL_SECONDS: '1' } });
  sso = new SSOAdminClient({});
});

afterAll(async () => {
  sso?.destroy();
  await e2e?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

async function hire(id: string, role: string): Promise<void> {
  await e2e.hris.post(hirePayload({ id, role, managerEmail: MANAGER }), `${id}-hire`);
  const joiner = await finishedJoiner(e2e.sfn, `generic-${id}-hire`);
  if (joiner.status !== 'SUCCEEDED') throw new Error(`joiner of ${id} ${joiner.status}`);
}

const tokenFor = (id: string) => e2e.cloud.issueToken({ email: userNameOf(id), groups: [] });

async function ask(id: string, entitlementId: string, duration: string, key: string): Promise<string> {
  const res = await fetch(`${e2e.frontDoor}/access-requests`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${await tokenFor(id)}`, 'idempotency-key': key },
    body: JSON.stringify({ entitlementId, duration, justification: `e2e ${key}: incident on production` }),
  });
  const body = (await res.json()) as Record<string, unknown>;
  if (res.status !== 202) throw new Error(`POST /access-requests answered ${res.status} ${JSON.stringify(body)}`);
  return String(body.requestId);
}

async function statusOf(id: string, requestId: string): Promise<Record<string, unknown>> {
  const res = await fetch(`${e2e.frontDoor}/access-requests/${requestId}`, { headers: { authorization: `Bearer ${await tokenFor(id)}` } });
  return (await res.json()) as Record<string, unknown>;
}
const waitStatus = (id: string, requestId: string, status: string, timeoutMs: number) =>
  until(() => statusOf(id, requestId), (body) => body.status === status, { timeoutMs, everyMs: 250, what: `${requestId} ${status}` });

/** The permission set names the person (or a user id, once the user is gone) holds on `account`, as Identity Center lists them. */
async function assignedOn(id: string, account: string, knownUserId?: string): Promise<string[]> {
  const userId = knownUserId ?? (await accessOf(id, userNameOf(id))).userId;
  if (!userId) return [];
  const { AccountAssignments = [] } = await sso.send(
    new ListAccountAssignmentsForPrincipalCommand({ InstanceArn: LOCAL_SSO_INSTANCE_ARN, PrincipalType: 'USER', PrincipalId: userId, Filter: { AccountId: account } }),
  );
  const names = await Promise.all(
    AccountAssignments.map(async (a) => (await sso.send(new DescribePermissionSetCommand({ InstanceArn: LOCAL_SSO_INSTANCE_ARN, PermissionSetArn: a.PermissionSetArn }))).PermissionSet?.Name ?? ''),
  );
  return names.sort();
}

/** The audit entries of one request (its grant and its revoke). */
const requestEntries = (id: string, requestId: string) => requestAudit(e2e, id, requestId);

describe('a FAILED assignment (fault rule on CreateAccountAssignment)', () => {
  it('ends as an audited provisioning failure with the reason, and nothing assigned or recorded', async ({ expect }) => {
    const id = employeeId('af');
    await hire(id, 'sales');
    const [rule] = e2e.cloud.faults.add([{ service: 'sso-admin', operation: 'CreateAccountAssignment', fail: 1 }]);
    const requestId = await (async () => {
      try {
        const asked = await ask(id, 'account-assignment:StagingReadOnly', 'PT1H', `${id}-k1`);
        await waitStatus(id, asked, 'failed', 30_000);
        return asked;
      } finally {
        if (rule) e2e.cloud.faults.remove(rule.id);
      }
    })();
    expect(await assignedOn(id, STAGING)).toEqual([]);
    const entries = await requestEntries(id, requestId);
    expect(entries.map((entry) => entry.kind)).not.toContain('grant.applied');
    const failed = entries.filter((entry) => entry.kind === 'provisioning.failed');
    expect(failed).toHaveLength(1);
    expect(failed[0]?.reason).toContain('AccountAssignmentFailedError');
    expect(failed[0]?.reason).toContain(`account-assignment:StagingReadOnly on account ${STAGING}: assignment FAILED: Request failed (injected by the local cloud)`);
    const after = await accessOf(id, userNameOf(id));
    expect(after.activeGrants).toBe(2); // the hire's AllStaff and Sales groups only
    expect(after.auditChainOk).toBe(true);
  }, 90_000);
});

describe('account assignments in roles', () => {
  it("joiner assigns the role's permission set, mover swaps the old role's for the new one's, leaver removes it", async ({ expect }) => {
    const id = employeeId('ar');
    await hire(id, 'support');
    const { userId } = await accessOf(id, userNameOf(id));
    expect(await assignedOn(id, STAGING, userId)).toEqual(['ReadOnlyAccess']);
    const joined = await accessOf(id, userNameOf(id));
    expect(joined.activeGrants).toBe(3); // AllStaff, Sales, StagingReadOnly

    await e2e.hris.post(changePayload({ id, role: 'support-lead', managerEmail: MANAGER }), `${id}-move`);
    const mover = await finishedExecution(e2e.sfn, 'mover', `generic-${id}-move`, 30_000);
    expect(mover.status).toBe('SUCCEEDED');
    expect(await assignedOn(id, STAGING, userId)).toEqual(['ViewOnlyAccess']);

    await e2e.hris.post(leavePayload({ id }), `${id}-leave`);
    const leaver = await finishedExecution(e2e.sfn, 'leaver', `generic-${id}-leave`, 30_000);
    expect(leaver.status).toBe('SUCCEEDED');
    expect(await assignedOn(id, STAGING, userId)).toEqual([]);
    const after = await accessOf(id, userNameOf(id));
    expect(after.activeGrants).toBe(0);
    expect(after.auditChainOk).toBe(true);
  }, 60_000);
});

describe('access review', () => {
  it('a revoke decision removes the role-sourced account assignment at the deadline (deletion polled), grant.revoked and the role finding audited', async ({ expect }) => {
    const id = employeeId('rv');
    await hire(id, 'support');
    const { userId } = await accessOf(id, userNameOf(id));
    expect(await assignedOn(id, STAGING, userId)).toEqual(['ReadOnlyAccess']);

    const campaign = `rev-aa-${id.toLowerCase()}`.slice(0, 64);
    const env = { ...process.env, ...e2e.cloud.env, GATEHOUSE_FRONT_DOOR: e2e.frontDoor };
    const cli = (...argv: string[]) => runReviewCli(argv, { stdout: () => undefined, stderr: () => undefined }, { env });
    expect(await cli('start', '--id', campaign, '--name', 'Staging access', '--scope', 'entitlements:account-assignment:StagingReadOnly', '--due', '20', '--remind', '5', '--escalate', '5')).toBe(0);
    const itemId = `${id}#account-assignment:StagingReadOnly#role#support`;
    const token = await e2e.cloud.issueToken({ email: MANAGER, groups: [] });
    const decided = await until(
      () => fetch(`${e2e.frontDoor}/api/reviews/${campaign}/decisions`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify({ itemIds: [itemId], decision: 'revoke', justification: 'no longer on support' }) }),
      (res) => res.status === 200,
      { timeoutMs: 30_000, everyMs: 500, what: 'the manager decides once the snapshot is taken' },
    );
    // The console cannot remove an account assignment (no sso-admin access): the deadline's "Revoke Item" does.
    expect(await decided.json()).toMatchObject({ decided: 1 });
    expect(await assignedOn(id, STAGING, userId)).toEqual(['ReadOnlyAccess']);
    expect(await cli('close', campaign)).toBe(0);
    const execution = await finishedExecution(e2e.sfn, 'access-review', campaign, 90_000);
    expect(execution.status).toBe('SUCCEEDED');

    expect(await assignedOn(id, STAGING, userId)).toEqual([]);
    const entries = await requestEntries(id, campaign);
    expect(entries.filter((entry) => entry.kind === 'grant.revoked').map((entry) => entry.reason)).toEqual([expect.stringContaining('account assignment removed')]);
    expect(entries.filter((entry) => entry.kind === 'review.finding').map((entry) => entry.detail)).toEqual([expect.objectContaining({ finding: 'role-grants-again' })]);
    expect((await accessOf(id, userNameOf(id))).activeGrants).toBe(2); // AllStaff, Sales
  }, 120_000);
});

describe('break-glass', () => {
  it('grants AdministratorAccess on production at once without approval, audited as break-glass; refused for an entitlement not marked', async ({ expect }) => {
    const id = employeeId('bg');
    await hire(id, 'sales');
    const post = (body: object, key: string) =>
      tokenFor(id).then((token) =>
        fetch(`${e2e.frontDoor}/access-requests`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, 'idempotency-key': key }, body: JSON.stringify(body) }),
      );

    const refused = await post({ entitlementId: 'account-assignment:StagingReadOnly', duration: 'PT30M', justification: 'e2e: outage, need access now', breakGlass: true }, `${id}-k0`);
    expect(refused.status).toBe(403);
    expect(JSON.stringify(await refused.json())).toContain('not marked break-glass');

    const res = await post({ entitlementId: 'account-assignment:ProdAdministrator', duration: 'PT30M', justification: 'e2e: production is down, paging on-call', breakGlass: true }, `${id}-k1`);
    expect(res.status).toBe(202);
    const requestId = String(((await res.json()) as Record<string, unknown>).requestId);
    await waitStatus(id, requestId, 'granted', 20_000);
    expect(await assignedOn(id, PROD)).toEqual(['AdministratorAccess']);

    const entries = await requestEntries(id, requestId);
    const received = entries.find((entry) => entry.kind === 'request.received');
    expect(received?.detail).toMatchObject({ requestType: 'time-bound', breakGlass: true });
    expect(received?.reason).toContain('BREAK-GLASS');
    expect(entries.find((entry) => entry.kind === 'policy.decided')?.reason).toContain('granted at once without approval');
    expect(entries.filter((entry) => entry.kind === 'grant.applied')).toHaveLength(1);

    // Security is told at once: one mail to the operators and the owner group, one line in the channel.
    const told = await until(
      async () => (await fetchSentMails(e2e.cloud.endpoints.ses)).filter((m) => m.subject.startsWith('BREAK-GLASS') && (m.body.text ?? '').includes(requestId)),
      (mails) => mails.length > 0,
      { timeoutMs: 20_000, everyMs: 250, what: 'the break-glass mail' },
    );
    expect(told).toHaveLength(1);
    expect([...told[0]!.destination.to].sort()).toEqual(['it-ops@example.com', OWNER]);
    // The channel line follows the mail in the same step (send.ts posts it once the mail is recorded as sent).
    const lines = await until(
      () => Promise.resolve(e2e.cloud.slack.messages.filter((m) => m.channel === LOCAL_SLACK_CHANNEL && m.text.startsWith('BREAK-GLASS') && m.text.includes(requestId))),
      (found) => found.length > 0,
      { timeoutMs: 10_000, everyMs: 250, what: 'the break-glass line in the channel' },
    );
    expect(lines).toHaveLength(1);

    // The after-the-fact review: one item in the owner group's queue, open until an owner decides it; the holder cannot.
    const campaignId = `break-glass-${requestId}`;
    const reviews = async (method: string, email: string, path: string, body?: object) => {
      const token = await e2e.cloud.issueToken({ email, groups: [] });
      const answer = await fetch(`${e2e.frontDoor}${path}`, { method, headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, ...(body ? { body: JSON.stringify(body) } : {}) });
      return { status: answer.status, body: (await answer.json()) as { items?: { itemId: string; employeeId: string; entitlementId: string }[] } };
    };
    const queue = await until(() => reviews('GET', OWNER, `/api/reviews?campaignId=${campaignId}`), (answer) => (answer.body.items ?? []).length > 0, { timeoutMs: 20_000, everyMs: 500, what: 'the break-glass review item' });
    expect(queue.body.items?.map((item) => [item.employeeId, item.entitlementId])).toEqual([[id, 'account-assignment:ProdAdministrator']]);
    const itemId = queue.body.items![0]!.itemId;
    const self = await reviews('POST', userNameOf(id), `/api/reviews/${campaignId}/decisions`, { itemIds: [itemId], decision: 'keep', justification: 'my own incident' });
    expect(self.status).toBe(403);
    const kept = await reviews('POST', OWNER, `/api/reviews/${campaignId}/decisions`, { itemIds: [itemId], decision: 'keep', justification: 'real incident, on-call page INC-42' });
    expect(kept.status).toBe(200);
    expect((await reviews('GET', OWNER, `/api/reviews?campaignId=${campaignId}`)).body.items).toEqual([]);
  }, 60_000);
});

describe.concurrent('account assignments on the local cloud', () => {
  it('time-bound AdministratorAccess on production: approved by both links, SUCCEEDED in sso-admin, removed at expiry', async ({ expect }) => {
    const id = employeeId('aa');
    await hire(id, 'sales');
    const requestId = await ask(id, 'account-assignment:ProdAdministrator', 'PT1M', `${id}-k1`);
    await waitStatus(id, requestId, 'pending-approval', 20_000);
    expect(await assignedOn(id, PROD)).toEqual([]);

    expect(await decide(await approvalLink(e2e.cloud.endpoints.ses, MANAGER, id), 'approve')).toEqual({ pageStatus: 200, decisionStatus: 303 });
    expect(await decide(await approvalLink(e2e.cloud.endpoints.ses, OWNER, id), 'approve')).toEqual({ pageStatus: 200, decisionStatus: 303 });
    await waitStatus(id, requestId, 'granted', 30_000);
    expect(await assignedOn(id, PROD)).toEqual(['AdministratorAccess']);

    const ended = await waitStatus(id, requestId, 'ended', 100_000);
    expect(ended).toMatchObject({ endReason: 'expired' });
    expect(await assignedOn(id, PROD)).toEqual([]);
    const after = await accessOf(id, userNameOf(id));
    expect(after.groups).toContain('Sales');
    const kinds = (await requestEntries(id, requestId)).map((entry) => entry.kind);
    expect(kinds.filter((kind) => kind === 'grant.applied')).toHaveLength(1);
    expect(kinds.filter((kind) => kind === 'grant.revoked')).toHaveLength(1);
    expect(after.auditChainOk).toBe(true);
  }, 180_000);

  it('two overlapping grants of one permission set on one account expire independently', async ({ expect }) => {
    const id = employeeId('ao');
    await hire(id, 'sales');
    const first = await ask(id, 'account-assignment:StagingReadOnly', 'PT1M', `${id}-k1`);
    await waitStatus(id, first, 'granted', 30_000);
    await sleep(10_000);
    const second = await ask(id, 'account-assignment:StagingReadOnly', 'PT1M', `${id}-k2`);
    await waitStatus(id, second, 'granted', 30_000);
    expect(await assignedOn(id, STAGING)).toEqual(['ReadOnlyAccess']);

    await waitStatus(id, first, 'ended', 90_000);
    expect((await statusOf(id, second)).status).toBe('granted');
    expect(await assignedOn(id, STAGING)).toEqual(['ReadOnlyAccess']);

    await waitStatus(id, second, 'ended', 60_000);
    expect(await assignedOn(id, STAGING)).toEqual([]);
  }, 180_000);

  it('a leaver loses every account assignment before the user is deleted', async ({ expect }) => {
    const id = employeeId('al');
    await hire(id, 'sales');
    const requestId = await ask(id, 'account-assignment:StagingReadOnly', 'PT1H', `${id}-k1`);
    await waitStatus(id, requestId, 'granted', 30_000);
    const { userId } = await accessOf(id, userNameOf(id));
    expect(await assignedOn(id, STAGING, userId)).toEqual(['ReadOnlyAccess']);

    await e2e.hris.post(leavePayload({ id }), `${id}-leave`);
    const leaver = await finishedExecution(e2e.sfn, 'leaver', `generic-${id}-leave`, 90_000);
    expect(leaver.status).toBe('SUCCEEDED');
    expect(await assignedOn(id, STAGING, userId)).toEqual([]);
    expect((await accessOf(id, userNameOf(id))).userId).toBeUndefined();
  }, 180_000);
});
