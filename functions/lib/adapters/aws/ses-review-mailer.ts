import type { SESv2Client } from '@aws-sdk/client-sesv2';
import { reviewMailContent } from '../../domain/reviews/review-mail.ts';
import type { ReviewMailer } from '../../domain/reviews/ports.ts';
import { createSesSender } from './ses.ts';

/** Reminders and escalations of access reviews, through SES v2 from MAIL_FROM. */
export function createReviewMailer(options: { client: Pick<SESv2Client, 'send'>; from: string }): ReviewMailer {
  const sender = createSesSender(options);
  return {
    async send(mail) {
      await sender.send({ to: [mail.reviewer], ...reviewMailContent(mail) }, `sending the review ${mail.kind}`);
    },
  };
}
