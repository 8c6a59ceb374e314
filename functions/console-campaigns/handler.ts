import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { z } from 'zod';
import { sesv2Client } from '#lib/adapters/aws/clients/sesv2';
import { schedulerClient } from '#lib/adapters/aws/clients/scheduler';
import { sfnClient } from '#lib/adapters/aws/clients/sfn';
import { createRecurringReviews } from '#lib/adapters/aws/scheduler-reviews';
import { createReviewMailer } from '#lib/adapters/aws/ses-review-mailer';
import { createCampaignRuns } from '#lib/adapters/aws/sfn-access-review';
import { createAuditStore } from '#lib/adapters/dynamodb/audit';
import { documentClient } from '#lib/adapters/dynamodb/client';
import { createReviewStore } from '#lib/adapters/dynamodb/reviews';
import { reviewLinkFor } from '#lib/domain/reviews/links';
import { recentCampaigns, requestEarlyClose, startReview } from '#lib/domain/reviews/operate';
import { remindNow } from '#lib/domain/reviews/progress';
import { pauseRecurringReview, scheduleRecurringReview } from '#lib/domain/reviews/recurring';
import { campaignEvidence, evidenceCsv, evidenceHtml, liveCampaignEntries } from '#lib/domain/reviews/report';
import { requireGroup } from '#lib/http/caller';
import { consoleRoutes, parseJsonBody, parsePath, parseQuery, pathParam, type ConsoleRoute } from '#lib/http/console-api';
import { httpErrors } from '#lib/http/http-errors';
import { loadConfig } from '#lib/runtime/config';
import { logger } from '#lib/runtime/logger';
import { campaignActionSchema, campaignListQuerySchema, campaignReportQuerySchema, startCampaignBodySchema } from '#lib/tasks/console';

/**
 * The operators' side of access reviews in the console: GET/POST /api/review-campaigns (recent
 * campaigns with progress; start one), POST .../{campaignId}/remind and .../close, GET
 * .../{campaignId}?format=csv|json|html (the evidence, rebuilt from the audit trail); recurring
 * campaigns (EventBridge Scheduler schedules review-<name>): GET ?view=recurring, POST with
 * `recurring` creates or updates one, POST .../{name}/pause|resume. 403 for anyone not in the
 * operator group.
 */
const config = loadConfig(
  z.object({
    REVIEWS_TABLE_NAME: z.string().min(1),
    AUDIT_TABLE_NAME: z.string().min(1),
    ACCESS_REVIEW_STATE_MACHINE_ARN: z.string().min(1),
    OPERATOR_GROUP: z.string().min(1),
    APPROVAL_BASE_URL: z.url(),
    MAIL_FROM: z.email(),
    SCHEDULE_GROUP_NAME: z.string().min(1),
    SCHEDULER_ROLE_ARN: z.string().min(1),
  }),
);
const clock = { now: () => new Date() };
const store = createReviewStore({ client: documentClient, tableName: config.REVIEWS_TABLE_NAME });
const audit = createAuditStore({ client: documentClient, tableName: config.AUDIT_TABLE_NAME, clock });
const runs = createCampaignRuns(sfnClient, config.ACCESS_REVIEW_STATE_MACHINE_ARN);
const mailer = createReviewMailer({ client: sesv2Client, from: config.MAIL_FROM });
const linkFor = reviewLinkFor(store, config.APPROVAL_BASE_URL, clock.now);
const schedules = createRecurringReviews({ client: schedulerClient, groupName: config.SCHEDULE_GROUP_NAME, stateMachineArn: config.ACCESS_REVIEW_STATE_MACHINE_ARN, roleArn: config.SCHEDULER_ROLE_ARN });

const operators = (route: ConsoleRoute): ConsoleRoute => (event, caller) => {
  requireGroup(caller, config.OPERATOR_GROUP);
  return route(event, caller);
};

const REPORT_TYPES = { csv: 'text/csv; charset=utf-8', html: 'text/html; charset=utf-8' } as const;

export const handler = middy<APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2>()
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .use(httpErrors())
  .handler(
    consoleRoutes({
      'GET /api/review-campaigns': operators(async (event) => {
        const { view } = parseQuery(event, campaignListQuerySchema);
        return { items: view === 'recurring' ? await schedules.list() : await recentCampaigns({ store, runs, clock }) };
      }),
      'POST /api/review-campaigns': operators(async (event) => {
        const body = parseJsonBody(event, startCampaignBodySchema);
        if (!body.recurring) return { ...(await startReview({ runs, clock }, body)) };
        const { name, expression, timezone } = body.recurring;
        return { ...(await scheduleRecurringReview({ schedules }, { name, schedule: { expression, ...(timezone ? { timezone } : {}) }, campaign: body.campaign })) };
      }),
      'POST /api/review-campaigns/{campaignId}/{action}': operators(async (event) => {
        const campaignId = pathParam(event, 'campaignId');
        const { action } = parsePath(event, campaignActionSchema);
        // One reminder round per minute: a double click or a retried request audits (and mails) it once more at most.
        if (action === 'pause' || action === 'resume') return { ...(await pauseRecurringReview({ schedules }, campaignId, action === 'pause')) };
        if (action === 'remind') return { ...(await remindNow({ store, mailer, audit, clock, linkFor }, campaignId, `console-${clock.now().toISOString().slice(0, 16)}`)) };
        return { ...(await requestEarlyClose({ store, clock }, campaignId)) };
      }),
      'GET /api/review-campaigns/{campaignId}': operators(async (event) => {
        const campaignId = pathParam(event, 'campaignId');
        const { format } = parseQuery(event, campaignReportQuerySchema);
        const evidence = campaignEvidence(campaignId, await liveCampaignEntries({ audit, store }, campaignId));
        if (format === 'json') return { ...evidence };
        return {
          statusCode: 200,
          headers: { 'content-type': REPORT_TYPES[format], 'content-disposition': `attachment; filename="${campaignId}.${format}"`, 'cache-control': 'no-store' },
          body: format === 'csv' ? evidenceCsv(evidence) : evidenceHtml(evidence),
        };
      }),
    }),
  );
