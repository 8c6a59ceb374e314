import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { z } from 'zod';
import { createAuditStore } from '#lib/adapters/dynamodb/audit';
import { documentClient } from '#lib/adapters/dynamodb/client';
import { createReviewStore } from '#lib/adapters/dynamodb/reviews';
import { queueOf } from '#lib/domain/reviews/queue';
import { recordDecisions } from '#lib/domain/reviews/record-decisions';
import { requireEmail } from '#lib/http/caller';
import { consoleRoutes, parseJsonBody, parseQuery, pathParam } from '#lib/http/console-api';
import { httpErrors } from '#lib/http/http-errors';
import { decisionAnswer } from '#lib/http/review-decisions';
import { roleCatalogue } from '#lib/runtime/catalogue';
import { loadConfig } from '#lib/runtime/config';
import { logger } from '#lib/runtime/logger';
import { remediateNow, reviewRemediationDeps } from '#lib/runtime/review-remediation';
import { reviewDecisionBodySchema, reviewQueueQuerySchema } from '#lib/tasks/console';

/** GET /api/reviews (my queue), POST /api/reviews/{campaignId}/decisions (bulk, as the signed-in reviewer). Operators' campaign routes: functions/console-campaigns. */
const config = loadConfig(z.object({ REVIEWS_TABLE_NAME: z.string().min(1), AUDIT_TABLE_NAME: z.string().min(1) }));
const clock = { now: () => new Date() };
const store = createReviewStore({ client: documentClient, tableName: config.REVIEWS_TABLE_NAME });
const audit = createAuditStore({ client: documentClient, tableName: config.AUDIT_TABLE_NAME, clock });
const remediate = remediateNow(reviewRemediationDeps());

export const handler = middy<APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2>()
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .use(httpErrors())
  .handler(
    consoleRoutes({
      'GET /api/reviews': async (event, caller) => ({ items: await queueOf({ store, catalogue: roleCatalogue }, requireEmail(caller), parseQuery(event, reviewQueueQuerySchema)) }),
      'POST /api/reviews/{campaignId}/decisions': async (event, caller) => {
        const body = parseJsonBody(event, reviewDecisionBodySchema);
        const results = await recordDecisions({ store, audit, clock, remediate }, { campaignId: pathParam(event, 'campaignId'), itemIds: body.itemIds, reviewer: requireEmail(caller), decision: body.decision, channel: 'console', ...(body.justification ? { justification: body.justification } : {}) });
        return decisionAnswer(results);
      },
    }),
  );
