import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { z } from 'zod';
import { roleCatalogue } from '#lib/catalogue/catalogue';
import { documentClient } from '#lib/clients/dynamodb';
import { sfnClient } from '#lib/clients/sfn';
import { loadConfig } from '#lib/config';
import { httpErrors } from '#lib/http/http-errors';
import { accessRequestRoute } from '#lib/jit/access-request-route';
import type { AccessRequestsDeps } from '#lib/jit/access-requests-api';
import { createAccessWorkflows } from '#lib/jit/access-workflows';
import { createEmployeeLookup } from '#lib/jit/employee-lookup';
import { createJitRequests } from '#lib/jit/jit-requests';
import { logger } from '#lib/logger';

/** POST /access-requests, GET /access-requests/{id}, POST /access-requests/{id}/revoke (JWT-authenticated routes). */
const config = loadConfig(
  z.object({
    EMPLOYEES_TABLE_NAME: z.string().min(1),
    REQUESTS_TABLE_NAME: z.string().min(1),
    ACCESS_GRANT_STATE_MACHINE_ARN: z.string().startsWith('arn:'),
    OPERATOR_GROUP: z.string().min(1).default('gatehouse-operators'),
  }),
);

const deps: AccessRequestsDeps = {
  catalogue: roleCatalogue,
  employees: createEmployeeLookup({ client: documentClient, employeesTable: config.EMPLOYEES_TABLE_NAME, requestsTable: config.REQUESTS_TABLE_NAME }),
  requests: createJitRequests({ client: documentClient, tableName: config.REQUESTS_TABLE_NAME }),
  workflows: createAccessWorkflows({ client: sfnClient, stateMachineArn: config.ACCESS_GRANT_STATE_MACHINE_ARN }),
  operatorGroup: config.OPERATOR_GROUP,
  now: () => new Date(),
};

export const handler = middy<APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2>()
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .use(httpErrors())
  .handler(accessRequestRoute(deps));
