import middy from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { z } from 'zod';
import { createAuditStore } from '#lib/adapters/dynamodb/audit';
import { documentClient } from '#lib/adapters/dynamodb/client';
import { createReviewStore } from '#lib/adapters/dynamodb/reviews';
import { htmlErrorPages } from '#lib/http/approval-page/form';
import { httpErrors } from '#lib/http/http-errors';
import { reviewPageRoute } from '#lib/http/review-page/route';
import { roleCatalogue } from '#lib/runtime/catalogue';
import { loadConfig } from '#lib/runtime/config';
import { remediateNow, reviewRemediationDeps } from '#lib/runtime/review-remediation';

/** GET/POST /reviews/{campaignId}/{linkId}: a reviewer's e-mailed queue and their decisions. */
const config = loadConfig(z.object({ REVIEWS_TABLE_NAME: z.string().min(1), AUDIT_TABLE_NAME: z.string().min(1) }));
const clock = { now: () => new Date() };

const route = reviewPageRoute({
  store: createReviewStore({ client: documentClient, tableName: config.REVIEWS_TABLE_NAME }),
  audit: createAuditStore({ client: documentClient, tableName: config.AUDIT_TABLE_NAME, clock }),
  catalogue: roleCatalogue,
  clock,
  remediate: remediateNow(reviewRemediationDeps()),
});

export const handler = middy<APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2>().use(httpErrors()).use(htmlErrorPages()).handler(route);
