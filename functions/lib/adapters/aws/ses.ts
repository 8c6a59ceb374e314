import { SendEmailCommand, type SESv2Client } from '@aws-sdk/client-sesv2';
import { callAws } from './call-aws.ts';

/** One mail, text and HTML, to one or more recipients (all in To). */
export interface OutgoingMail {
  to: string[];
  subject: string;
  text: string;
  html: string;
}

/** The port every Gatehouse mail goes out through (approval requests, access-ready, operator reports). */
export interface MailSender {
  /** `doing` names the mail in a TransientError ("sending the approval e-mail"); returns the provider's message id. */
  send(mail: OutgoingMail, doing: string): Promise<string | undefined>;
}

/** SES v2 SendEmail with Simple content (UTF-8 text + HTML). Throttling and 5xx become TransientError. */
export function createSesSender(options: { client: Pick<SESv2Client, 'send'>; from: string }): MailSender {
  return {
    async send(mail, doing) {
      const { MessageId } = await callAws(doing, () =>
        options.client.send(
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
        ),
      );
      return MessageId;
    },
  };
}
