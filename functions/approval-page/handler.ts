import middy from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { z } from 'zod';
import { createApprovalLookup, createApprovalRepository } from '#lib/adapters/dynamodb/approvals';
import { htmlErrorPages } from '#lib/http/approval-page/form';
import { approvalPageRoute } from '#lib/http/approval-page/route';
import { createSfnCallbacks } from '#lib/adapters/aws/sfn-task-callbacks';
import { createAuditStore } from '#lib/adapters/dynamodb/audit';
import { documentClient } from '#lib/adapters/dynamodb/client';
import { sfnClient } from '#lib/adapters/aws/clients/sfn';
import { loadConfig } from '#lib/runtime/config';
import { httpErrors } from '#lib/http/http-errors';
import { createRequestRepository } from '#lib/adapters/dynamodb/requests';

/** GET/POST /approvals/{id}: the approval page and its one decision. */
const config = loadConfig(
  z.object({
    APPROVALS_TABLE_NAME: z.string().min(1),
    REQUESTS_TABLE_NAME: z.string().min(1),
    AUDIT_TABLE_NAME: z.string().min(1),
  }),
);
const clock = { now: () => new Date() };

const route = approvalPageRoute({
  approvals: createApprovalRepository({ client: documentClient, tableName: config.APPROVALS_TABLE_NAME }),
  requests: createRequestRepository({ client: documentClient, tableName: config.REQUESTS_TABLE_NAME }),
  callbacks: createSfnCallbacks(sfnClient),
  audit: createAuditStore({ client: documentClient, tableName: config.AUDIT_TABLE_NAME, clock }),
  clock,
  history: createApprovalLookup({ client: documentClient, tableName: config.APPROVALS_TABLE_NAME }),
});

export const handler = middy<APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2>()
  .use(httpErrors())
  .use(htmlErrorPages())
  .handler(route);
