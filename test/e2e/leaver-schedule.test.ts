import { setTimeout as sleep } from 'node:timers/promises';
import { SchedulerClient } from '@aws-sdk/client-scheduler';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { hirePayload } from '../../local/demo/hris.ts';
import { accessOf } from '../../local/demo/inspect.ts';
import { finishedExecution } from '../../local/demo/run.ts';
import { scheduledLeave } from '../../functions/lib/domain/schedules/schedules.ts';
import { until } from '../support/poll.ts';
import { dayFromToday, employeeId, expectedAccess, finishedJoiner, startE2eCloud, userNameOf, type E2eCloud } from './support/e2e-cloud.ts';
import { cancelBody, firedLeavers, leaveBody, scheduledEvent, secondsAhead } from './support/leaver.ts';

/**
 * Future-dated leave on the whole local cloud: the leaver puts the person's one end-of-access
 * schedule at effectiveAt and ends; the schedule starts the leaver again then, which revokes.
 * A newer event moves it, an older one does not, a cancellation deletes it (and puts the
 * contract end date back). Nothing is revoked before its time.
 */

let e2e: E2eCloud;
let scheduler: SchedulerClient;

beforeAll(async () => {
  e2e = await startE2eCloud('leaver-schedule');
  scheduler = new SchedulerClient({});
});

afterAll(async () => {
  scheduler?.destroy();
  await e2e?.stop();
});

const leaverOf = (deliveryId: string) => finishedExecution(e2e.sfn, 'leaver', `generic-${deliveryId}`, 30_000);

async function hire(id: string, endDate?: string): Promise<void> {
  const posted = await e2e.hris.post(hirePayload({ id, role: 'sales', ...(endDate ? { endDate } : {}) }), `${id}-hire`);
  if (posted.status !== 202) throw new Error(`hire answered ${posted.status}`);
  const joiner = await finishedJoiner(e2e.sfn, `generic-${id}-hire`);
  if (joiner.status !== 'SUCCEEDED') throw new Error(`joiner ${joiner.status}`);
}

/** The one leaver a schedule started for `deliveryId`, once it finished. */
const firedOnce = (deliveryId: string) =>
  until(() => firedLeavers(e2e.sfn, deliveryId), (list) => list.length === 1 && list[0]?.status !== 'RUNNING', { timeoutMs: 30_000, everyMs: 250, what: `the scheduled leaver of ${deliveryId}` });

const holdsAccess = async (id: string) => {
  const access = await accessOf(id, userNameOf(id));
  return access.users === 1 && access.activeGrants === expectedAccess('sales').entitlements;
};

describe.concurrent('future-dated leave on the local cloud', () => {
  it('is scheduled, fires at effectiveAt (not before), revokes, and leaves no schedule', async ({ expect }) => {
    const id = employeeId('lss');
    await hire(id);
    const effectiveAt = secondsAhead(4_000);

    await e2e.hris.post(leaveBody(id, effectiveAt), `${id}-leave`);

    const first = await leaverOf(`${id}-leave`);
    expect(first.status).toBe('SUCCEEDED');
    expect(JSON.parse(first.output ?? '{}')).toEqual({
      action: 'scheduled',
      scheduleName: `leave-${id}`,
      effectiveAt: effectiveAt.toISOString().replace('.000Z', 'Z'),
      change: 'scheduled',
      outcome: { result: 'leave-scheduled', words: 'leave scheduled (access ends on the effective date)' },
    });
    expect((await scheduledEvent(scheduler, id))?.deliveryId).toBe(`generic-${id}-leave`);
    expect(await holdsAccess(id)).toBe(true);
    const [fired] = await firedOnce(`generic-${id}-leave`);
    expect(fired?.status).toBe('SUCCEEDED');
    expect(fired?.startDate?.getTime()).toBeGreaterThanOrEqual(effectiveAt.getTime());
    expect(await accessOf(id, userNameOf(id))).toMatchObject({ users: 0, memberships: 0, volumes: [], activeGrants: 0, auditChainOk: true });
    expect(await scheduledEvent(scheduler, id)).toBeUndefined();
  });

  it('moved later by a newer event: fires at the new time only', async ({ expect }) => {
    const id = employeeId('lsm');
    await hire(id);
    // Both leavers must decide before firstAt: once the first schedule fires, Scheduler deletes it
    // (ActionAfterCompletion DELETE) and the second leave finds nothing to move. 3 s was too little
    // on a loaded machine, so the margin is wide and checked below.
    const firstAt = secondsAhead(10_000);
    const movedAt = secondsAhead(16_000);
    await e2e.hris.post(leaveBody(id, firstAt), `${id}-leave1`);
    expect((await leaverOf(`${id}-leave1`)).status).toBe('SUCCEEDED');

    await e2e.hris.post(leaveBody(id, movedAt), `${id}-leave2`);

    const second = await leaverOf(`${id}-leave2`);
    expect(second.stopDate?.getTime(), 'the second leave must be decided before the first one is due').toBeLessThan(firstAt.getTime());
    expect(JSON.parse(second.output ?? '{}')).toMatchObject({ action: 'scheduled', change: 'moved' });
    await sleep(Math.max(0, firstAt.getTime() + 2_000 - Date.now()));
    expect(await holdsAccess(id)).toBe(true);
    const [fired] = await firedOnce(`generic-${id}-leave2`);
    expect(fired?.startDate?.getTime()).toBeGreaterThanOrEqual(movedAt.getTime());
    expect(await firedLeavers(e2e.sfn, `generic-${id}-leave1`)).toEqual([]);
    expect((await accessOf(id, userNameOf(id))).users).toBe(0);
  });

  it('an older, late-delivered event does not move the newer decision', async ({ expect }) => {
    const id = employeeId('lso');
    await hire(id);
    // Wide enough for both leavers to decide before the newer one is due (see the test above).
    const decidedAt = secondsAhead(10_000);
    await e2e.hris.post(leaveBody(id, decidedAt), `${id}-new`);
    expect((await leaverOf(`${id}-new`)).status).toBe('SUCCEEDED');

    await e2e.hris.post(leaveBody(id, secondsAhead(2_000), new Date(Date.now() - 60_000)), `${id}-old`);

    // The old event occurred before the hire, whose occurredAt is the person's statusOccurredAt: the
    // per-person ordering gate (issue #11) ends it as ignored: stale, with a request.ignored entry,
    // before the scheduled decision is compared (leave-timing.test.ts covers older-than-current).
    const old = await leaverOf(`${id}-old`);
    expect(old.status).toBe('SUCCEEDED');
    expect(JSON.parse(old.output ?? '{}')).toMatchObject({ action: 'ignored', why: 'stale' });
    const audit = await accessOf(id, userNameOf(id));
    expect(audit.auditKinds.filter((kind) => kind === 'request.ignored')).toHaveLength(1);
    expect(audit.auditKinds.filter((kind) => kind === 'leave.decided')).toHaveLength(1);
    expect((await scheduledEvent(scheduler, id))?.deliveryId).toBe(`generic-${id}-new`);
    const [fired] = await firedOnce(`generic-${id}-new`);
    expect(fired?.startDate?.getTime()).toBeGreaterThanOrEqual(decidedAt.getTime());
    expect(await firedLeavers(e2e.sfn, `generic-${id}-old`)).toEqual([]);
  });

  it('cancelled: never fires, access intact, the contract end date scheduled again', async ({ expect }) => {
    const id = employeeId('lsc');
    const endDate = dayFromToday(90);
    await hire(id, endDate);
    // The cancellation must be decided before the leave is due (see 'moved later' above).
    const effectiveAt = secondsAhead(8_000);
    await e2e.hris.post(leaveBody(id, effectiveAt), `${id}-leave`);
    expect((await leaverOf(`${id}-leave`)).status).toBe('SUCCEEDED');

    await e2e.hris.post(cancelBody(id), `${id}-cancel`);

    const cancelled = await leaverOf(`${id}-cancel`);
    expect(cancelled.status).toBe('SUCCEEDED');
    expect(JSON.parse(cancelled.output ?? '{}')).toEqual({
      action: 'cancelled',
      deleted: `generic-${id}-leave`,
      restoredEndAt: `${endDate}T23:59:59Z`,
      outcome: { result: 'leave-cancelled', words: 'leave cancelled' },
    });
    expect(await scheduledEvent(scheduler, id)).toEqual(scheduledLeave(id, `${endDate}T23:59:59Z`, 'generic'));
    await sleep(Math.max(0, effectiveAt.getTime() + 2_500 - Date.now()));
    expect(await firedLeavers(e2e.sfn, `generic-${id}-leave`)).toEqual([]);
    expect(await holdsAccess(id)).toBe(true);
    const access = await accessOf(id, userNameOf(id));
    expect(access.auditKinds.filter((kind) => kind === 'leave.decided')).toHaveLength(2);
    expect(access.auditChainOk).toBe(true);
  });

  it('a cancellation after the leave ran is ignored, with the reason in its output', async ({ expect }) => {
    const id = employeeId('lsl');
    await hire(id);
    await e2e.hris.post(leaveBody(id, new Date()), `${id}-leave`);
    expect((await leaverOf(`${id}-leave`)).status).toBe('SUCCEEDED');

    await e2e.hris.post(cancelBody(id), `${id}-cancel`);

    const cancelled = await leaverOf(`${id}-cancel`);
    expect(JSON.parse(cancelled.output ?? '{}')).toEqual({
      action: 'ignored',
      why: 'already-left',
      reason: 'cancellation ignored: the leave already ran (employee status left); re-hire to restore access',
      outcome: { result: 'ignored', words: 'ignored (nothing changed): already-left' },
    });
    expect((await accessOf(id, userNameOf(id))).users).toBe(0);
  });
});
