import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { z } from 'zod';
import { createWorkflowRuns } from '#lib/adapters/console/workflow-runs';
import { sfnClient } from '#lib/adapters/aws/clients/sfn';
import { loadConfig } from '#lib/runtime/config';
import { workflowOverview } from '#lib/domain/console/workflows';
import { requireGroup } from '#lib/http/caller';
import { consoleRoutes } from '#lib/http/console-api';
import { httpErrors } from '#lib/http/http-errors';
import { logger } from '#lib/runtime/logger';

/** GET /api/workflows: operators only. The state machine ARNs come from the environment, one per workflow. */
const WORKFLOWS = ['joiner', 'mover', 'leaver', 'access-grant'] as const;
const config = loadConfig(
  z.object({
    JOINER_STATE_MACHINE_ARN: z.string().startsWith('arn:'),
    MOVER_STATE_MACHINE_ARN: z.string().startsWith('arn:'),
    LEAVER_STATE_MACHINE_ARN: z.string().startsWith('arn:'),
    ACCESS_GRANT_STATE_MACHINE_ARN: z.string().startsWith('arn:'),
    OPERATOR_GROUP: z.string().min(1),
  }),
);
const arns: Record<(typeof WORKFLOWS)[number], string> = {
  joiner: config.JOINER_STATE_MACHINE_ARN,
  mover: config.MOVER_STATE_MACHINE_ARN,
  leaver: config.LEAVER_STATE_MACHINE_ARN,
  'access-grant': config.ACCESS_GRANT_STATE_MACHINE_ARN,
};
const runs = createWorkflowRuns(sfnClient, (workflow) => arns[workflow as (typeof WORKFLOWS)[number]]);

export const handler = middy<APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2>()
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .use(httpErrors())
  .handler(
    consoleRoutes({
      'GET /api/workflows': async (_event, caller) => {
        requireGroup(caller, config.OPERATOR_GROUP);
        return { ...(await workflowOverview(runs, WORKFLOWS)) };
      },
    }),
  );
