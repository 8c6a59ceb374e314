import { randomUUID } from 'node:crypto';
import { AwsError } from './aws-error.ts';
import type { FaultInjector } from './faults.ts';
import type { HttpRequest, HttpResponse, RequestHandler } from './http.ts';

/** One emulated operation: receives the decoded request input, returns the output. */
export type Operation<In = unknown> = (input: In) => unknown;
export type Operations = Record<string, Operation>;

export interface ServiceOptions {
  /** Service id used in fault rules and logs: identitystore, ec2, events, scheduler, secretsmanager, sfn. */
  service: string;
  faults?: FaultInjector;
}

function internalError(error: unknown, service: string): AwsError {
  console.error(`[local-cloud] ${service} operation crashed`, error);
  return new AwsError('InternalServerException', 'Internal error in the local emulator', 500);
}

function asAwsError(error: unknown, service: string): AwsError {
  return error instanceof AwsError ? error : internalError(error, service);
}

// ---------------------------------------------------------------- awsJson 1.0 / 1.1

export interface AwsJsonOptions extends ServiceOptions {
  /** The X-Amz-Target prefix, e.g. `AWSIdentityStore`, `AWSStepFunctions`, `AWSEvents`, `secretsmanager`. */
  targetPrefix: string;
  jsonVersion: '1.0' | '1.1';
  operations: Operations;
  /** Error code for an injected throttle. */
  throttleCode?: string;
}

function jsonError(error: AwsError, contentType: string): HttpResponse {
  return {
    status: error.status,
    headers: { 'content-type': contentType, 'x-amzn-errortype': error.code, 'x-amzn-requestid': randomUUID() },
    body: JSON.stringify({ __type: error.code, message: error.message, Message: error.message, ...error.extra }),
  };
}

/** Serves an awsJson protocol service (X-Amz-Target: `<prefix>.<Operation>`). */
export function awsJsonService(options: AwsJsonOptions): RequestHandler {
  const contentType = `application/x-amz-json-${options.jsonVersion}`;
  options.faults?.declare(options.service, Object.keys(options.operations));
  return async (req: HttpRequest) => {
    const target = req.headers['x-amz-target'] ?? '';
    const [prefix, operationName] = target.split('.');
    const operation = operationName ? options.operations[operationName] : undefined;
    if (req.method !== 'POST' || prefix !== options.targetPrefix || !operation || !operationName) {
      return jsonError(new AwsError('UnknownOperationException', `Unknown operation ${target}`), contentType);
    }
    let input: unknown;
    try {
      input = req.body.length === 0 ? {} : JSON.parse(req.body.toString('utf8'));
    } catch {
      return jsonError(new AwsError('SerializationException', 'Request body is not valid JSON'), contentType);
    }
    try {
      if (await options.faults?.shouldThrottle(options.service, operationName)) {
        throw new AwsError(options.throttleCode ?? 'ThrottlingException', 'Rate exceeded (injected by the local cloud)');
      }
      const output = await operation(input);
      return {
        status: 200,
        headers: { 'content-type': contentType, 'x-amzn-requestid': randomUUID() },
        body: JSON.stringify(output ?? {}),
      };
    } catch (error) {
      return jsonError(asAwsError(error, options.service), contentType);
    }
  };
}

// ---------------------------------------------------------------- EC2 query

/** EC2 query parameters, flat as sent: `InstanceId.1`, `Filter.1.Name`, `TagSpecification.1.Tag.1.Key`. */
export type QueryParams = Record<string, string>;

export interface Ec2QueryOptions extends ServiceOptions {
  /** Each operation returns the inner XML of `<{Op}Response>` (already escaped). */
  operations: Record<string, (params: QueryParams) => string | Promise<string>>;
}

export function xmlEscape(value: string): string {
  return value.replace(/[<>&'"]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', "'": '&apos;', '"': '&quot;' })[c] ?? c);
}

function ec2Error(error: AwsError): HttpResponse {
  const requestId = randomUUID();
  return {
    status: error.status,
    headers: { 'content-type': 'text/xml;charset=UTF-8' },
    body:
      `<?xml version="1.0" encoding="UTF-8"?>\n<Response><Errors><Error><Code>${xmlEscape(error.code)}</Code>` +
      `<Message>${xmlEscape(error.message)}</Message></Error></Errors><RequestID>${requestId}</RequestID></Response>`,
  };
}

/**
 * A Describe call with neither pagination nor a filter (nor ids): EC2 charges it to a smaller
 * token bucket ("Unfiltered and unpaginated non-mutating actions", EC2 API Reference, Request throttling).
 */
function isUnpaged(action: string, params: QueryParams): boolean {
  return action.startsWith('Describe') && !Object.keys(params).some((key) => /^(MaxResults|NextToken|Filter\.|[A-Za-z]+Id\.\d)/.test(key));
}

/** Serves the EC2 query protocol (form-encoded `Action=...&Version=2016-11-15`, XML replies). */
export function ec2QueryService(options: Ec2QueryOptions): RequestHandler {
  options.faults?.declare(options.service, Object.keys(options.operations));
  return async (req: HttpRequest) => {
    const params: QueryParams = Object.fromEntries(new URLSearchParams(req.body.toString('utf8')));
    const action = params.Action ?? '';
    const operation = options.operations[action];
    if (req.method !== 'POST' || !operation) {
      return ec2Error(new AwsError('InvalidAction', `The action ${action} is not valid for this web service.`));
    }
    try {
      if (await options.faults?.shouldThrottle(options.service, action, { unpaged: isUnpaged(action, params) })) {
        throw new AwsError('RequestLimitExceeded', 'Request limit exceeded (injected by the local cloud).', 503);
      }
      const inner = await operation(params);
      return {
        status: 200,
        headers: { 'content-type': 'text/xml;charset=UTF-8' },
        body:
          `<?xml version="1.0" encoding="UTF-8"?>\n<${action}Response xmlns="http://ec2.amazonaws.com/doc/2016-11-15/">` +
          `<requestId>${randomUUID()}</requestId>${inner}</${action}Response>`,
      };
    } catch (error) {
      return ec2Error(asAwsError(error, options.service));
    }
  };
}

// ---------------------------------------------------------------- restJson

export interface RestRoute {
  method: string;
  /** Path with `{param}` segments, e.g. `/schedules/{Name}`. */
  path: string;
  operation: string;
  handle: (input: { params: Record<string, string>; query: URLSearchParams; body: unknown }) => unknown;
  /** Success status (default 200). */
  status?: number;
}

export interface RestJsonOptions extends ServiceOptions {
  routes: RestRoute[];
}

function restError(error: AwsError): HttpResponse {
  return {
    status: error.status,
    headers: { 'content-type': 'application/json', 'x-amzn-errortype': error.code, 'x-amzn-requestid': randomUUID() },
    body: JSON.stringify({ Message: error.message, message: error.message, ...error.extra }),
  };
}

function matchPath(pattern: string, path: string): Record<string, string> | undefined {
  const want = pattern.split('/');
  const got = path.split('/');
  if (want.length !== got.length) return undefined;
  const params: Record<string, string> = {};
  for (const [i, segment] of want.entries()) {
    const actual = got[i] ?? '';
    if (segment.startsWith('{') && segment.endsWith('}')) {
      if (actual === '') return undefined;
      params[segment.slice(1, -1)] = decodeURIComponent(actual);
    } else if (segment !== actual) {
      return undefined;
    }
  }
  return params;
}

/** Serves a restJson1 service by method + path. */
export function restJsonService(options: RestJsonOptions): RequestHandler {
  options.faults?.declare(options.service, options.routes.map((route) => route.operation));
  return async (req: HttpRequest) => {
    for (const route of options.routes) {
      if (route.method !== req.method) continue;
      let params: Record<string, string> | undefined;
      try {
        params = matchPath(route.path, req.path);
      } catch (error) {
        if (error instanceof URIError) return restError(new AwsError('ValidationException', `Malformed percent-encoding in ${req.path}`));
        throw error;
      }
      if (!params) continue;
      try {
        const body: unknown = req.body.length === 0 ? {} : JSON.parse(req.body.toString('utf8'));
        if (await options.faults?.shouldThrottle(options.service, route.operation)) {
          throw new AwsError('ThrottlingException', 'Rate exceeded (injected by the local cloud)', 429);
        }
        const output = await route.handle({ params, query: req.query, body });
        return {
          status: route.status ?? 200,
          headers: { 'content-type': 'application/json', 'x-amzn-requestid': randomUUID() },
          body: JSON.stringify(output ?? {}),
        };
      } catch (error) {
        if (error instanceof SyntaxError) return restError(new AwsError('ValidationException', 'Request body is not valid JSON'));
        return restError(asAwsError(error, options.service));
      }
    }
    return restError(new AwsError('UnknownOperationException', `No operation for ${req.method} ${req.path}`, 404));
  };
}
