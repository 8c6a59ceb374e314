import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { z } from 'zod';
import { createConsoleReads } from '#lib/adapters/console/dynamodb-reads';
import { decideAsSignedIn } from '#lib/domain/approvals/approval-page';
import { roleCatalogue } from '#lib/runtime/catalogue';
import { documentClient } from '#lib/adapters/dynamodb/client';
import { loadConfig } from '#lib/runtime/config';
import { inboxOf } from '#lib/domain/console/inbox';
import { requireEmail } from '#lib/http/caller';
import { consoleRoutes, parseJsonBody, pathParam } from '#lib/http/console-api';
import { httpErrors } from '#lib/http/http-errors';
import { logger } from '#lib/runtime/logger';
import { approvalDecisionDeps, approvalDecisionEnvSchema } from '#lib/runtime/approval-decisions';
import { decisionBodySchema } from '#lib/tasks/console';

/** GET /api/approvals (my inbox), POST /api/approvals/{id} (decide as the signed-in approver). */
const config = loadConfig(
  approvalDecisionEnvSchema.extend({ EMPLOYEES_TABLE_NAME: z.string().min(1) }),
);
const clock = { now: () => new Date() };
const reads = createConsoleReads(documentClient, { employees: config.EMPLOYEES_TABLE_NAME, requests: config.REQUESTS_TABLE_NAME, approvals: config.APPROVALS_TABLE_NAME, grants: '', audit: '' });
const decisions = approvalDecisionDeps(config);

export const handler = middy<APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2>()
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .use(httpErrors())
  .handler(
    consoleRoutes({
      'GET /api/approvals': async (_event, caller) => ({ ...(await inboxOf({ reads, catalogue: roleCatalogue, now: clock.now }, caller)) }),
      'POST /api/approvals/{id}': async (event, caller) => {
        const body = parseJsonBody(event, decisionBodySchema);
        const result = await decideAsSignedIn(decisions, { approvalId: pathParam(event, 'id'), email: requireEmail(caller), decision: body.decision, ...(body.reason ? { comment: body.reason } : {}) });
        return { status: result.approval.status, delivery: result.delivery };
      },
    }),
  );
