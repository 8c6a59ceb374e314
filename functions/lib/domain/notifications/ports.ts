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
 * Which notifications went out, keyed by a deterministic id (kind, person, request).
 * `claim` is one conditional write: `claimed` when nobody sent it and nobody holds a live lease,
 * `sent` when it went out already, `busy` when another attempt holds the lease right now.
 */
export interface NotificationLedger {
  claim(claim: NotificationClaim): Promise<'claimed' | 'sent' | 'busy'>;
  markSent(notificationId: string, at: string, messageId: string | undefined, recipients: number): Promise<void>;
  /** Gives a claim up after a failed send, so the next retry may send. */
  release(notificationId: string): Promise<void>;
}
