import { GetScheduleCommand, ResourceNotFoundException, SchedulerClient } from '@aws-sdk/client-scheduler';
import { DescribeExecutionCommand, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { SCHEDULE_GROUP_NAME } from '../../infra/spec/wiring.ts';
import { executionArn, stateMachineArn } from '../../local/core/arn.ts';
import { approvalLink } from '../../local/demo/approver.ts';
import { notificationMail } from './support/notifications.ts';
import { hirePayload, leavePayload } from '../../local/demo/hris.ts';
import { accessOf } from '../../local/demo/inspect.ts';
import { finishedExecution } from '../../local/demo/run.ts';
import { approvalSchema } from '../../functions/lib/domain/approvals/approval.ts';
import { scheduleNameFor } from '../../functions/lib/domain/schedules/schedules.ts';
import { until } from '../support/poll.ts';
import { dayFromToday, employeeId, expectedAccess, finishedJoiner, startE2eCloud, userNameOf, type E2eCloud } from './support/e2e-cloud.ts';
import { firedLeavers, scheduledEvent, secondsAhead } from './support/leaver.ts';

/**
 * The leaver on the whole local cloud: a hire followed by a leave leaves nothing behind but the
 * retained snapshots; a leave while the hire waits for approval cancels it; a future-dated leave
 * is scheduled and revokes when the schedule fires; and a second leaver run changes nothing.
 */

const MANAGER = 'dana.lead@example.com';
let e2e: E2eCloud;
let doc: DynamoDBDocumentClient;
let scheduler: SchedulerClient;

beforeAll(async () => {
  e2e = await startE2eCloud('leaver');
  doc = DynamoDBDocumentClient.from(new DynamoDBClient({}));
  scheduler = new SchedulerClient({});
});

afterAll(async () => {
  doc?.destroy();
  scheduler?.destroy();
  await e2e?.stop();
});

const finishedLeaver = (name: string, timeoutMs = 60_000) => finishedExecution(e2e.sfn, 'leaver', name, timeoutMs);

async function hireEngineer(id: string): Promise<void> {
  const posted = await e2e.hris.post(hirePayload({ id, role: 'engineer' }), `${id}-hire`);
  if (posted.status !== 202) throw new Error(`hire answered ${posted.status}`);
  const joiner = await finishedJoiner(e2e.sfn, `generic-${id}-hire`);
  if (joiner.status !== 'SUCCEEDED') throw new Error(`joiner ${joiner.status}`);
}

/** Terminated instances stay visible for a while (as on AWS); nothing else may be left. */
const nothingLeft = { userId: undefined, users: 0, memberships: 0, groups: [], volumes: [], activeGrants: 0, auditChainOk: true };
const liveInstances = (instances: { state: string }[]) => instances.filter((instance) => instance.state !== 'terminated');

describe.concurrent('leaver on the local cloud', () => {
  it('takes everything from a hired engineer: no user, membership, instance or volume; snapshots kept; grants closed; audited', async ({ expect }) => {
    const id = employeeId('lv');
    await hireEngineer(id);
    const before = await accessOf(id, userNameOf(id));
    const want = expectedAccess('engineer');

    const posted = await e2e.hris.post(leavePayload({ id }), `${id}-leave`);

    expect(posted.status).toBe(202);
    const leaver = await finishedLeaver(`generic-${id}-leave`);
    expect(leaver.status).toBe('SUCCEEDED');
    const after = await accessOf(id, userNameOf(id));
    expect(after).toMatchObject(nothingLeft);
    expect(before.instances).toHaveLength(want.workstations);
    expect(liveInstances(after.instances)).toEqual([]);
    expect(after.revokedGrants).toBe(want.entitlements);
    expect(after.snapshots).toHaveLength(before.volumes.length);
    expect(after.snapshots.every((snapshot) => snapshot.retained && snapshot.state === 'completed')).toBe(true);
    expect(after.auditKinds.filter((kind) => kind === 'grant.revoked')).toHaveLength(want.entitlements);
    const report = JSON.parse(leaver.output ?? '{}') as { employeeId?: string; revokedEntitlements?: string[]; auditEntries?: number };
    expect(report.employeeId).toBe(id);
    expect(report.revokedEntitlements).toHaveLength(want.entitlements);
    const { Item } = await doc.send(new GetCommand({ TableName: e2e.cloud.env.EMPLOYEES_TABLE_NAME, Key: { employeeId: id }, ConsistentRead: true }));
    expect(Item).toMatchObject({ status: 'left' });
    const done = await notificationMail(e2e.cloud.endpoints.ses, /^Leaver done: /, id);
    expect(done.destination.to).toContain(e2e.cloud.env.OPERATOR_EMAIL);
    expect(done.body.text).toContain('Identity Center user: deleted');
    expect(done.body.text).toContain(`Workstations retired: ${want.workstations}`);
  });

  it('cancels a hire still waiting for approval: the joiner stops, the link says cancelled, nothing is provisioned', async ({ expect }) => {
    const id = employeeId('lvp');
    await e2e.hris.post(hirePayload({ id, role: 'finance-admin', managerEmail: MANAGER }), `${id}-hire`);
    const link = await approvalLink(e2e.cloud.endpoints.ses, MANAGER, id);

    await e2e.hris.post(leavePayload({ id, immediate: true }), `${id}-leave`);

    const leaver = await finishedLeaver(`generic-${id}-leave`);
    expect(leaver.status).toBe('SUCCEEDED');
    const joiner = await finishedJoiner(e2e.sfn, `generic-${id}-hire`, 20_000);
    expect(joiner.status).toBe('ABORTED');
    const approvalId = link.split('/').pop() ?? '';
    const { Item } = await doc.send(new GetCommand({ TableName: e2e.cloud.env.APPROVALS_TABLE_NAME, Key: { approvalId }, ConsistentRead: true }));
    expect(approvalSchema.parse(Item).status).toBe('cancelled');
    const page = await fetch(link);
    expect(await page.text()).toContain('This request was cancelled');
    const told = await notificationMail(e2e.cloud.endpoints.ses, /^No decision needed any more: /, id);
    expect(told.destination.to).toEqual([MANAGER]);
    expect(told.body.text).toContain(`(${id}) left the company (leave generic-${id}-leave)`);
    expect(await accessOf(id, userNameOf(id))).toMatchObject({ ...nothingLeft, instances: [], snapshots: [], revokedGrants: 0 });
  });

  it('schedules a future-dated leave in place of the end-date schedule; it fires on time and revokes', async ({ expect }) => {
    const id = employeeId('lvf');
    const hire = await e2e.hris.post(hirePayload({ id, role: 'sales', endDate: dayFromToday(90) }), `${id}-hire`);
    expect(hire.status).toBe(202);
    expect((await finishedJoiner(e2e.sfn, `generic-${id}-hire`)).status).toBe('SUCCEEDED');
    const effectiveAt = secondsAhead(3_000);

    await e2e.hris.post(leavePayload({ id, effectiveAt: effectiveAt.toISOString() }), `${id}-leave`);

    const leaver = await finishedLeaver(`generic-${id}-leave`);
    expect(leaver.status).toBe('SUCCEEDED');
    expect(JSON.parse(leaver.output ?? '{}')).toMatchObject({ action: 'scheduled', scheduleName: scheduleNameFor(id), change: 'scheduled' });
    expect((await scheduledEvent(scheduler, id))?.deliveryId).toBe(`generic-${id}-leave`);
    expect((await accessOf(id, userNameOf(id))).users).toBe(1);
    const [fired] = await until(() => firedLeavers(e2e.sfn, `generic-${id}-leave`), (list) => list.length === 1 && list[0]?.status !== 'RUNNING', {
      timeoutMs: 30_000,
      everyMs: 250,
      what: 'the scheduled leaver',
    });
    expect(fired?.status).toBe('SUCCEEDED');
    expect(fired?.startDate?.getTime()).toBeGreaterThanOrEqual(effectiveAt.getTime());
    expect(await accessOf(id, userNameOf(id))).toMatchObject({ ...nothingLeft, instances: [] });
    await expect(scheduler.send(new GetScheduleCommand({ Name: scheduleNameFor(id), GroupName: SCHEDULE_GROUP_NAME }))).rejects.toBeInstanceOf(ResourceNotFoundException);
  });

  it('changes nothing when the leaver runs a second time', async ({ expect }) => {
    const id = employeeId('lv2');
    await hireEngineer(id);
    await e2e.hris.post(leavePayload({ id }), `${id}-leave`);
    expect((await finishedLeaver(`generic-${id}-leave`)).status).toBe('SUCCEEDED');
    const first = await accessOf(id, userNameOf(id));
    expect(first).toMatchObject(nothingLeft);
    const event = { type: 'employee.left', deliveryId: `${id}-again`, source: 'generic', occurredAt: new Date().toISOString(), employeeId: id, effectiveAt: new Date().toISOString(), immediate: true };

    await e2e.sfn.send(new StartExecutionCommand({ stateMachineArn: stateMachineArn('leaver'), name: `${id}-again`, input: JSON.stringify(event) }));

    const second = await finishedLeaver(`${id}-again`);
    expect(second.status).toBe('SUCCEEDED');
    expect(JSON.parse(second.output ?? '{}')).toMatchObject({ revokedEntitlements: [], auditEntries: 0 });
    // The second delivery is audited as received (who asked, and when); nothing else changes.
    expect(await accessOf(id, userNameOf(id))).toEqual({ ...first, auditEntries: first.auditEntries + 1, auditKinds: [...first.auditKinds, 'request.received'] });
    const described = await e2e.sfn.send(new DescribeExecutionCommand({ executionArn: executionArn('leaver', `${id}-again`) }));
    expect(described.status).toBe('SUCCEEDED');
  });
});
