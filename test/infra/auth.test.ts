import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseContext } from '../../infra/config.ts';
import { REPO_ROOT } from '../../infra/gatehouse.ts';
import { ROUTES } from '../../infra/spec/wiring.ts';
import { asList, DEPLOY_CONTEXT, ofType, policyStatements, referencedId, synthGatehouse, type Synthesised } from './synth.ts';
import { functionLogicalId } from './template.ts';

/**
 * Authenticated routes on AWS: one HTTP API JWT authorizer (issuer and audiences from context)
 * on exactly the routes wiring.ts marks `auth: 'jwt'`; without an issuer those routes do not
 * exist and synth warns; OPERATOR_GROUP reaches the kill switch; its role starts and reads
 * leaver executions only.
 */

const AUDIENCES = ['api://gatehouse', '0oa1gatehouseclient'];
const JWT_ROUTES = ROUTES.filter((route) => 'auth' in route && route.auth === 'jwt');
const OPEN_ROUTES = ROUTES.filter((route) => !('auth' in route));
const key = (route: { method: string; path: string }) => `${route.method} ${route.path}`;

let configured: Synthesised;
let unconfigured: Synthesised;
beforeAll(() => {
  configured = synthGatehouse({ ...DEPLOY_CONTEXT, oidcAudience: AUDIENCES.join(','), operatorGroup: 'okta-gatehouse-ops' });
  unconfigured = synthGatehouse(Object.fromEntries(Object.entries(DEPLOY_CONTEXT).filter(([name]) => !name.startsWith('oidc'))));
}, 300_000);

const routesOf = (synth: Synthesised) => new Map(ofType(synth.resources, 'AWS::ApiGatewayV2::Route').map(([, r]) => [String(r.Properties?.RouteKey), r.Properties ?? {}]));

describe('JWT authorizer (oidcIssuer and oidcAudience set)', () => {
  it('creates one JWT authorizer reading the Authorization header, with the issuer and audiences from context', () => {
    const authorizers = ofType(configured.resources, 'AWS::ApiGatewayV2::Authorizer');
    expect(authorizers).toHaveLength(1);
    expect(authorizers[0]?.[1].Properties).toMatchObject({
      AuthorizerType: 'JWT',
      IdentitySource: ['$request.header.Authorization'],
      JwtConfiguration: { Issuer: DEPLOY_CONTEXT.oidcIssuer, Audience: AUDIENCES },
    });
  });

  it('attaches it to exactly the jwt routes; every other route stays unauthenticated at the API', () => {
    expect(JWT_ROUTES.map(key)).toContain('POST /operator/leavers');
    const authorizerId = ofType(configured.resources, 'AWS::ApiGatewayV2::Authorizer')[0]?.[0];
    const routes = routesOf(configured);
    expect(routes.size).toBe(ROUTES.length);
    for (const route of JWT_ROUTES) {
      const props = routes.get(key(route));
      expect(props?.AuthorizationType, key(route)).toBe('JWT');
      expect(referencedId(props?.AuthorizerId), key(route)).toBe(authorizerId);
    }
    for (const route of OPEN_ROUTES) {
      const props = routes.get(key(route));
      expect(props, key(route)).toBeDefined();
      expect(props?.AuthorizerId, key(route)).toBeUndefined();
      expect(props?.AuthorizationType ?? 'NONE', key(route)).toBe('NONE');
    }
  });

  it('hands the operator group to the kill switch', () => {
    const env = (configured.resources[functionLogicalId(configured.resources, 'operator-leave')]?.Properties?.Environment as { Variables: Record<string, unknown> }).Variables;
    expect(env.OPERATOR_GROUP).toBe('okta-gatehouse-ops');
    expect(Object.keys(env)).toEqual(expect.arrayContaining(['EMPLOYEES_TABLE_NAME', 'LEAVER_STATE_MACHINE_ARN']));
  });

  it('lets the kill switch start and describe leaver executions, and nothing else in Step Functions', () => {
    const role = referencedId(configured.resources[functionLogicalId(configured.resources, 'operator-leave')]?.Properties?.Role);
    const states = policyStatements(configured.resources)
      .filter(({ roles }) => roles.includes(role ?? ''))
      .map(({ statement }) => statement)
      .filter((statement) => asList(statement.Action).some((action) => action.startsWith('states:')));
    expect(states.map((s) => asList(s.Action).sort())).toEqual([['states:StartExecution'], ['states:DescribeExecution']]);
    expect(JSON.stringify(states[0]?.Resource)).toMatch(/:stateMachine:gatehouse-leaver"/);
    expect(JSON.stringify(states[1]?.Resource)).toMatch(/:execution:gatehouse-leaver:\*"/);
  });

  it('keeps cdk-nag (APIG4 included) clean with no acknowledgement on a jwt route', () => {
    const report = JSON.parse(readFileSync(join(configured.outdir, 'validation-report.json'), 'utf8')) as {
      pluginReports: { pluginName: string; conclusion: string; suppressedViolations?: { ruleName: string; resourceLogicalId?: string }[] }[];
    };
    const nag = report.pluginReports.find((plugin) => plugin.pluginName === 'AwsSolutions');
    expect(nag?.conclusion).toBe('success');
    const jwtRouteIds = ofType(configured.resources, 'AWS::ApiGatewayV2::Route')
      .filter(([, r]) => r.Properties?.AuthorizationType === 'JWT')
      .map(([id]) => id);
    const acknowledged = (nag?.suppressedViolations ?? []).filter((s) => s.ruleName === 'AwsSolutions-APIG4').map((s) => JSON.stringify(s));
    for (const id of jwtRouteIds) expect(acknowledged.filter((s) => s.includes(id)), id).toEqual([]);
  });
});

describe('without an issuer (cdk.json defaults)', () => {
  it('creates no authorizer and no jwt route, keeps the other routes, and warns naming the context keys', () => {
    expect(ofType(unconfigured.resources, 'AWS::ApiGatewayV2::Authorizer')).toEqual([]);
    const routes = routesOf(unconfigured);
    expect([...routes.keys()].sort()).toEqual(OPEN_ROUTES.map(key).sort());
    const metadata = JSON.parse(readFileSync(join(unconfigured.outdir, 'Gatehouse.metadata.json'), 'utf8')) as Record<string, { type: string; data: unknown }[]>;
    const warnings = (metadata['/Gatehouse/Api'] ?? []).filter((entry) => entry.type === 'aws:cdk:warning').map((entry) => String(entry.data));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/^context oidcIssuer and oidcAudience are not set: the authenticated routes .*POST \/operator\/leavers.* are not created \(docs\/auth.md\)/);
  });
});

describe('auth context', () => {
  const parse = (raw: Record<string, unknown>) => parseContext(raw, REPO_ROOT);

  it('defaults the operator group and leaves the issuer unset', () => {
    const config = parse({});
    expect(config.operatorGroup).toBe('gatehouse-operators');
    expect(config.oidcIssuer).toBeUndefined();
    expect(config.oidcAudience).toBeUndefined();
  });

  it.each([
    [{ oidcIssuer: 'http://idp.example.com', oidcAudience: 'gatehouse' }, /context oidcIssuer: must be the https:\/\/ issuer URL/],
    [{ oidcIssuer: 'https://idp.example.com' }, /context oidcIssuer and oidcAudience: set both/],
    [{ oidcAudience: 'gatehouse' }, /context oidcIssuer and oidcAudience: set both/],
    [{ oidcIssuer: 'https://idp.example.com', oidcAudience: 'two words' }, /context oidcAudience: must be 1-10 audiences/],
    [{ operatorGroup: 'gatehouse operators' }, /context operatorGroup: must be a group name or id, no spaces/],
  ])('rejects %j with a message naming the key', (raw, message) => {
    expect(() => parse(raw)).toThrow(message);
  });
});
