import { z } from 'zod';
import { sesv2Client } from '#lib/adapters/aws/clients/sesv2';
import { loadConfig } from '#lib/runtime/config';
import { createAccessMailer } from '#lib/adapters/aws/ses-access-mailer';
import { notifyAccessReady, notifyInputSchema, type NotifyResult } from '#lib/domain/joiner/notify';
import { logger } from '#lib/runtime/logger';
import { taskHandler } from '#lib/runtime/task-handler';
import { slackConnection } from '#lib/runtime/slack';

/**
 * Notify: e-mails the manager and the operators that the joiner's access is ready, and posts
 * it to the Slack channel when one is configured (docs/slack.md). A retry
 * may send the mail twice (harmless). Returns { recipients, messageId } for $.results.notified.
 */
const config = loadConfig(
  z.object({
    MAIL_FROM: z.email(),
    OPERATOR_EMAIL: z.email(),
    SLACK_SECRET_NAME: z.string().min(1).optional(),
    SLACK_API_URL: z.url({ protocol: /^https?$/ }).optional(),
  }),
);
const slack = slackConnection(config);

const deps = {
  mailer: createAccessMailer({ client: sesv2Client, from: config.MAIL_FROM }),
  operatorEmail: config.OPERATOR_EMAIL,
};

export const handler = taskHandler(notifyInputSchema, async (input): Promise<NotifyResult> => {
  const connection = await slack();
  const channel = connection?.credentials.channel;
  const result = await notifyAccessReady(
    connection && channel ? { ...deps, channel: async (text) => void (await connection.api.postMessage({ channel, text })) } : deps,
    input,
  );
  logger.info('access-ready mail sent', { recipients: result.recipients });
  return result;
});
