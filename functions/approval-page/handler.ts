import middy from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { createApprovalLookup } from '#lib/adapters/dynamodb/approvals';
import { documentClient } from '#lib/adapters/dynamodb/client';
import { htmlErrorPages } from '#lib/http/approval-page/form';
import { approvalPageRoute } from '#lib/http/approval-page/route';
import { loadConfig } from '#lib/runtime/config';
import { httpErrors } from '#lib/http/http-errors';
import { approvalDecisionDeps, approvalDecisionEnvSchema } from '#lib/runtime/approval-decisions';

/** GET/POST /approvals/{id}: the approval page and its one decision. */
const config = loadConfig(approvalDecisionEnvSchema);

const route = approvalPageRoute({
  ...approvalDecisionDeps(config),
  history: createApprovalLookup({ client: documentClient, tableName: config.APPROVALS_TABLE_NAME }),
});

export const handler = middy<APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2>()
  .use(httpErrors())
  .use(htmlErrorPages())
  .handler(route);
