import type { NotificationKind } from './kinds.ts';

/** The ports the notification use case consumes. Implemented in: aws/ses.ts (mail), dynamodb/notifications.ts (ledger). */

export interface OutgoingNotificationMail {
  to: string[];
  subject: string;
  text: string;
  html: string;
}

/** Sends one mail to every recipient; returns the provider's message id. */
export interface NotificationMailer {
  send(mail: OutgoingNotificationMail): Promise<string | undefined>;
}

/** Posts one line to the operators' chat channel (Slack, docs/slack.md). */
export type ChannelPoster = (text: string) => Promise<void>;

export interface NotificationClaim {
  notificationId: string;
  kind: NotificationKind;
  employeeId: string;
  requestId: string;
  now: string;
  leaseUntil: string;
}

/**
 * Which notifications went out, keyed by a deterministic id (kind, person, request); each item
 * is in a state: `sending` (claimed, under a lease), `sent`, or `uncertain` (delivery.ts).
 * `claim` is one conditional write: `claimed` when nobody tried it or the last try was released
 * after a refused send; `reclaimed` when an earlier attempt's lease expired while `sending` (it
 * crashed, perhaps after SES accepted the mail); `sent` when it went out (or is `uncertain`);
 * `busy` when another attempt holds the lease right now.
 */
export type ClaimResult = 'claimed' | 'reclaimed' | 'sent' | 'busy';

export interface NotificationLedger {
  claim(claim: NotificationClaim): Promise<ClaimResult>;
  markSent(notificationId: string, at: string, messageId: string | undefined, recipients: number): Promise<void>;
  /** An at-most-once notification whose earlier attempt may have sent it: never tried again. */
  markUncertain(notificationId: string, at: string): Promise<void>;
  /** Gives a claim up after a failed send, so the next retry may send. */
  release(notificationId: string): Promise<void>;
}
