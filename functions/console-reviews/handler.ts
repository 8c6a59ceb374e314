import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { z } from 'zod';
import { createAuditStore } from '#lib/adapters/dynamodb/audit';
import { documentClient } from '#lib/adapters/dynamodb/client';
import { createReviewStore } from '#lib/adapters/dynamodb/reviews';
import { countDecisions } from '#lib/domain/reviews/close';
import { CampaignNotFoundError } from '#lib/domain/reviews/errors';
import { queueOf } from '#lib/domain/reviews/queue';
import { recordDecisions } from '#lib/domain/reviews/record-decisions';
import { requireEmail, requireGroup } from '#lib/http/caller';
import { consoleRoutes, parseJsonBody, parseQuery, pathParam } from '#lib/http/console-api';
import { httpErrors } from '#lib/http/http-errors';
import { decisionAnswer } from '#lib/http/review-decisions';
import { roleCatalogue } from '#lib/runtime/catalogue';
import { loadConfig } from '#lib/runtime/config';
import { logger } from '#lib/runtime/logger';
import { reviewDecisionBodySchema, reviewQueueQuerySchema } from '#lib/tasks/console';

/** GET /api/reviews (my queue), POST /api/reviews/{campaignId}/decisions (bulk, as the signed-in reviewer), GET /api/reviews/{campaignId} (operators: progress). */
const config = loadConfig(z.object({ REVIEWS_TABLE_NAME: z.string().min(1), AUDIT_TABLE_NAME: z.string().min(1), OPERATOR_GROUP: z.string().min(1) }));
const clock = { now: () => new Date() };
const store = createReviewStore({ client: documentClient, tableName: config.REVIEWS_TABLE_NAME });
const audit = createAuditStore({ client: documentClient, tableName: config.AUDIT_TABLE_NAME, clock });

export const handler = middy<APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2>()
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .use(httpErrors())
  .handler(
    consoleRoutes({
      'GET /api/reviews': async (event, caller) => ({ items: await queueOf({ store, catalogue: roleCatalogue }, requireEmail(caller), parseQuery(event, reviewQueueQuerySchema)) }),
      'POST /api/reviews/{campaignId}/decisions': async (event, caller) => {
        const body = parseJsonBody(event, reviewDecisionBodySchema);
        const results = await recordDecisions({ store, audit, clock }, { campaignId: pathParam(event, 'campaignId'), itemIds: body.itemIds, reviewer: requireEmail(caller), decision: body.decision, channel: 'console', ...(body.justification ? { justification: body.justification } : {}) });
        return decisionAnswer(results);
      },
      'GET /api/reviews/{campaignId}': async (event, caller) => {
        requireGroup(caller, config.OPERATOR_GROUP);
        const campaign = await store.getCampaign(pathParam(event, 'campaignId'));
        if (!campaign) throw new CampaignNotFoundError('no such campaign');
        const items = await store.listItems(campaign.campaignId);
        return { campaign, counts: { ...countDecisions(items), pending: items.filter((item) => item.status === 'pending').length, remediated: items.filter((item) => item.status === 'remediated').length } };
      },
    }),
  );
