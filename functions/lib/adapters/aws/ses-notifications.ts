import type { SESv2Client } from '@aws-sdk/client-sesv2';
import type { NotificationMailer } from '../../domain/notifications/ports.ts';
import { createSesSender } from './ses.ts';

/** Every notification (domain/notifications) goes out through this: SES v2 SendEmail, text and HTML, from MAIL_FROM. */
export function createNotificationMailer(options: { client: Pick<SESv2Client, 'send'>; from: string }): NotificationMailer {
  const sender = createSesSender(options);
  return { send: (mail) => sender.send(mail, `sending the "${mail.subject.slice(0, 60)}" e-mail`) };
}
