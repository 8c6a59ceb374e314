import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { z } from 'zod';
import { catalogueVersionId, roleCatalogue } from '#lib/catalogue/catalogue';
import { eventbridgeClient } from '#lib/clients/eventbridge';
import { loadConfig } from '#lib/config';
import { httpErrors, jsonResponse, rawBody } from '#lib/http/http-errors';
import { systemClock } from '#lib/hris/types';
import { acceptWebhook, type AcceptWebhookDeps } from '#lib/ingest/accept-webhook';
import { directoryFromConfig } from '#lib/ingest/directory';
import { eventBridgePublisher } from '#lib/ingest/eventbridge-publisher';
import { secretsManagerSigningSecrets } from '#lib/ingest/secrets';
import { logger } from '#lib/logger';

const config = loadConfig(
  z.object({
    EVENT_BUS_NAME: z.string().min(1),
    HRIS_SECRET_PREFIX: z.string().min(1),
    HRIS_DIRECTORY_FILE: z.string().min(1).optional(),
  }),
);

const deps: AcceptWebhookDeps = {
  secrets: secretsManagerSigningSecrets(config.HRIS_SECRET_PREFIX),
  directory: directoryFromConfig(config.HRIS_DIRECTORY_FILE),
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
