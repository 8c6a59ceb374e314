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
import { slackConnection } from './slack.ts';

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

/** Where a function finds Slack (docs/slack.md): the secret's name, and on the local cloud its stand-in. */
export const slackEnvSchema = z.object({ SLACK_SECRET_NAME: z.string().min(1).optional(), SLACK_API_URL: z.url({ protocol: /^https?$/ }).optional() });

/**
 * `notify` that also posts the channel's kinds (access-ready, break-glass-used) to the Slack
 * channel the secret names; mail only while Slack is off or names no channel. A function using it
 * also declares `secretsmanager:GetSecretValue` on the slack secret and env SLACK_SECRET_NAME.
 */
export function channelNotifier(env: NodeJS.ProcessEnv = process.env): Notify {
  const slack = slackConnection(loadConfig(slackEnvSchema, env));
  const deps = notifierDeps(env);
  return async (notification) => {
    const connection = await slack();
    const channel = connection?.credentials.channel;
    return sendNotification(connection && channel ? { ...deps, channel: async (text) => void (await connection.api.postMessage({ channel, text })) } : deps, notification);
  };
}
