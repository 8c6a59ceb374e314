import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { z } from 'zod';
import { roleCatalogue } from '#lib/runtime/catalogue';
import { documentClient } from '#lib/adapters/dynamodb/client';
import { sfnClient } from '#lib/adapters/aws/clients/sfn';
import { loadConfig } from '#lib/runtime/config';
import { httpErrors } from '#lib/http/http-errors';
import { accessRequestRoute } from '#lib/http/time-bound/route';
import type { AccessRequestsDeps } from '#lib/http/time-bound/api';
import { createAccessWorkflows } from '#lib/adapters/aws/sfn-time-bound';
import { createEmployeeLookup } from '#lib/adapters/dynamodb/employees/lookup';
import { createTimeBoundRequests } from '#lib/adapters/dynamodb/requests';
import { logger } from '#lib/runtime/logger';
import { createApprovalLookup, createApprovalRepository } from '#lib/adapters/dynamodb/approvals';
import { createSfnCallbacks } from '#lib/adapters/aws/sfn-task-callbacks';

/** POST /access-requests, GET /access-requests/{id}, POST /access-requests/{id}/revoke, /withdraw and /extend (JWT-authenticated routes). */
const config = loadConfig(
  z.object({
    EMPLOYEES_TABLE_NAME: z.string().min(1),
    REQUESTS_TABLE_NAME: z.string().min(1),
    TIME_BOUND_STATE_MACHINE_ARN: z.string().startsWith('arn:'),
    APPROVALS_TABLE_NAME: z.string().min(1),
    OPERATOR_GROUP: z.string().min(1).default('gatehouse-operators'),
  }),
);
const lookup = createApprovalLookup({ client: documentClient, tableName: config.APPROVALS_TABLE_NAME });

const deps: AccessRequestsDeps = {
  catalogue: roleCatalogue,
  employees: createEmployeeLookup({ client: documentClient, employeesTable: config.EMPLOYEES_TABLE_NAME, requestsTable: config.REQUESTS_TABLE_NAME }),
  requests: createTimeBoundRequests({ client: documentClient, tableName: config.REQUESTS_TABLE_NAME }),
  workflows: createAccessWorkflows({ client: sfnClient, stateMachineArn: config.TIME_BOUND_STATE_MACHINE_ARN }),
  withdraw: {
    approvals: createApprovalRepository({ client: documentClient, tableName: config.APPROVALS_TABLE_NAME }),
    newestApproval: (requestId, executionId) => lookup.newestApproval(requestId, executionId),
    callbacks: createSfnCallbacks(sfnClient),
    clock: { now: () => new Date() },
  },
  operatorGroup: config.OPERATOR_GROUP,
  now: () => new Date(),
};

export const handler = middy<APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2>()
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .use(httpErrors())
  .handler(accessRequestRoute(deps));
