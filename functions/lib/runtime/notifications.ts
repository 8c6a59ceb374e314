import { z } from 'zod';
import { sesv2Client } from '../adapters/aws/clients/sesv2.ts';
import { createNotificationMailer } from '../adapters/aws/ses-notifications.ts';
import { documentClient } from '../adapters/dynamodb/client.ts';
import { createNotificationLedger } from '../adapters/dynamodb/notifications.ts';
import type { Notification } from '../domain/notifications/kinds.ts';
import type { ChannelPoster } from '../domain/notifications/ports.ts';
import { sendNotification, type NotificationResult, type NotifierDeps } from '../domain/notifications/send.ts';
import { parseSwitchedOff } from '../domain/notifications/switches.ts';
import { loadConfig } from './config.ts';

/**
 * The one way a function sends a notification: `notifier()` at cold start reads MAIL_FROM,
 * OPERATOR_EMAIL, NOTIFICATIONS_TABLE_NAME and NOTIFICATIONS_OFF (kinds switched off), and
 * returns `notify(notification)`. A function that notifies declares, in infra/spec/functions:
 * `tables: { notifications: 'write' }`, `ses:SendEmail` and env MAIL_FROM, OPERATOR_EMAIL, NOTIFICATIONS_OFF.
 */
export const notificationEnvSchema = z.object({
  MAIL_FROM: z.email(),
  OPERATOR_EMAIL: z.email(),
  NOTIFICATIONS_TABLE_NAME: z.string().min(1),
  NOTIFICATIONS_OFF: z.string().optional(),
});

export type Notify = (notification: Notification) => Promise<NotificationResult>;

export function notifierDeps(env: NodeJS.ProcessEnv = process.env, channel?: ChannelPoster): NotifierDeps {
  const config = loadConfig(notificationEnvSchema, env);
  return {
    mailer: createNotificationMailer({ client: sesv2Client, from: config.MAIL_FROM }),
    ledger: createNotificationLedger({ client: documentClient, tableName: config.NOTIFICATIONS_TABLE_NAME }),
    operatorEmail: config.OPERATOR_EMAIL,
    switchedOff: parseSwitchedOff(config.NOTIFICATIONS_OFF),
    clock: { now: () => new Date() },
    ...(channel ? { channel } : {}),
  };
}

export function notifier(env: NodeJS.ProcessEnv = process.env): Notify {
  const deps = notifierDeps(env);
  return (notification) => sendNotification(deps, notification);
}
