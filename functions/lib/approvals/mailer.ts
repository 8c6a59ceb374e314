import { SendEmailCommand, type SESv2Client } from '@aws-sdk/client-sesv2';
import { asTransient } from '../aws-errors.ts';

export interface Mail {
  to: string;
  subject: string;
  text: string;
  html: string;
}

/** The port the approval request sends through. */
export interface Mailer {
  send(mail: Mail): Promise<void>;
}

/** SES v2 SendEmail with Simple content (text + HTML). Throttling and 5xx become TransientError. */
export function createSesMailer(options: { client: SESv2Client; from: string }): Mailer {
  return {
    async send(mail) {
      try {
        await options.client.send(
          new SendEmailCommand({
            FromEmailAddress: options.from,
            Destination: { ToAddresses: [mail.to] },
            Content: {
              Simple: {
                Subject: { Data: mail.subject, Charset: 'UTF-8' },
                Body: { Text: { Data: mail.text, Charset: 'UTF-8' }, Html: { Data: mail.html, Charset: 'UTF-8' } },
              },
            },
          }),
        );
      } catch (error) {
        throw asTransient(error, 'sending the approval e-mail');
      }
    },
  };
}
