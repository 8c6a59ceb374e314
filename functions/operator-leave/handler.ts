import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { z } from 'zod';
import { documentClient } from '#lib/adapters/dynamodb/client';
import { sfnClient } from '#lib/adapters/aws/clients/sfn';
import { loadConfig } from '#lib/runtime/config';
import { ForbiddenError } from '#lib/domain/shared/errors';
import { callerOf, requireGroup } from '#lib/http/caller';
import { httpErrors, jsonResponse, rawBody } from '#lib/http/http-errors';
import { logger } from '#lib/runtime/logger';
import { employeeStatuses, leaverWorkflow } from '#lib/adapters/aws/operator';
import { killSwitch, type KillSwitchDeps } from '#lib/domain/operator/kill-switch';

const config = loadConfig(
  z.object({
    EMPLOYEES_TABLE_NAME: z.string().min(1),
    LEAVER_STATE_MACHINE_ARN: z.string().startsWith('arn:'),
    OPERATOR_GROUP: z.string().min(1),
  }),
);

const deps: KillSwitchDeps = {
  employees: employeeStatuses(documentClient, config.EMPLOYEES_TABLE_NAME),
  workflow: leaverWorkflow(sfnClient, config.LEAVER_STATE_MACHINE_ARN),
  clock: { now: () => new Date() },
};

/** Audit actor ids are printable, no spaces (audit/entry.ts). */
const AUDIT_ID = /^[\x21-\x7e]{1,254}$/;

/**
 * POST /operator/leavers (JWT): the operator kill switch. Operators only (OPERATOR_GROUP);
 * body {employeeId, reason}; optional Idempotency-Key header. 202 {executionName, status}.
 */
export const handler = middy<APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2>()
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .use(httpErrors())
  .handler(async (event) => {
    const caller = callerOf(event);
    requireGroup(caller, config.OPERATOR_GROUP);
    const operatorId = caller.email ?? caller.subject;
    if (!AUDIT_ID.test(operatorId)) throw new ForbiddenError('token subject cannot be recorded as the audit actor (printable, no spaces, at most 254)');
    const result = await killSwitch(deps, { operatorId, rawBody: rawBody(event), idempotencyKey: event.headers['idempotency-key'] });
    logger.info(result.replayed ? 'kill switch replayed' : 'kill switch pulled', { executionName: result.executionName, status: result.status });
    return jsonResponse(202, result);
  });
