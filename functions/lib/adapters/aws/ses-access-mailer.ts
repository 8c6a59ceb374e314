import type { SESv2Client } from '@aws-sdk/client-sesv2';
import { createSesSender } from './ses.ts';
import type { AccessMailer } from '../../domain/joiner/notify.ts';

/** SES v2 SendEmail, one mail to all recipients, text and HTML. Throttling and 5xx become TransientError. */
export function createAccessMailer(options: { client: SESv2Client; from: string }): AccessMailer {
  const sender = createSesSender(options);
  return { send: (mail) => sender.send(mail, 'sending the access-ready e-mail') };
}
