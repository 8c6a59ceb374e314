import { z } from 'zod';
import { sesv2Client } from '#lib/adapters/aws/clients/sesv2';
import { loadConfig } from '#lib/runtime/config';
import { createAccessMailer } from '#lib/adapters/aws/ses-access-mailer';
import { notifyAccessReady, notifyInputSchema, type NotifyResult } from '#lib/domain/joiner/notify';
import { logger } from '#lib/runtime/logger';
import { taskHandler } from '#lib/runtime/task-handler';

/**
 * Notify: e-mails the manager and the operators that the joiner's access is ready. A retry
 * may send the mail twice (harmless). Returns { recipients, messageId } for $.results.notified.
 */
const config = loadConfig(z.object({ MAIL_FROM: z.email(), OPERATOR_EMAIL: z.email() }));

const deps = {
  mailer: createAccessMailer({ client: sesv2Client, from: config.MAIL_FROM }),
  operatorEmail: config.OPERATOR_EMAIL,
};

export const handler = taskHandler(notifyInputSchema, async (input): Promise<NotifyResult> => {
  const result = await notifyAccessReady(deps, input);
  logger.info('access-ready mail sent', { recipients: result.recipients });
  return result;
});
