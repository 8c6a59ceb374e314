import { describe, expect, it } from 'vitest';
import { deliveryOf } from '#lib/domain/notifications/delivery';
import { NOTIFICATION_KINDS, type NotificationKind } from '#lib/domain/notifications/kinds';
import { sendNotification } from '#lib/domain/notifications/send';
import { SAMPLES, notifierFakes } from './fakes.ts';

/**
 * The window between SES accepting a mail and the ledger recording it (issue #18), with the fault
 * injected there: the process dies after the send, a retry comes once the lease is over. An
 * at-least-once kind mails again (two copies, none lost); an at-most-once kind does not (it is
 * `uncertain`, the step goes on). Outside that window nothing is sent twice.
 */
const sample = (kind: NotificationKind) => SAMPLES.find((s) => s.notification.kind === kind)!.notification;

function crashAfterSes(kind: NotificationKind) {
  const fakes = notifierFakes();
  let now = Date.parse('2026-03-02T09:00:00Z');
  const deps = { ...fakes.deps, clock: { now: () => new Date(now) }, leaseSeconds: 60 };
  fakes.ledger.crashBeforeMarkSent = 1;
  const notification = sample(kind);
  return {
    ...fakes,
    first: () => sendNotification(deps, notification),
    retryAfter: (seconds: number) => {
      now += seconds * 1000;
      return sendNotification(deps, notification);
    },
  };
}

describe('a crash between SES accepting the mail and the ledger recording it', () => {
  it('says, for every kind, which choice it makes; security-relevant kinds are at least once', () => {
    for (const kind of NOTIFICATION_KINDS) expect(['at-least-once', 'at-most-once']).toContain(deliveryOf(kind));
    for (const kind of ['access-revoked', 'workflow-failed', 'denied', 'cancelled', 'identity-conflict', 'access-expired'] as const) expect(deliveryOf(kind)).toBe('at-least-once');
    expect(deliveryOf('access-ending-soon')).toBe('at-most-once');
    expect(deliveryOf('approved')).toBe('at-most-once');
  });

  it('at least once (access-revoked): a retry within the lease waits, after it mails again; then never more', async () => {
    const run = crashAfterSes('access-revoked');

    await expect(run.first()).rejects.toThrow('the process died before recording the mail');
    expect(run.mailer.sent).toHaveLength(1);
    await expect(run.retryAfter(30)).rejects.toMatchObject({ name: 'TransientError' });
    expect(await run.retryAfter(31)).toMatchObject({ status: 'sent' });
    expect(await run.retryAfter(1)).toMatchObject({ status: 'already-sent' });

    expect(run.mailer.sent).toHaveLength(2);
    expect(run.mailer.sent[1]).toEqual(run.mailer.sent[0]);
  });

  it('at most once (access-ending-soon): the retry sends nothing, records the mail as uncertain, and later ones say already-sent', async () => {
    const run = crashAfterSes('access-ending-soon');

    await expect(run.first()).rejects.toThrow('the process died before recording the mail');
    expect(await run.retryAfter(61)).toMatchObject({ status: 'maybe-sent' });
    expect(await run.retryAfter(1)).toMatchObject({ status: 'already-sent' });

    expect(run.mailer.sent).toHaveLength(1);
    expect([...run.ledger.items.values()][0]).toMatchObject({ uncertain: true, sentAt: expect.any(String) });
  });

  it('a send SES refused is not that window: the at-most-once kind is sent by the next attempt', async () => {
    const run = crashAfterSes('approved');
    run.ledger.crashBeforeMarkSent = 0;
    run.mailer.failNext = 1;

    await expect(run.first()).rejects.toThrow('SES is down');
    expect(await run.retryAfter(1)).toMatchObject({ status: 'sent' });
    expect(run.mailer.sent).toHaveLength(1);
  });
});
