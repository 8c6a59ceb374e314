import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { NotFoundError } from '../../domain/shared/errors.ts';
import { callerOf } from '../caller.ts';
import { jsonResponse, rawBody } from '../http-errors.ts';
import { logger } from '../../runtime/logger.ts';
import { extendAccessRequest, getAccessRequest, revokeAccessRequest, submitAccessRequest, withdrawAccessRequest, type AccessRequestsDeps, type Answer } from './api.ts';

/**
 * The four time-bound-api routes by API Gateway route key. The caller comes from the JWT
 * authorizer's claims only (callerOf: 401 when absent); errors map to HTTP in httpErrors().
 */
export function accessRequestRoute(deps: AccessRequestsDeps) {
  return async (event: APIGatewayProxyEventV2): Promise<APIGatewayProxyStructuredResultV2> => {
    const caller = callerOf(event);
    const id = event.pathParameters?.id ?? '';
    let answer: Answer;
    switch (event.routeKey) {
      case 'POST /access-requests':
        answer = await submitAccessRequest(deps, caller, rawBody(event), event.headers['idempotency-key']);
        break;
      case 'GET /access-requests/{id}':
        answer = await getAccessRequest(deps, caller, id);
        break;
      case 'POST /access-requests/{id}/revoke':
        answer = await revokeAccessRequest(deps, caller, id, rawBody(event));
        break;
      case 'POST /access-requests/{id}/extend':
        answer = await extendAccessRequest(deps, caller, id, rawBody(event), event.headers['idempotency-key']);
        break;
      case 'POST /access-requests/{id}/withdraw':
        answer = await withdrawAccessRequest(deps, caller, id, rawBody(event));
        break;
      default:
        throw new NotFoundError(`no route ${event.routeKey}`);
    }
    logger.info('access request answered', { routeKey: event.routeKey, status: answer.statusCode, requestId: String(answer.body.requestId) });
    return jsonResponse(answer.statusCode, answer.body);
  };
}
