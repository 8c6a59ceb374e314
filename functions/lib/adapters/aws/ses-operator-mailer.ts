import type { SESv2Client } from '@aws-sdk/client-sesv2';
import { CreateTagsCommand, type EC2Client } from '@aws-sdk/client-ec2';
import { callAws } from './call-aws.ts';
import { createSesSender } from './ses.ts';

import type { OperatorMailer, ReviewTagger } from '../../domain/reconcile/ports.ts';

/** SES v2 SendEmail from MAIL_FROM to OPERATOR_EMAIL, text and HTML. Throttling and 5xx become TransientError. */
export function createOperatorMailer(options: { client: Pick<SESv2Client, 'send'>; from: string; to: string; doing?: string }): OperatorMailer {
  const sender = createSesSender(options);
  return { send: (mail) => sender.send({ ...mail, to: [options.to] }, options.doing ?? 'sending the reconciliation e-mail') };
}

/** Tag an untracked instance gets before remove mode stops it; its value is the run date. */
export const REVIEW_TAG = 'gatehouse:review';

export function createReviewTagger(client: Pick<EC2Client, 'send'>): ReviewTagger {
  return {
    async tagForReview(instanceId, runDate) {
      await callAws('CreateTags', () =>
        client.send(new CreateTagsCommand({ Resources: [instanceId], Tags: [{ Key: REVIEW_TAG, Value: `reconciliation ${runDate}` }] })),
      );
    },
  };
}
