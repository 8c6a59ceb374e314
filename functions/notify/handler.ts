import { z } from 'zod';
import { loadConfig } from '#lib/runtime/config';
import { accessNotification } from '#lib/domain/notifications/access-ready';
import { notifyInputSchema } from '#lib/tasks/notify';
import { sendNotification, type NotificationResult } from '#lib/domain/notifications/send';
import { notifierDeps } from '#lib/runtime/notifications';
import { logger } from '#lib/runtime/logger';
import { taskHandler } from '#lib/runtime/task-handler';
import { slackConnection } from '#lib/runtime/slack';

/** Notify (contract and step: lib/tasks/notify.ts). */
const slack = slackConnection(
  loadConfig(z.object({ SLACK_SECRET_NAME: z.string().min(1).optional(), SLACK_API_URL: z.url({ protocol: /^https?$/ }).optional() })),
);
const deps = notifierDeps();

export const handler = taskHandler(notifyInputSchema, async (input): Promise<NotificationResult> => {
  const connection = await slack();
  const channel = connection?.credentials.channel;
  const result = await sendNotification(
    connection && channel ? { ...deps, channel: async (text) => void (await connection.api.postMessage({ channel, text })) } : deps,
    accessNotification(input),
  );
  logger.info('access notification', { kind: result.kind, status: result.status, recipients: result.recipients });
  return result;
});
