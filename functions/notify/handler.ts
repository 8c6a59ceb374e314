import { accessNotification } from '#lib/domain/notifications/access-ready';
import { notifyInputSchema } from '#lib/tasks/notify';
import type { NotificationResult } from '#lib/domain/notifications/send';
import { channelNotifier } from '#lib/runtime/notifications';
import { logger } from '#lib/runtime/logger';
import { taskHandler } from '#lib/runtime/task-handler';

/** Notify (contract and step: lib/tasks/notify.ts). */
const notify = channelNotifier();

export const handler = taskHandler(notifyInputSchema, async (input): Promise<NotificationResult> => {
  const result = await notify(accessNotification(input));
  logger.info('access notification', { kind: result.kind, status: result.status, recipients: result.recipients });
  return result;
});
