import { Annotations, RemovalPolicy } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import { HttpApi, HttpMethod, HttpStage, LogGroupLogDestination } from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpJwtAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import { FilterPattern, LogGroup, MetricFilter, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { Metric } from 'aws-cdk-lib/aws-cloudwatch';
import { Construct } from 'constructs';
import { ROUTES } from '../spec/wiring.ts';
import { acknowledge } from './nag.ts';
import { pascal } from './names.ts';
import type { Functions } from './functions.ts';

export interface ApiProps {
  rateLimit: number;
  burstLimit: number;
  logRetention: RetentionDays;
}

/** The identity provider whose JWTs the `auth: 'jwt'` routes accept (context oidcIssuer / oidcAudience). */
export interface JwtAuthConfig {
  issuer: string;
  audiences: string[];
}

/** Fields of each access log line (JSON); `status` also feeds the 429 metric. */
const ACCESS_LOG = {
  requestId: '$context.requestId',
  ip: '$context.identity.sourceIp',
  requestTime: '$context.requestTime',
  routeKey: '$context.routeKey',
  status: '$context.status',
  responseLength: '$context.responseLength',
  integrationError: '$context.integrationErrorMessage',
  latency: '$context.responseLatency',
};

/**
 * The HTTP API: webhook and approval routes (wiring.ts ROUTES), a throttled $default stage
 * with JSON access logs. Created before the functions (they may need its URL for approval
 * links), routed after them.
 */
export class Api extends Construct {
  readonly api: HttpApi;
  readonly accessLogs: LogGroup;
  /** Requests the stage throttled (429), from the access logs. */
  readonly throttledRequests: Metric;

  constructor(scope: Construct, id: string, props: ApiProps) {
    super(scope, id);
    this.api = new HttpApi(this, 'HttpApi', {
      apiName: 'gatehouse',
      description: 'Gatehouse: HRIS webhooks and approval pages',
      createDefaultStage: false,
    });
    this.accessLogs = new LogGroup(this, 'AccessLogs', { retention: props.logRetention, removalPolicy: RemovalPolicy.RETAIN });
    new HttpStage(this, 'DefaultStage', {
      httpApi: this.api,
      stageName: '$default',
      autoDeploy: true,
      throttle: { rateLimit: props.rateLimit, burstLimit: props.burstLimit },
      accessLogSettings: {
        destination: new LogGroupLogDestination(this.accessLogs),
        format: AccessLogFormat.custom(JSON.stringify(ACCESS_LOG)),
      },
    });
    const filter = new MetricFilter(this, 'ThrottledRequests', {
      logGroup: this.accessLogs,
      filterPattern: FilterPattern.numberValue('$.status', '=', 429),
      metricNamespace: 'Gatehouse',
      metricName: 'HttpApiThrottled',
      metricValue: '1',
      defaultValue: 0,
    });
    this.throttledRequests = filter.metric({ statistic: 'Sum' });
  }

  /** The API's base URL, e.g. for approval links. */
  get url(): string {
    return this.api.apiEndpoint;
  }

  /**
   * Adds every route of wiring.ts ROUTES, one integration per function. Routes with
   * `auth: 'jwt'` get the JWT authorizer (Authorization header; issuer and audiences from
   * context); without an issuer they are not created at all, and synth warns: an
   * authenticated route is never served unauthenticated.
   */
  addRoutes(functions: Functions, jwt: JwtAuthConfig | undefined): void {
    const integrations = new Map<string, HttpLambdaIntegration>();
    const authorizer = jwt
      ? new HttpJwtAuthorizer('JwtAuthorizer', jwt.issuer, { jwtAudience: jwt.audiences, identitySource: ['$request.header.Authorization'] })
      : undefined;
    const skipped: string[] = [];
    for (const route of ROUTES) {
      const needsJwt = 'auth' in route && route.auth === 'jwt';
      if (needsJwt && !authorizer) {
        skipped.push(`${route.method} ${route.path}`);
        continue;
      }
      let integration = integrations.get(route.function);
      if (!integration) {
        integration = new HttpLambdaIntegration(`${pascal(route.function)}Integration`, functions.get(route.function, `route ${route.method} ${route.path}`));
        integrations.set(route.function, integration);
      }
      const [created] = this.api.addRoutes({ path: route.path, methods: [HttpMethod[route.method]], integration, ...(needsJwt ? { authorizer } : {}) });
      if (created && !needsJwt) {
        acknowledge(
          created,
          'AwsSolutions-APIG4',
          route.function === 'hris-webhook'
            ? 'HRIS vendors cannot present AWS credentials or JWTs; the function verifies an HMAC signature and timestamp over the raw body before anything happens, and rejects unsigned calls with 401.'
            : 'Approval links are opened from e-mail by people outside AWS; the unguessable approval id (>=128 bits), the bound approver, expiry, single use and a CSRF token on the POST are the authorisation (issue 3).',
        );
      }
    }
    if (skipped.length > 0) {
      Annotations.of(this).addWarningV2(
        'gatehouse:oidc-unset',
        `context oidcIssuer and oidcAudience are not set: the authenticated routes ${skipped.join(', ')} are not created (docs/auth.md)`,
      );
    }
  }
}
