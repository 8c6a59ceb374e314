import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { z } from 'zod';
import { createConsoleReads } from '#lib/adapters/console/dynamodb-reads';
import { roleCatalogue } from '#lib/runtime/catalogue';
import { documentClient } from '#lib/adapters/dynamodb/client';
import { loadConfig } from '#lib/runtime/config';
import { approverPreview, catalogueItems, myAccess, whoAmI, type SelfServiceDeps } from '#lib/domain/console/self-service';
import { consoleRoutes, parseQuery, pathParam } from '#lib/http/console-api';
import { httpErrors } from '#lib/http/http-errors';
import { logger } from '#lib/runtime/logger';
import { approversQuerySchema, pageQuerySchema } from '#lib/tasks/console';

/** GET /api/me, /api/catalogue, /api/catalogue/{id}/approvers, /api/my/access (any signed-in person). */
const config = loadConfig(
  z.object({
    EMPLOYEES_TABLE_NAME: z.string().min(1),
    REQUESTS_TABLE_NAME: z.string().min(1),
    APPROVALS_TABLE_NAME: z.string().min(1),
    GRANTS_TABLE_NAME: z.string().min(1),
    OPERATOR_GROUP: z.string().min(1),
    AUDITOR_GROUP: z.string().min(1),
  }),
);

const deps: SelfServiceDeps = {
  catalogue: roleCatalogue,
  reads: createConsoleReads(documentClient, {
    employees: config.EMPLOYEES_TABLE_NAME,
    requests: config.REQUESTS_TABLE_NAME,
    approvals: config.APPROVALS_TABLE_NAME,
    grants: config.GRANTS_TABLE_NAME,
    audit: '',
  }),
  operatorGroup: config.OPERATOR_GROUP,
  auditorGroup: config.AUDITOR_GROUP,
  now: () => new Date(),
};

export const handler = middy<APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2>()
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .use(httpErrors())
  .handler(
    consoleRoutes({
      'GET /api/me': async (_event, caller) => whoAmI(deps, caller, caller.email ? await deps.reads.employeeByEmail(caller.email) : undefined),
      'GET /api/catalogue': () => Promise.resolve(catalogueItems(deps.catalogue)),
      'GET /api/catalogue/{id}/approvers': (event, caller) => approverPreview(deps, caller, pathParam(event, 'id'), parseQuery(event, approversQuerySchema).duration),
      'GET /api/my/access': async (event, caller) => ({ ...(await myAccess(deps, caller, parseQuery(event, pageQuerySchema).nextToken)) }),
    }),
  );
