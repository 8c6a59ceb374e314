import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { z } from 'zod';
import { auditTableEntries } from '#lib/adapters/console/audit-reads';
import { documentClient } from '#lib/adapters/dynamodb/client';
import { loadConfig } from '#lib/runtime/config';
import { asCsv, asTable, auditLogPage, chainStatus, runAuditQuery } from '#lib/domain/console/audit';
import { ValidationError } from '#lib/domain/shared/errors';
import { requireGroup } from '#lib/http/caller';
import { consoleRoutes, parseQuery, pathParam } from '#lib/http/console-api';
import { httpErrors } from '#lib/http/http-errors';
import { logger } from '#lib/runtime/logger';
import { auditLogQuerySchema, auditQueryNameSchema, auditQuerySchema } from '#lib/tasks/console';

/**
 * GET /api/audit/{query} (JSON or ?format=csv), GET /api/audit/entries (the log, a page at a time: one
 * route with the questions keeps the stack's resource count down), GET /api/audit/chains: auditors only.
 */
const config = loadConfig(z.object({ AUDIT_TABLE_NAME: z.string().min(1), AUDITOR_GROUP: z.string().min(1) }));
const entries = auditTableEntries(documentClient, config.AUDIT_TABLE_NAME);

export const handler = middy<APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2>()
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .use(httpErrors())
  .handler(
    consoleRoutes({
      'GET /api/audit/chains': async (_event, caller) => {
        requireGroup(caller, config.AUDITOR_GROUP);
        return { ...(await chainStatus(entries)) };
      },
      'GET /api/audit/{query}': async (event, caller) => {
        requireGroup(caller, config.AUDITOR_GROUP);
        const query = pathParam(event, 'query');
        if (query === 'entries') return { ...(await auditLogPage(entries, parseQuery(event, auditLogQuerySchema))) };
        const name = auditQueryNameSchema.safeParse(query);
        if (!name.success) throw new ValidationError(`query: entries or one of ${auditQueryNameSchema.options.join(', ')}`);
        const params = parseQuery(event, auditQuerySchema);
        const result = await runAuditQuery(entries, name.data, params);
        if (params.format === 'json') return { ...asTable(result) };
        return {
          statusCode: 200,
          headers: { 'content-type': 'text/csv; charset=utf-8', 'content-disposition': `attachment; filename="${name.data}.csv"`, 'cache-control': 'no-store' },
          body: asCsv(result),
        };
      },
    }),
  );
