import { accessNotification, notifyInputSchema } from '#lib/domain/notifications/access-ready';
import type { NotificationResult } from '#lib/domain/notifications/send';
import { channelNotifier } from '#lib/runtime/notifications';
import { logger } from '#lib/runtime/logger';
import { taskHandler } from '#lib/runtime/task-handler';

/**
 * Notify: tells the person, the manager and the operators that the joiner's access is ready
 * (access-ready), or the person and the manager what a move granted and removed (access-moved),
 * and posts access-ready to the Slack channel when one is configured (docs/slack.md). Sent once
 * per kind, person and request (domain/notifications/send.ts): a retry mails nothing twice.
 */
const notify = channelNotifier();

export const handler = taskHandler(notifyInputSchema, async (input): Promise<NotificationResult> => {
  const result = await notify(accessNotification(input));
  logger.info('access notification', { kind: result.kind, status: result.status, recipients: result.recipients });
  return result;
});
