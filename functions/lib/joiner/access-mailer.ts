import { SendEmailCommand, type SESv2Client } from '@aws-sdk/client-sesv2';
import { asTransient } from '../aws-errors.ts';
import type { AccessMailer } from './notify.ts';

/** SES v2 SendEmail, one mail to all recipients, text and HTML. Throttling and 5xx become TransientError. */
export function createAccessMailer(options: { client: SESv2Client; from: string }): AccessMailer {
  return {
    async send(mail) {
      try {
        const { MessageId } = await options.client.send(
          new SendEmailCommand({
            FromEmailAddress: options.from,
            Destination: { ToAddresses: mail.to },
            Content: {
              Simple: {
                Subject: { Data: mail.subject, Charset: 'UTF-8' },
                Body: { Text: { Data: mail.text, Charset: 'UTF-8' }, Html: { Data: mail.html, Charset: 'UTF-8' } },
              },
            },
          }),
        );
        return MessageId;
      } catch (error) {
        throw asTransient(error, 'sending the access-ready e-mail');
      }
    },
  };
}
