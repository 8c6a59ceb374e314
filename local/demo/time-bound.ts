import { GetScheduleCommand, ResourceNotFoundException, SchedulerClient } from '@aws-sdk/client-scheduler';
import { expiryScheduleName } from '../../functions/lib/domain/schedules/schedules.ts';
import { SCHEDULE_GROUP_NAME } from '../../infra/spec/wiring.ts';
import { approvalLink, decide } from './approver.ts';
import { hirePayload } from './hris.ts';
import { accessOf } from './inspect.ts';
import type { Scenario } from './joiner.ts';
import { waitFor } from './report.ts';
import { finishedExecution, type DemoContext } from './run.ts';

/**
 * Time-bound (just-in-time) access through the front door (docs/access-requests.md): the employee
 * proves who they are with a bearer token from the local OIDC issuer, as their SSO login would.
 * The low-risk grant is revoked early (the shortest grant is a minute; the demo does not wait for
 * expiry, the e2e test test/e2e/time-bound.test.ts does); the high-risk one waits for its approvers.
 * A last request is left pending approval, so the console's Approvals page has one to look at.
 */

const MANAGER = 'dana.lead@example.com';
const PLATFORM_OWNERS = 'platform-owners@example.com';

interface ApiAnswer {
  status: number;
  body: Record<string, unknown>;
}

/** The employee's side of the API, with a token for their work e-mail. */
function accessApi(ctx: DemoContext, email: string) {
  const call = async (method: string, path: string, body?: unknown, key?: string): Promise<ApiAnswer> => {
    const token = await ctx.cloud.issueToken({ email, groups: [] });
    const res = await fetch(`${ctx.cloud.endpoints.frontdoor}${path}`, {
      method,
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, ...(key ? { 'idempotency-key': key } : {}) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  };
  return {
    ask: (entitlementId: string, duration: string, justification: string, key: string) => call('POST', '/access-requests', { entitlementId, duration, justification }, key),
    revoke: (requestId: string) => call('POST', `/access-requests/${requestId}/revoke`),
    status: async (requestId: string) => (await call('GET', `/access-requests/${requestId}`)).body,
    /** Polls GET /access-requests/{id} until its status is `status` (or the deadline passes). */
    reaches: (requestId: string, status: string, timeoutMs = 30_000) =>
      waitFor(`access request ${requestId} to be ${status}`, async () => {
        const got = await call('GET', `/access-requests/${requestId}`);
        return got.body.status === status ? got.body : undefined;
      }, timeoutMs, 250),
  };
}

/** Whether the request's expiry schedule exists in the Scheduler. */
async function expiryScheduled(requestId: string): Promise<boolean> {
  const scheduler = new SchedulerClient({});
  try {
    await scheduler.send(new GetScheduleCommand({ Name: expiryScheduleName(requestId), GroupName: SCHEDULE_GROUP_NAME }));
    return true;
  } catch (error) {
    if (error instanceof ResourceNotFoundException) return false;
    throw error;
  } finally {
    scheduler.destroy();
  }
}

/** An execution's status, and its error and cause when it did not succeed. */
const outcome = (run: { status?: string; error?: string; cause?: string }): string => [run.status, run.error, run.cause?.slice(0, 300)].filter(Boolean).join(' ');
const minutes = (from: unknown, to: unknown): number => Math.round((Date.parse(String(to)) - Date.parse(String(from))) / 60_000);

const timeBoundAccess: Scenario = {
  title: 'Time-bound access: a low-risk grant revoked early, a high-risk one approved by link',
  async run(ctx) {
    const { cloud, hris, sfn, report, runId } = ctx;
    const id = `TB-${runId}`;
    const userName = `${id.toLowerCase()}@example.com`;
    await hris.post(hirePayload({ id, role: 'sales', managerEmail: MANAGER }), `demo-${runId}-time-bound-hire`);
    const joiner = await finishedExecution(sfn, 'joiner', `generic-demo-${runId}-time-bound-hire`);
    if (!report.check('sales employee hired (role groups: AllStaff, Sales)', joiner.status === 'SUCCEEDED', joiner.status ?? '')) return;
    const api = accessApi(ctx, userName);

    const low = await api.ask('group:ProdReadOnly', 'PT1H', 'Demo: reading production logs for a customer ticket', `demo-${runId}-time-bound-low`);
    const lowId = String(low.body.requestId);
    report.check('POST /access-requests ProdReadOnly for 1 h with a token: 202', low.status === 202, `HTTP ${low.status} ${lowId}`);
    const lowRun = await finishedExecution(sfn, 'time-bound', lowId, 30_000);
    report.check('grant execution SUCCEEDED without approval (low risk)', lowRun.status === 'SUCCEEDED', outcome(lowRun));
    const granted = await api.status(lowId);
    report.check('request granted, expiry 60 min after grant', granted.status === 'granted' && minutes(granted.grantedAt, granted.expiresAt) === 60, `expires ${String(granted.expiresAt)}`);
    const during = await accessOf(id, userName);
    report.check('ProdReadOnly membership added next to the role groups', during.groups.join() === 'AllStaff,ProdReadOnly,Sales', during.groups.join(', '));
    report.check('expiry schedule created in EventBridge Scheduler', await expiryScheduled(lowId));

    const revoked = await api.revoke(lowId);
    report.check('early revoke by the requester: 202 revoking', revoked.status === 202 && revoked.body.status === 'revoking', `HTTP ${revoked.status}`);
    const revokeRun = await finishedExecution(sfn, 'time-bound', `${lowId}-revoke`, 30_000);
    report.check('revoke execution SUCCEEDED', revokeRun.status === 'SUCCEEDED', outcome(revokeRun));
    const ended = await api.status(lowId);
    report.check('request ended, reason revoked', ended.status === 'ended' && ended.endReason === 'revoked', `${String(ended.status)}, ${String(ended.endReason)}`);
    const after = await accessOf(id, userName);
    report.check('ProdReadOnly gone, role access stays', after.groups.join() === 'AllStaff,Sales', after.groups.join(', '));
    report.check('expiry schedule deleted (nothing left to fire)', !(await expiryScheduled(lowId)));

    const high = await api.ask('group:ProdAdmin', 'PT1H', 'Demo: incident INC-42, restart the payment workers', `demo-${runId}-time-bound-high`);
    const highId = String(high.body.requestId);
    report.check('POST /access-requests ProdAdmin for 1 h: 202', high.status === 202, `HTTP ${high.status} ${highId}`);
    await api.reaches(highId, 'pending-approval');
    report.check('high risk: pending approval, no ProdAdmin membership yet', !(await accessOf(id, userName)).groups.includes('ProdAdmin'));
    for (const approver of [MANAGER, PLATFORM_OWNERS]) {
      const decided = await decide(await approvalLink(cloud.endpoints.ses, approver, id), 'approve', 'Go ahead for the incident');
      report.check(`${approver} approved by link`, decided.pageStatus === 200 && decided.decisionStatus === 303, `GET ${decided.pageStatus}, POST ${decided.decisionStatus}`);
    }
    const highRun = await finishedExecution(sfn, 'time-bound', highId, 30_000);
    report.check('grant execution SUCCEEDED after both approvals', highRun.status === 'SUCCEEDED', outcome(highRun));
    const applied = await api.status(highId);
    const now = await accessOf(id, userName);
    report.check('request granted, ProdAdmin applied until expiry', applied.status === 'granted' && now.groups.includes('ProdAdmin'), `expires ${String(applied.expiresAt)}`);
    const count = (kind: string) => now.auditKinds.filter((k) => k === kind).length;
    report.check(
      'audit chain intact: 4 grant.applied (2 role, 2 time-bound), 1 grant.revoked',
      now.auditChainOk && count('grant.applied') === 4 && count('grant.revoked') === 1,
      `${count('grant.applied')} applied, ${count('grant.revoked')} revoked`,
    );

    // Left waiting on purpose: something for the console's Approvals page (the manager's inbox) after the demo.
    const waiting = await api.ask('group:CustomerDataRaw', 'PT4H', 'Demo: churn analysis on last quarter raw events (DATA-981)', `demo-${runId}-time-bound-waiting`);
    const waitingId = String(waiting.body.requestId);
    report.check('POST /access-requests CustomerDataRaw for 4 h: 202', waiting.status === 202, `HTTP ${waiting.status} ${waitingId}`);
    const pending = await api.reaches(waitingId, 'pending-approval').then(() => true, () => false);
    report.check(`left pending approval by ${MANAGER}, to decide in the console (Approvals)`, pending && !(await accessOf(id, userName)).groups.includes('CustomerDataRaw'));
  },
};

export const timeBoundScenarios: Scenario[] = [timeBoundAccess];
