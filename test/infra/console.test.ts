import { beforeAll, describe, expect, it } from 'vitest';
import { ofType, synthGatehouse, type Synthesised } from './synth.ts';

/** The console on AWS: private bucket behind CloudFront with OAC, strict headers, the API under the same origin. */

let synth: Synthesised;
beforeAll(() => {
  synth = synthGatehouse();
});

const distribution = () => {
  const [found] = ofType(synth.resources, 'AWS::CloudFront::Distribution');
  expect(found).toBeDefined();
  return (found![1].Properties as { DistributionConfig: Record<string, unknown> }).DistributionConfig;
};

describe('console hosting', () => {
  it('keeps the site bucket private, read by CloudFront through origin access control only', () => {
    const oac = ofType(synth.resources, 'AWS::CloudFront::OriginAccessControl');
    expect(oac).toHaveLength(1);
    expect(oac[0]![1].Properties).toMatchObject({ OriginAccessControlConfig: { OriginAccessControlOriginType: 's3', SigningBehavior: 'always', SigningProtocol: 'sigv4' } });
    const origins = distribution().Origins as { S3OriginConfig?: { OriginAccessIdentity?: string }; OriginAccessControlId?: unknown }[];
    const s3 = origins.find((o) => o.S3OriginConfig);
    expect(s3?.OriginAccessControlId).toBeDefined();
    expect(s3?.S3OriginConfig?.OriginAccessIdentity ?? '').toBe('');
    const policies = ofType(synth.resources, 'AWS::S3::BucketPolicy').map(([, p]) => JSON.stringify(p.Properties));
    expect(policies.some((p) => p.includes('cloudfront.amazonaws.com') && p.includes('AWS:SourceArn'))).toBe(true);
  });

  it('sends every response with a strict CSP and the security headers', () => {
    const [policy] = ofType(synth.resources, 'AWS::CloudFront::ResponseHeadersPolicy');
    const config = (policy![1].Properties as { ResponseHeadersPolicyConfig: { SecurityHeadersConfig: Record<string, Record<string, unknown>> } }).ResponseHeadersPolicyConfig.SecurityHeadersConfig;
    const csp = String(config.ContentSecurityPolicy?.ContentSecurityPolicy);
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain('connect-src \'self\' https://corp.okta.example.com');
    expect(csp).not.toContain('unsafe-inline');
    expect(config.FrameOptions).toMatchObject({ FrameOption: 'DENY' });
    expect(config.StrictTransportSecurity).toMatchObject({ IncludeSubdomains: true });
  });

  it('serves the API under the same origin, uncached, with the Authorization header forwarded', () => {
    const behaviors = distribution().CacheBehaviors as { PathPattern: string; CachePolicyId: string; AllowedMethods: string[]; OriginRequestPolicyId: string }[];
    expect(behaviors.map((b) => b.PathPattern).sort()).toEqual(['/access-requests*', '/api*', '/operator*']);
    for (const b of behaviors) {
      expect(b.CachePolicyId).toBe('4135ea2d-6df8-44a3-9df3-4b5a84be39ad'); // managed CachingDisabled
      expect(b.OriginRequestPolicyId).toBe('b689b0a8-53d0-40ab-baf2-68738e2966ac'); // managed AllViewerExceptHostHeader
      expect(b.AllowedMethods).toContain('POST');
    }
  });

  it('routes the app’s own paths to index.html with a viewer-request function, not error responses that would hide API 403s', () => {
    expect(distribution().CustomErrorResponses).toBeUndefined();
    const [fn] = ofType(synth.resources, 'AWS::CloudFront::Function');
    expect(String((fn![1].Properties as { FunctionCode: string }).FunctionCode)).toContain("'/index.html'");
  });

  it('deploys the build with its config.json', () => {
    const [deployment] = ofType(synth.resources, 'Custom::CDKBucketDeployment');
    expect(deployment).toBeDefined();
  });
});
