import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import type { z } from 'zod';
import { NotFoundError, ValidationError } from '../domain/shared/errors.ts';
import { describeIssues } from '../domain/shared/validation.ts';
import { callerOf, type Caller } from './caller.ts';
import { jsonResponse } from './http-errors.ts';

/**
 * The console API's edge: one function serves a page family's routes, picked by API Gateway's
 * route key; the caller is who the JWT authorizer vouched for; query strings and bodies are
 * parsed by the route's zod schema (a 400 naming the field otherwise). Errors take the shape
 * every route answers with (`{ error, message }`, http-errors.ts).
 */
export type ConsoleRoute = (event: APIGatewayProxyEventV2, caller: Caller) => Promise<APIGatewayProxyStructuredResultV2 | Record<string, unknown>>;

export function consoleRoutes(routes: Record<string, ConsoleRoute>) {
  return async (event: APIGatewayProxyEventV2): Promise<APIGatewayProxyStructuredResultV2> => {
    const route = routes[event.routeKey];
    if (!route) throw new NotFoundError(`no route ${event.routeKey}`);
    const caller = callerOf(event);
    const result = await route(event, caller);
    return 'statusCode' in result && typeof result.statusCode === 'number' ? (result) : jsonResponse(200, result);
  };
}

export function parseQuery<S extends z.ZodType>(event: APIGatewayProxyEventV2, schema: S): z.infer<S> {
  const parsed = schema.safeParse(event.queryStringParameters ?? {});
  if (!parsed.success) throw new ValidationError(`query: ${describeIssues(parsed.error)}`);
  return parsed.data;
}

export function parseJsonBody<S extends z.ZodType>(event: APIGatewayProxyEventV2, schema: S): z.infer<S> {
  let json: unknown;
  try {
    json = JSON.parse(event.body ? (event.isBase64Encoded ? Buffer.from(event.body, 'base64').toString('utf8') : event.body) : '{}');
  } catch (error) {
    throw new ValidationError('body: not valid JSON', { cause: error });
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) throw new ValidationError(`body: ${describeIssues(parsed.error)}`);
  return parsed.data;
}

/** Every path parameter, parsed by the route's schema (a 400 naming the parameter otherwise). */
export function parsePath<S extends z.ZodType>(event: APIGatewayProxyEventV2, schema: S): z.infer<S> {
  const parsed = schema.safeParse(event.pathParameters ?? {});
  if (!parsed.success) throw new ValidationError(`path: ${describeIssues(parsed.error)}`);
  return parsed.data;
}

export const pathParam = (event: APIGatewayProxyEventV2, name: string): string => {
  const value = event.pathParameters?.[name];
  if (!value) throw new ValidationError(`path: ${name} is required`);
  return value;
};
