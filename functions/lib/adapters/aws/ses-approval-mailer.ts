import type { SESv2Client } from '@aws-sdk/client-sesv2';
import { createSesSender } from './ses.ts';
import type { Mailer } from '../../domain/approvals/ports.ts';

/** SES v2 SendEmail with Simple content (text + HTML). Throttling and 5xx become TransientError. */
export function createSesMailer(options: { client: SESv2Client; from: string }): Mailer {
  const sender = createSesSender(options);
  return {
    async send(mail) {
      await sender.send({ ...mail, to: [mail.to] }, 'sending the approval e-mail');
    },
  };
}
