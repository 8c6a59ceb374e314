import type { MiddlewareObj } from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { DomainError, UnauthorizedError } from '../domain/shared/errors.ts';
import { logger } from '../runtime/logger.ts';

export const jsonResponse = (statusCode: number, body: unknown, headers: Record<string, string> = {}): APIGatewayProxyStructuredResultV2 => ({
  statusCode,
  headers: { 'content-type': 'application/json', 'cache-control': 'no-store', ...headers },
  body: JSON.stringify(body),
});

/**
 * Maps typed errors to HTTP once, at the edge: a DomainError with `expose` becomes its
 * status and message (401 never says why), anything else an opaque 500 that is logged.
 */
export function httpErrors(): MiddlewareObj<APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2> {
  return {
    onError: (request) => {
      const error = request.error;
      if (error instanceof UnauthorizedError) {
        logger.warn('request rejected: unauthorized');
        request.response = jsonResponse(401, { error: 'Unauthorized' });
      } else if (error instanceof DomainError && error.expose) {
        logger.info('request rejected', { error: error.name, reason: error.message });
        request.response = jsonResponse(error.statusCode, { error: error.name, message: error.message });
      } else {
        logger.error('request failed', { error: error ?? undefined });
        request.response = jsonResponse(500, { error: 'InternalServerError' });
      }
    },
  };
}

/** The request body as the exact bytes that were sent (signatures are over these). */
export function rawBody(event: APIGatewayProxyEventV2): Buffer {
  if (event.body === undefined) return Buffer.alloc(0);
  return Buffer.from(event.body, event.isBase64Encoded ? 'base64' : 'utf8');
}
