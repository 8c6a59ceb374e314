import { z } from 'zod';
import { sesv2Client } from '#lib/adapters/aws/clients/sesv2';
import { createReviewMailer } from '#lib/adapters/aws/ses-review-mailer';
import { createAuditStore } from '#lib/adapters/dynamodb/audit';
import { documentClient } from '#lib/adapters/dynamodb/client';
import { createReviewStore } from '#lib/adapters/dynamodb/reviews';
import { createPopulation } from '#lib/adapters/dynamodb/reviews-population';
import { parseDefinition } from '#lib/domain/reviews/campaign';
import { applyDefaults, closeCampaign, findRevocations } from '#lib/domain/reviews/close';
import { reviewLinkFor } from '#lib/domain/reviews/links';
import { checkProgress } from '#lib/domain/reviews/progress';
import { startCampaign } from '#lib/domain/reviews/start';
import { roleCatalogue } from '#lib/runtime/catalogue';
import { loadConfig } from '#lib/runtime/config';
import { logger } from '#lib/runtime/logger';
import { taskHandler } from '#lib/runtime/task-handler';
import { reviewCampaignInputSchema } from '#lib/tasks/review-campaign';

/** The access-review machine's bookkeeping Tasks (lib/tasks/review-campaign.ts says which). */
const config = loadConfig(
  z.object({
    REVIEWS_TABLE_NAME: z.string().min(1),
    GRANTS_TABLE_NAME: z.string().min(1),
    EMPLOYEES_TABLE_NAME: z.string().min(1),
    AUDIT_TABLE_NAME: z.string().min(1),
    APPROVAL_BASE_URL: z.url(),
    MAIL_FROM: z.email(),
  }),
);
const clock = { now: () => new Date() };
const store = createReviewStore({ client: documentClient, tableName: config.REVIEWS_TABLE_NAME });
const audit = createAuditStore({ client: documentClient, tableName: config.AUDIT_TABLE_NAME, clock });
const population = createPopulation({ client: documentClient, grantsTable: config.GRANTS_TABLE_NAME, employeesTable: config.EMPLOYEES_TABLE_NAME });
const mailer = createReviewMailer({ client: sesv2Client, from: config.MAIL_FROM });
const linkFor = reviewLinkFor(store, config.APPROVAL_BASE_URL, clock.now);

export const handler = taskHandler(reviewCampaignInputSchema, async (input) => {
  switch (input.task) {
    case 'snapshot': {
      const summary = await startCampaign({ store, population, catalogue: roleCatalogue, audit, clock }, { campaignId: input.executionName, executionId: input.executionId, definition: parseDefinition(input.campaign) });
      logger.info('review snapshot taken', { campaignId: summary.campaignId, items: summary.itemCount });
      return summary;
    }
    case 'progress':
      return checkProgress({ store, mailer, audit, clock, linkFor }, input.campaignId);
    case 'defaults':
      return applyDefaults({ store, audit, clock }, input.campaignId);
    case 'revocations':
      return findRevocations({ store }, input.campaignId, input.after || undefined);
    case 'close':
      return closeCampaign({ store, audit, clock }, input.campaignId);
  }
});
