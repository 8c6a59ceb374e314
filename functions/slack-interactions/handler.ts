import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { z } from 'zod';
import { NotFoundError } from '#lib/domain/shared/errors';
import { handleSlackInteraction } from '#lib/domain/slack/interactions';
import { httpErrors, jsonResponse, rawBody } from '#lib/http/http-errors';
import { loadConfig } from '#lib/runtime/config';
import { logger } from '#lib/runtime/logger';
import { slackConnection } from '#lib/runtime/slack';
import { approvalDecisionDeps, approvalDecisionEnvSchema } from '#lib/runtime/approval-decisions';

/** POST /slack/interactions: Slack's signed Approve/Deny clicks (not behind the JWT authorizer: Slack signs instead). */
const config = loadConfig(
  approvalDecisionEnvSchema.extend({
    SLACK_SECRET_NAME: z.string().min(1),
    SLACK_API_URL: z.url({ protocol: /^https?$/ }).optional(),
  }),
);
const slack = slackConnection(config);
const approvalDeps = approvalDecisionDeps(config);

export const handler = middy<APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2>()
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .use(httpErrors())
  .handler(async (event) => {
    const connection = await slack();
    if (!connection) throw new NotFoundError('slack is not configured');
    const result = await handleSlackInteraction(
      { approvalDeps, slack: connection.api, signingSecret: () => Promise.resolve(connection.credentials.signingSecret) },
      { timestamp: event.headers['x-slack-request-timestamp'], signature: event.headers['x-slack-signature'], rawBody: rawBody(event).toString('utf8') },
    );
    if (result.outcome === 'decided') {
      logger.appendKeys({ requestId: result.approval.requestId, employeeId: result.approval.employeeId, executionName: result.approval.executionName });
      logger.info('approval decided in Slack', { decision: result.decision, approvalRef: result.approval.ref });
    } else {
      logger.info('slack click refused', { why: result.why });
    }
    // Slack wants a quick 200 for block_actions; what the clicker sees comes from chat.update / chat.postEphemeral.
    return jsonResponse(200, { outcome: result.outcome });
  });
