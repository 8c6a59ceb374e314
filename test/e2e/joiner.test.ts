import { setTimeout as sleep } from 'node:timers/promises';
import { GetScheduleCommand, ResourceNotFoundException, SchedulerClient } from '@aws-sdk/client-scheduler';
import { DescribeExecutionCommand, GetExecutionHistoryCommand, StopExecutionCommand } from '@aws-sdk/client-sfn';
import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { SCHEDULE_GROUP_NAME } from '../../infra/spec/wiring.ts';
import { createAuditStore } from '../../functions/lib/adapters/dynamodb/audit.ts';
import { executionArn } from '../../local/core/arn.ts';
import { approvalLink } from '../../local/demo/approver.ts';
import { notificationMail } from './support/notifications.ts';
import { hirePayload } from '../../local/demo/hris.ts';
import { accessOf } from '../../local/demo/inspect.ts';
import { waitFor } from '../../local/demo/report.ts';
import { approvalSchema } from '../../functions/lib/domain/approvals/approval.ts';
import { csrfCookieName, csrfToken } from '../../functions/lib/domain/approvals/csrf.ts';
import { scheduleNameFor } from '../../functions/lib/domain/schedules/schedules.ts';
import { dayFromToday, employeeId, expectedAccess, finishedJoiner, startE2eCloud, userNameOf, type E2eCloud } from './support/e2e-cloud.ts';

/**
 * The joiner on the whole local cloud, for outcomes no person has to click: a low-risk hire is
 * provisioned end to end, a contractor also gets the schedule that ends the contract, a
 * future-dated hire waits for its lead time, and a high-risk hire nobody approves expires
 * (APPROVAL_TIMEOUT_SECONDS is 2 in this file's cloud).
 */

const MANAGER = 'dana.lead@example.com';
let e2e: E2eCloud;
let scheduler: SchedulerClient;
let doc: DynamoDBDocumentClient;

beforeAll(async () => {
  e2e = await startE2eCloud('joiner', { functionEnv: { APPROVAL_TIMEOUT_SECONDS: '2' } });
  scheduler = new SchedulerClient({});
  doc = DynamoDBDocumentClient.from(new DynamoDBClient({}));
});

afterAll(async () => {
  scheduler?.destroy();
  doc?.destroy();
  await e2e?.stop();
});

const auditOf = (id: string) => createAuditStore({ client: new DynamoDBClient({}), tableName: e2e.cloud.env.AUDIT_TABLE_NAME ?? '', clock: { now: () => new Date() } }).listBySubject(id);

const getSchedule = (id: string) => scheduler.send(new GetScheduleCommand({ Name: scheduleNameFor(id), GroupName: SCHEDULE_GROUP_NAME }));

describe.concurrent('joiner on the local cloud', () => {
  it('refuses, audited, a hire with no role that no rule assigns (the shipped catalogue says unassigned: refuse): 202 to the HRIS, nothing provisioned', async ({ expect }) => {
    const id = employeeId('nor');
    const payload = hirePayload({ id, role: 'engineer' }) as { data: Record<string, unknown> };
    delete payload.data.role;

    const posted = await e2e.hris.post({ ...payload, data: { ...payload.data, department: 'Legal' } }, `${id}-hire`);

    expect(posted.status).toBe(202);
    const execution = await finishedJoiner(e2e.sfn, `generic-${id}-hire`);
    expect(execution.status).toBe('FAILED');
    expect(execution.error).toBe('RequestRejected');
    const access = await accessOf(id, userNameOf(id));
    expect(access.userId).toBeUndefined();
    expect(access.activeGrants).toBe(0);
    // Record Rejection audits a rejection as policy.decided (outcome denied, rule naming the error).
    expect(access.auditKinds).toEqual(['request.received', 'policy.decided']);
    expect(access.auditChainOk).toBe(true);
    const entries = await auditOf(id);
    expect(entries[0]?.detail).toMatchObject({ role: 'no-role', roleSource: 'unassigned', unassigned: 'refused', catalogueVersion: e2e.cloud.catalogue.version });
    expect(entries[1]?.detail).toMatchObject({ outcome: 'denied', policyRule: 'request-rejected:NoRoleAssignedError' });
    expect(entries[1]?.reason).toMatch(/no assignment rule matches its attributes \(department, employmentType\)/);
    expect(JSON.stringify(entries)).not.toContain('Legal');
  });

  it('provisions a low-risk hire: user, memberships, a running instance with its volume, grants and an intact audit chain', async ({ expect }) => {
    const id = employeeId('eng');
    const delivery = `${id}-hire`;

    const posted = await e2e.hris.post(hirePayload({ id, role: 'engineer' }), delivery);

    expect(posted.status).toBe(202);
    expect(JSON.parse(posted.body)).toEqual({ deliveryId: `generic-${delivery}`, events: 1 });
    const execution = await finishedJoiner(e2e.sfn, `generic-${delivery}`);
    expect(execution.status).toBe('SUCCEEDED');
    const want = expectedAccess('engineer');
    const access = await accessOf(id, userNameOf(id));
    expect(access.userId).toBeDefined();
    expect(access.users).toBe(1);
    expect(access.groups).toEqual(want.groups);
    expect(access.instances).toEqual([{ id: expect.stringMatching(/^i-/), state: 'running' }]);
    expect(access.volumes).toEqual([{ id: expect.stringMatching(/^vol-/), state: 'in-use', attachedTo: [access.instances[0]?.id] }]);
    expect(access.activeGrants).toBe(want.entitlements);
    expect(access.auditChainOk).toBe(true);
    expect(access.auditKinds.slice(0, 2)).toEqual(['request.received', 'policy.decided']);
    expect(access.auditKinds.filter((kind) => kind === 'grant.applied')).toHaveLength(want.entitlements);
    // A permanent employee has no end date, so nothing is scheduled.
    await expect(getSchedule(id)).rejects.toBeInstanceOf(ResourceNotFoundException);
  });

  it('gives a contractor with an end date a one-time schedule that starts the leaver workflow and deletes itself', async ({ expect }) => {
    const id = employeeId('ctr');
    const delivery = `${id}-hire`;
    const endDate = dayFromToday(90);

    const posted = await e2e.hris.post(hirePayload({ id, role: 'sales', endDate }), delivery);

    expect(posted.status).toBe(202);
    const execution = await finishedJoiner(e2e.sfn, `generic-${delivery}`);
    expect(execution.status).toBe('SUCCEEDED');
    const access = await accessOf(id, userNameOf(id));
    expect(access.groups).toEqual(expectedAccess('sales').groups);
    expect(access.instances).toEqual([]);
    const schedule = await getSchedule(id);
    expect(schedule).toMatchObject({
      ScheduleExpression: `at(${endDate}T23:59:59)`,
      ScheduleExpressionTimezone: 'UTC',
      FlexibleTimeWindow: { Mode: 'OFF' },
      ActionAfterCompletion: 'DELETE',
      State: 'ENABLED',
      Target: { Arn: e2e.cloud.env.LEAVER_STATE_MACHINE_ARN },
    });
    expect(e2e.cloud.env.LEAVER_STATE_MACHINE_ARN).toMatch(/:stateMachine:gatehouse-leaver$/);
    expect(JSON.parse(schedule.Target?.Input ?? '{}')).toMatchObject({ type: 'employee.left', employeeId: id, effectiveAt: `${endDate}T23:59:59Z`, immediate: false });
  });

  it('holds a future-dated hire in "Wait Until Lead Time" with nothing provisioned, waiting for the start day minus the lead time', async ({ expect }) => {
    const id = employeeId('fut');
    const name = `generic-${id}-hire`;
    const startDate = dayFromToday(30);

    const posted = await e2e.hris.post(hirePayload({ id, role: 'engineer', startDate }), `${id}-hire`);

    expect(posted.status).toBe(202);
    const entered = await waitFor('the lead-time wait', async () => {
      const { events = [] } = await e2e.sfn.send(new GetExecutionHistoryCommand({ executionArn: executionArn('joiner', name), reverseOrder: true, maxResults: 20 }));
      return events.find((event) => event.type === 'WaitStateEntered');
    }, 20_000);
    const waiting = JSON.parse(entered.stateEnteredEventDetails?.input ?? '{}') as { request?: { provisionAt?: string } };
    // PROVISION_LEAD_HOURS is 24 by default: provisioning starts at 00:00 UTC the day before the start date.
    expect(waiting.request?.provisionAt).toBe(`${dayFromToday(29)}T00:00:00Z`);
    expect((await e2e.sfn.send(new DescribeExecutionCommand({ executionArn: executionArn('joiner', name) }))).status).toBe('RUNNING');
    expect(await accessOf(id, userNameOf(id))).toMatchObject({ userId: undefined, instances: [], activeGrants: 0 });
    await e2e.sfn.send(new StopExecutionCommand({ executionArn: executionArn('joiner', name) }));
  });

  it('lets an unanswered high-risk hire expire: nothing provisioned, audited as expired, the link then says so and refuses a POST', async ({ expect }) => {
    const id = employeeId('exp');
    const delivery = `${id}-hire`;

    const posted = await e2e.hris.post(hirePayload({ id, role: 'finance-admin', managerEmail: MANAGER }), delivery);

    expect(posted.status).toBe(202);
    const link = await approvalLink(e2e.cloud.endpoints.ses, MANAGER, id);
    const execution = await finishedJoiner(e2e.sfn, `generic-${delivery}`);
    // Expiry is a business outcome ("Denied" succeed state), not a failed execution.
    expect(execution.status).toBe('SUCCEEDED');
    expect(JSON.parse(execution.output ?? '{}')).toMatchObject({ outcome: { outcome: 'approval.expired', status: 'expired' } });
    const access = await accessOf(id, userNameOf(id));
    expect(access).toMatchObject({ userId: undefined, users: 0, groups: [], instances: [], volumes: [], activeGrants: 0, auditChainOk: true });
    expect(access.auditKinds).toEqual(['request.received', 'policy.decided', 'approval.requested', 'approval.expired']);
    const { Item: request } = await doc.send(new GetCommand({ TableName: e2e.cloud.env.REQUESTS_TABLE_NAME, Key: { requestId: `generic-${delivery}` }, ConsistentRead: true }));
    expect(request).toMatchObject({ status: 'expired' });
    const told = await notificationMail(e2e.cloud.endpoints.ses, /^Not decided in time: /, id);
    expect(told.destination.to).toEqual([MANAGER, e2e.cloud.env.OPERATOR_EMAIL]);
    expect(told.body.text).toContain('nothing was provisioned');

    const approvalId = link.split('/').pop() ?? '';
    const { Item } = await doc.send(new GetCommand({ TableName: e2e.cloud.env.APPROVALS_TABLE_NAME, Key: { approvalId }, ConsistentRead: true }));
    const approval = approvalSchema.parse(Item);
    // The link's deadline is the approval-request function's clock + timeout, so it can trail the task's
    // timeout by that function's latency (reported as a gap); the page is judged once the link's own deadline passed.
    console.info(`the link's deadline trails the workflow's expiry by ${Date.parse(approval.expiresAt) - (execution.stopDate?.getTime() ?? 0)} ms`);
    await sleep(Math.max(0, Date.parse(approval.expiresAt) - Date.now() + 50));
    const page = await fetch(link);
    const html = await page.text();
    expect(page.status).toBe(200);
    expect(html).toContain('This link has expired');
    expect(html).not.toContain('name="csrf"');
    // A POST that passes every other check (the form token and cookie a browser would hold) is still refused.
    const token = csrfToken(approval);
    const refused = await fetch(link, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: `${csrfCookieName(approval.ref)}=${token}` },
      body: new URLSearchParams({ decision: 'approve', csrf: token }).toString(),
    });
    expect(refused.status).toBe(410);
    expect(await refused.text()).toContain('This link has expired');
    expect(approvalSchema.parse((await doc.send(new GetCommand({ TableName: e2e.cloud.env.APPROVALS_TABLE_NAME, Key: { approvalId }, ConsistentRead: true }))).Item).status).toBe('pending');
    expect((await accessOf(id, userNameOf(id))).userId).toBeUndefined();
  });
});
