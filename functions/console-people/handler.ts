import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { z } from 'zod';
import { createConsoleReads } from '#lib/adapters/console/dynamodb-reads';
import { roleCatalogue } from '#lib/runtime/catalogue';
import { documentClient } from '#lib/adapters/dynamodb/client';
import { loadConfig } from '#lib/runtime/config';
import { findings, personDetail, searchPeople, type OperationsDeps } from '#lib/domain/console/operations';
import { requireGroup } from '#lib/http/caller';
import { consoleRoutes, parseQuery, pathParam, type ConsoleRoute } from '#lib/http/console-api';
import { httpErrors } from '#lib/http/http-errors';
import { logger } from '#lib/runtime/logger';
import { pageQuerySchema, peopleQuerySchema } from '#lib/tasks/console';

/** GET /api/people, /api/people/{id}, /api/findings: operators only (403 for anyone else). */
const config = loadConfig(
  z.object({
    EMPLOYEES_TABLE_NAME: z.string().min(1),
    GRANTS_TABLE_NAME: z.string().min(1),
    AUDIT_TABLE_NAME: z.string().min(1),
    OPERATOR_GROUP: z.string().min(1),
  }),
);
const deps: OperationsDeps = {
  catalogue: roleCatalogue,
  reads: createConsoleReads(documentClient, { employees: config.EMPLOYEES_TABLE_NAME, grants: config.GRANTS_TABLE_NAME, audit: config.AUDIT_TABLE_NAME, requests: '', approvals: '' }),
  now: () => new Date(),
};

const operators = (route: ConsoleRoute): ConsoleRoute => (event, caller) => {
  requireGroup(caller, config.OPERATOR_GROUP);
  return route(event, caller);
};

export const handler = middy<APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2>()
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .use(httpErrors())
  .handler(
    consoleRoutes({
      'GET /api/people': operators(async (event) => {
        const query = parseQuery(event, peopleQuerySchema);
        return { ...(await searchPeople(deps, query.q, query.status, query.nextToken)) };
      }),
      'GET /api/people/{id}': operators(async (event) => ({ ...(await personDetail(deps, pathParam(event, 'id'), parseQuery(event, pageQuerySchema).nextToken)) })),
      'GET /api/findings': operators(async () => ({ ...(await findings(deps)) })),
    }),
  );
