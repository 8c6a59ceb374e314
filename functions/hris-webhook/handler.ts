import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { z } from 'zod';
import { catalogueVersionId, roleCatalogue } from '#lib/runtime/catalogue';
import { eventbridgeClient } from '#lib/adapters/aws/clients/eventbridge';
import { loadConfig } from '#lib/runtime/config';
import { httpErrors, jsonResponse, rawBody } from '#lib/http/http-errors';
import { systemClock } from '#lib/domain/shared/clock';
import { acceptWebhook, type AcceptWebhookDeps } from '#lib/domain/ingest/accept-webhook';
import { directoryFromConfig } from '#lib/runtime/hris-directory';
import { eventBridgePublisher } from '#lib/adapters/aws/eventbridge';
import { secretsManagerSigningSecrets } from '#lib/adapters/aws/secrets-manager';
import { logger } from '#lib/runtime/logger';

const config = loadConfig(
  z.object({
    EVENT_BUS_NAME: z.string().min(1),
    HRIS_SECRET_PREFIX: z.string().min(1),
  }),
);

const deps: AcceptWebhookDeps = {
  secrets: secretsManagerSigningSecrets(config.HRIS_SECRET_PREFIX),
  directory: directoryFromConfig(config.HRIS_SECRET_PREFIX),
  publisher: eventBridgePublisher(eventbridgeClient, config.EVENT_BUS_NAME),
  clock: systemClock,
  catalogue: { catalogue: roleCatalogue, version: catalogueVersionId },
};

/** POST /hris/{source}: verify, normalise, publish, answer 202. */
export const handler = middy<APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2>()
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .use(httpErrors())
  .handler(async (event) => {
    const source = event.pathParameters?.source ?? '';
    const accepted = await acceptWebhook(source, { headers: event.headers as Record<string, string>, rawBody: rawBody(event) }, deps);
    logger.info('webhook accepted', { source, deliveryId: accepted.deliveryId, events: accepted.events });
    return jsonResponse(202, accepted);
  });
