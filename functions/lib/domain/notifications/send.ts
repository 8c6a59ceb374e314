import { createHash } from 'node:crypto';
import type { Clock } from '../shared/clock.ts';
import { TransientError, ValidationError } from '../shared/errors.ts';
import { notificationSchema, type Notification, type NotificationKind } from './kinds.ts';
import type { ChannelPoster, NotificationLedger, NotificationMailer } from './ports.ts';
import { recipientsOf } from './recipients.ts';
import { deliveryOf } from './delivery.ts';
import { renderNotification } from './templates.ts';

/**
 * Sends one notification once. Its id is deterministic (kind, person, request), so a retried
 * step, a re-run Lambda or a second caller find the same ledger item: the send happens under a
 * short lease taken by a conditional write (state `sending`) and is recorded as `sent` afterwards.
 * A crash between SES accepting the mail and `markSent` leaves `sending` with an expired lease:
 * the kind's delivery (delivery.ts) says whether the next attempt sends again (at least once) or
 * marks it `uncertain` and sends nothing (at most once). A kind switched off sends nothing and
 * records nothing.
 */

export interface NotifierDeps {
  mailer: NotificationMailer;
  ledger: NotificationLedger;
  operatorEmail: string;
  switchedOff: ReadonlySet<NotificationKind>;
  clock: Clock;
  /** Posts a one-line summary of the kinds that go to the channel (access-ready, break-glass-used). */
  channel?: ChannelPoster;
  leaseSeconds?: number;
}

/** `maybe-sent`: an at-most-once kind whose earlier attempt crashed after claiming; not sent again. */
export type NotificationStatus = 'sent' | 'already-sent' | 'maybe-sent' | 'switched-off' | 'no-recipients';

export interface NotificationResult {
  kind: NotificationKind;
  status: NotificationStatus;
  recipients: number;
  messageId?: string;
  slack?: boolean;
}

/**
 * The ledger key of a notification: kind, person and request, hashed (no personal data in the key);
 * a `cancelled` notice of one approval step also keys by the step (a request may close several quorum steps, then be cancelled).
 */
export const notificationId = (n: Pick<Notification, 'kind' | 'requestId'> & { person: { employeeId: string }; approvalStep?: number }): string =>
  createHash('sha256')
    .update(`${n.kind}\n${n.person.employeeId}\n${n.requestId}${n.kind === 'cancelled' && n.approvalStep !== undefined ? `\nstep ${n.approvalStep}` : ''}`)
    .digest('hex')
    .slice(0, 40);

/** The channel's line for a kind, when that kind goes to the channel; no links, no tokens. */
function channelLine(n: Notification, subject: string): string | undefined {
  if (n.kind === 'break-glass-used') return `${subject}; ends ${n.endsAt}; reason: ${n.reason} (request ${n.requestId}, review ${n.reviewId})`;
  if (n.kind !== 'access-ready') return undefined;
  const granted = n.granted.map((e) => e.id).join(', ') || 'nothing new';
  return `${subject}, role ${n.role}: ${granted} (request ${n.requestId})`;
}

export async function sendNotification(deps: NotifierDeps, input: Notification): Promise<NotificationResult> {
  const parsed = notificationSchema.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ValidationError(`notification ${input.kind}: ${issue?.path.join('.') || '(root)'}: ${issue?.message}`);
  }
  const n = parsed.data;
  if (deps.switchedOff.has(n.kind)) return { kind: n.kind, status: 'switched-off', recipients: 0 };
  const to = recipientsOf(n, deps.operatorEmail);
  if (to.length === 0) return { kind: n.kind, status: 'no-recipients', recipients: 0 };

  const id = notificationId(n);
  const now = deps.clock.now();
  const leaseUntil = new Date(now.getTime() + (deps.leaseSeconds ?? 60) * 1000).toISOString();
  const claim = await deps.ledger.claim({ notificationId: id, kind: n.kind, employeeId: n.person.employeeId, requestId: n.requestId, now: now.toISOString(), leaseUntil });
  if (claim === 'sent') return { kind: n.kind, status: 'already-sent', recipients: to.length };
  if (claim === 'busy') throw new TransientError(`another attempt is sending the ${n.kind} notification right now; retry later`);
  if (claim === 'reclaimed' && deliveryOf(n.kind) === 'at-most-once') {
    await deps.ledger.markUncertain(id, deps.clock.now().toISOString());
    return { kind: n.kind, status: 'maybe-sent', recipients: to.length };
  }

  const content = renderNotification(n);
  let messageId: string | undefined;
  try {
    messageId = await deps.mailer.send({ to, ...content });
  } catch (error) {
    await deps.ledger.release(id).catch(() => undefined);
    throw error;
  }
  await deps.ledger.markSent(id, deps.clock.now().toISOString(), messageId, to.length);
  const line = deps.channel ? channelLine(n, content.subject) : undefined;
  if (deps.channel && line) await deps.channel(line);
  return { kind: n.kind, status: 'sent', recipients: to.length, ...(messageId ? { messageId } : {}), ...(line ? { slack: true } : {}) };
}
