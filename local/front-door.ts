import { randomUUID } from 'node:crypto';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { ROUTES } from '../infra/spec/wiring.ts';
import { functionArn } from './core/arn.ts';
import type { HttpRequest, HttpResponse, RequestHandler } from './core/http.ts';
import type { Authorization, AuthorizedJwt } from './jwt-authorizer.ts';

/** API Gateway's own payload limit: larger requests never reach a function. */
const API_GATEWAY_MAX_BYTES = 10 * 1024 * 1024;

interface Invoker {
  invoke(functionArn: string, payload: unknown): Promise<unknown>;
}

/** Verifies a request's Authorization header for `auth: 'jwt'` routes (jwt-authorizer.ts). */
export type Authorizer = (authorization: string | undefined) => Promise<Authorization>;

const BAD_REQUEST: HttpResponse = { status: 400, headers: { 'content-type': 'application/json' }, body: '{"message":"Bad Request"}' };

const denyAll: Authorizer = () => Promise.resolve({ ok: false, reason: 'no issuer configured' });

const UNAUTHORIZED: HttpResponse = { status: 401, headers: { 'content-type': 'application/json' }, body: '{"message":"Unauthorized"}' };

function matchRoute(method: string, path: string) {
  for (const route of ROUTES) {
    if (route.method !== method) continue;
    const want = route.path.split('/');
    const got = path.split('/');
    if (want.length !== got.length) continue;
    const params: Record<string, string> = {};
    const ok = want.every((segment, i) => {
      const actual = got[i] ?? '';
      if (segment.startsWith('{')) {
        params[segment.slice(1, -1)] = decodeURIComponent(actual);
        return actual !== '';
      }
      return segment === actual;
    });
    if (ok) return { route, params };
  }
  return undefined;
}

const TEXTUAL = /^(application\/(json|x-www-form-urlencoded|xml)|text\/)/;

/** Builds the API Gateway HTTP API (payload format 2.0) event for a request. */
export function apiGatewayEvent(req: HttpRequest, routeKey: string, params: Record<string, string>, jwt?: AuthorizedJwt): APIGatewayProxyEventV2 {
  const { cookie, ...headers } = req.headers;
  const textual = TEXTUAL.test(headers['content-type'] ?? 'application/json');
  const now = new Date();
  const rawQueryString = req.query.toString();
  return {
    version: '2.0',
    routeKey,
    rawPath: req.path,
    rawQueryString,
    ...(cookie ? { cookies: cookie.split(';').map((c) => c.trim()) } : {}),
    headers,
    ...(rawQueryString ? { queryStringParameters: Object.fromEntries(req.query) } : {}),
    pathParameters: params,
    requestContext: {
      accountId: '000000000000',
      apiId: 'local',
      domainName: headers.host ?? '127.0.0.1',
      domainPrefix: 'local',
      http: { method: req.method, path: req.path, protocol: 'HTTP/1.1', sourceIp: '127.0.0.1', userAgent: headers['user-agent'] ?? '' },
      requestId: randomUUID(),
      routeKey,
      ...(jwt ? { authorizer: { jwt: { claims: jwt.claims, scopes: jwt.scopes as string[] } } } : {}),
      stage: '$default',
      time: now.toUTCString(),
      timeEpoch: now.getTime(),
    },
    ...(req.body.length > 0 ? { body: textual ? req.body.toString('utf8') : req.body.toString('base64') } : {}),
    isBase64Encoded: req.body.length > 0 && !textual,
  };
}

/** Maps a handler's result to HTTP the way API Gateway does (plain values become 200 JSON). */
export function toHttpResponse(result: unknown): HttpResponse {
  if (result && typeof result === 'object' && 'statusCode' in result) {
    const structured = result as APIGatewayProxyStructuredResultV2;
    const headers: Record<string, string> = {};
    for (const [key, value] of Object.entries(structured.headers ?? {})) headers[key.toLowerCase()] = String(value);
    if (structured.cookies?.length) headers['set-cookie'] = structured.cookies.join(', ');
    const body = structured.body ?? '';
    return { status: structured.statusCode ?? 200, headers, body: structured.isBase64Encoded ? Buffer.from(body, 'base64') : body };
  }
  return { status: 200, headers: { 'content-type': 'application/json' }, body: JSON.stringify(result ?? null) };
}

/**
 * The local HTTP API: the stack's routes (infra/spec/wiring.ts) to the same handlers,
 * with API Gateway v2 events. `extra` serves local-only control routes under /_local/.
 * Routes with `auth: 'jwt'` pass `authorize` first, as API Gateway's JWT authorizer: a request
 * it refuses gets 401 `{"message":"Unauthorized"}` and the function is not invoked. Without
 * an authorizer every such request is refused.
 */
export function frontDoor(runtime: Invoker, extra: RequestHandler, authorize: Authorizer = denyAll): RequestHandler {
  return async (req) => {
    if (req.path.startsWith('/_local/') || req.path === '/') return extra(req);
    if (req.body.length > API_GATEWAY_MAX_BYTES) {
      return { status: 413, headers: { 'content-type': 'application/json' }, body: '{"message":"Request Entity Too Large"}' };
    }
    let match: ReturnType<typeof matchRoute>;
    try {
      match = matchRoute(req.method, req.path);
    } catch (error) {
      // A path parameter with a malformed percent-encoding (`%E0%A4%A`): API Gateway answers 400 before any function runs.
      if (error instanceof URIError) return BAD_REQUEST;
      throw error;
    }
    if (!match) return { status: 404, headers: { 'content-type': 'application/json' }, body: '{"message":"Not Found"}' };
    const routeKey = `${match.route.method} ${match.route.path}`;
    let jwt: AuthorizedJwt | undefined;
    if ('auth' in match.route && match.route.auth === 'jwt') {
      const verdict = await authorize(req.headers.authorization);
      if (!verdict.ok) {
        // Not part of API Gateway's answer: the reason, for whoever debugs a local token.
        return { ...UNAUTHORIZED, headers: { ...UNAUTHORIZED.headers, 'x-gatehouse-local-auth-error': verdict.reason.replace(/[^\x20-\x7e]/g, ' ') } };
      }
      jwt = verdict.jwt;
    }
    try {
      return toHttpResponse(await runtime.invoke(functionArn(match.route.function), apiGatewayEvent(req, routeKey, match.params, jwt)));
    } catch (error) {
      console.error(`[local-cloud] ${routeKey} failed`, error);
      return { status: 500, headers: { 'content-type': 'application/json' }, body: '{"message":"Internal Server Error"}' };
    }
  };
}
