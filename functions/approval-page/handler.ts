import middy from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { htmlErrorPages } from '#lib/http/approval-page/form';
import { approvalPageRoute } from '#lib/http/approval-page/route';
import { loadConfig } from '#lib/runtime/config';
import { httpErrors } from '#lib/http/http-errors';
import { approvalDecisionDeps, approvalDecisionEnvSchema } from '#lib/runtime/approval-decisions';

/** GET/POST /approvals/{id}: the approval page and its one decision. */
const route = approvalPageRoute(approvalDecisionDeps(loadConfig(approvalDecisionEnvSchema)));

export const handler = middy<APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2>()
  .use(httpErrors())
  .use(htmlErrorPages())
  .handler(route);
