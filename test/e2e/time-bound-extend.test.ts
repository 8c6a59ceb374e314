import { GetScheduleCommand, SchedulerClient } from '@aws-sdk/client-scheduler';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SCHEDULE_GROUP_NAME } from '../../infra/spec/wiring.ts';
import { fastForwardClock } from '../../local/core/emulator-clock.ts';
import { approvalLink, decide } from '../../local/demo/approver.ts';
import { hirePayload } from '../../local/demo/hris.ts';
import { accessOf } from '../../local/demo/inspect.ts';
import { finishedExecution } from '../../local/demo/run.ts';
import { endingSoonScheduleName, expiryScheduleName } from '../../functions/lib/domain/schedules/schedules.ts';
import { formatTime, schedulerAt } from '../../functions/lib/domain/shared/dates.ts';
import { until } from '../support/poll.ts';
import { notificationMail } from './support/notifications.ts';
import { employeeId, finishedJoiner, startE2eCloud, userNameOf, type E2eCloud } from './support/e2e-cloud.ts';

/**
 * Extending a running time-bound grant on the whole local cloud (issue #17), with the Scheduler's
 * clock fast-forwarded instead of waiting: a high-risk grant is extended through the same two
 * approvers, the expiry and reminder schedules move to the new end, a replay of the same request
 * starts nothing, a denied second extension leaves the end where it was, one over the maximum total is
 * refused before anything starts, and the grant ends at the new end, not the old one.
 */

const MANAGER = 'dana.lead@example.com';
const OWNER = 'platform-owners@example.com';
const schedulerClock = fastForwardClock();
let e2e: E2eCloud;
let scheduler: SchedulerClient;

beforeAll(async () => {
  e2e = await startE2eCloud('time-bound-extend', { schedulerClock });
  scheduler = new SchedulerClient({});
});

afterAll(async () => {
  scheduler?.destroy();
  await e2e?.stop();
});

async function api(method: string, path: string, email: string, body?: unknown, key?: string) {
  const token = await e2e.cloud.issueToken({ email });
  const res = await fetch(`${e2e.frontDoor}${path}`, {
    method,
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, ...(key ? { 'idempotency-key': key } : {}) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

const approveAll = async (about: string, choice: 'approve' | 'deny' = 'approve') => {
  for (const approver of choice === 'approve' ? [MANAGER, OWNER] : [MANAGER]) {
    expect(await decide(await approvalLink(e2e.cloud.endpoints.ses, approver, about), choice, choice === 'deny' ? 'not this time' : '')).toEqual({ pageStatus: 200, decisionStatus: 303 });
  }
};
const expression = async (name: string) => (await scheduler.send(new GetScheduleCommand({ Name: name, GroupName: SCHEDULE_GROUP_NAME }))).ScheduleExpression;

describe('time-bound extensions on the local cloud', () => {
  it('moves the end and both schedules after approval; a replay starts nothing, a denial and an over-long one change nothing; access ends at the new end', async () => {
    const id = employeeId('ext');
    const holder = userNameOf(id);
    await e2e.hris.post(hirePayload({ id, role: 'sales', managerEmail: MANAGER }), `${id}-hire`);
    expect((await finishedJoiner(e2e.sfn, `generic-${id}-hire`)).status).toBe('SUCCEEDED');
    const asked = await api('POST', '/access-requests', holder, { entitlementId: 'group:ProdAdmin', duration: 'PT1H', justification: 'INC-4242: restart payments' }, `${id}-grant`);
    const grantId = String(asked.body.requestId);
    await approveAll(id);
    const granted = await until(() => api('GET', `/access-requests/${grantId}`, holder), (r) => r.body.status === 'granted', { timeoutMs: 20_000, everyMs: 300 });
    const oldEnd = String(granted.body.expiresAt);
    const newEnd = new Date(Date.parse(oldEnd) + 2 * 3_600_000).toISOString().replace('.000Z', 'Z');

    const body = { by: 'PT2H', reason: 'INC-4242 still open, rollback pending' };
    const first = await api('POST', `/access-requests/${grantId}/extend`, holder, body, `${id}-ext-1`);
    const replay = await api('POST', `/access-requests/${grantId}/extend`, holder, body, `${id}-ext-1`);
    const tooLong = await api('POST', `/access-requests/${grantId}/extend`, holder, { by: 'PT4H', reason: 'a whole afternoon more' }, `${id}-ext-2`);
    expect(first).toEqual({ status: 202, body: { requestId: expect.stringMatching(/^ex-/), extends: grantId, status: 'submitted', currentEnd: oldEnd, newEnd } });
    expect(replay.body.requestId).toBe(first.body.requestId);
    expect(tooLong.status).toBe(400);
    expect(tooLong.body.message).toContain('makes 5 hours in all, over the 4 hours maximum for group:ProdAdmin');
    const extensionId = String(first.body.requestId);

    // The same approvers, told the end now and the end asked for (each mail found by the end it asks for).
    await approveAll(`Would end: ${formatTime(newEnd)}`);
    expect((await finishedExecution(e2e.sfn, 'time-bound', extensionId, 20_000)).status).toBe('SUCCEEDED');
    expect((await api('GET', `/access-requests/${grantId}`, holder)).body.expiresAt).toBe(newEnd);
    expect((await api('GET', `/access-requests/${extensionId}`, holder)).body).toMatchObject({ kind: 'extension', status: 'extended', currentEnd: oldEnd, newEnd });
    expect(await expression(expiryScheduleName(grantId))).toBe(schedulerAt(newEnd));
    expect(await expression(endingSoonScheduleName(grantId))).toBe(schedulerAt(new Date(Date.parse(newEnd) - 15 * 60_000).toISOString()));
    const told = await notificationMail(e2e.cloud.endpoints.ses, /^Time-bound access of .* extended until /, extensionId);
    expect(told.destination.to).toContain(holder);
    const extended = (await accessOf(id, holder)).auditKinds.filter((kind) => kind === 'grant.extended');
    expect(extended).toHaveLength(1);

    // A second extension, denied by the manager: the grant keeps its (extended) end.
    const denied = await api('POST', `/access-requests/${grantId}/extend`, holder, { by: 'PT30M', reason: 'a little longer please' }, `${id}-ext-3`);
    await approveAll(`Would end: ${formatTime(new Date(Date.parse(newEnd) + 30 * 60_000).toISOString())}`, 'deny');
    expect((await finishedExecution(e2e.sfn, 'time-bound', String(denied.body.requestId), 20_000)).status).toBe('SUCCEEDED');
    expect((await api('GET', `/access-requests/${String(denied.body.requestId)}`, holder)).body.status).toBe('denied');
    expect((await api('GET', `/access-requests/${grantId}`, holder)).body.expiresAt).toBe(newEnd);

    // Past the old end the grant holds; past the new end it expires.
    schedulerClock.advance(Date.parse(oldEnd) - Date.now() + 60_000);
    expect((await api('GET', `/access-requests/${grantId}`, holder)).body.status).toBe('granted');
    schedulerClock.advance(2 * 3_600_000);
    const ended = await until(() => api('GET', `/access-requests/${grantId}`, holder), (r) => r.body.status === 'ended', { timeoutMs: 20_000, everyMs: 300 });
    expect(ended.body).toMatchObject({ endReason: 'expired', expiresAt: newEnd });
    expect((await accessOf(id, holder)).groups).not.toContain('ProdAdmin');
  }, 60_000);
});
