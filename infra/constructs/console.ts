import { cpSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Duration, Fn, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Policy, PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Asset } from 'aws-cdk-lib/aws-s3-assets';
import {
  AllowedMethods,
  CachePolicy,
  Distribution,
  Function as CloudFrontFunction,
  FunctionCode,
  FunctionEventType,
  FunctionRuntime,
  HeadersFrameOption,
  HeadersReferrerPolicy,
  HttpVersion,
  OriginProtocolPolicy,
  OriginRequestPolicy,
  PriceClass,
  ResponseHeadersPolicy,
  SecurityPolicyProtocol,
  ViewerProtocolPolicy,
  type BehaviorOptions,
} from 'aws-cdk-lib/aws-cloudfront';
import { HttpOrigin, S3BucketOrigin } from 'aws-cdk-lib/aws-cloudfront-origins';
import { BlockPublicAccess, Bucket, BucketEncryption, ObjectOwnership } from 'aws-cdk-lib/aws-s3';
import { BucketDeployment, CacheControl, Source } from 'aws-cdk-lib/aws-s3-deployment';
import { Construct } from 'constructs';
import { CONSOLE_HEADERS, consoleCsp, type ConsoleRuntimeConfig } from '../spec/console.ts';
import { acknowledge } from './nag.ts';

export interface ConsoleHostingProps {
  /** web/dist: the built app (tools/console-build.ts builds it before synth). */
  distDir: string;
  /** The HTTP API's endpoint, e.g. https://abc.execute-api.eu-west-1.amazonaws.com: served under the same origin. */
  apiEndpoint: string;
  /** Path patterns CloudFront sends to the API (the console's routes), e.g. `/api/*`. */
  apiPaths: readonly string[];
  config: Omit<ConsoleRuntimeConfig, 'apiUrl'>;
}

/**
 * The console on AWS: the built files in a private S3 bucket, read only by CloudFront through
 * origin access control (https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/private-content-restricting-access-to-s3.html),
 * and the API under the same origin (so the browser needs no CORS and the CSP's connect-src is
 * 'self' plus the identity provider). Every response carries the security headers of
 * infra/spec/console.ts, the ones the local front door sends too. A viewer-request function
 * sends the app's own paths (no file extension) to index.html: CloudFront's custom error
 * responses would also rewrite the API's 403 and 404, so they are not used.
 */
export class ConsoleHosting extends Construct {
  readonly distribution: Distribution;
  readonly bucket: Bucket;

  constructor(scope: Construct, id: string, props: ConsoleHostingProps) {
    super(scope, id);
    this.bucket = new Bucket(this, 'Site', {
      encryption: BucketEncryption.S3_MANAGED,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      enforceSSL: true,
      removalPolicy: RemovalPolicy.DESTROY,
      autoDeleteObjects: false,
    });
    acknowledge(this.bucket, 'AwsSolutions-S1', 'the site bucket holds only the public build of the console, written by the stack; CloudFront is its only reader (OAC) and logs the requests');

    const issuerOrigin = new URL(props.config.issuer).origin;
    const headers = new ResponseHeadersPolicy(this, 'Headers', {
      comment: 'Gatehouse console: strict CSP and security headers (infra/spec/console.ts)',
      securityHeadersBehavior: {
        contentSecurityPolicy: { contentSecurityPolicy: consoleCsp([issuerOrigin]), override: true },
        strictTransportSecurity: { accessControlMaxAge: Duration.days(730), includeSubdomains: true, preload: true, override: true },
        contentTypeOptions: { override: true },
        frameOptions: { frameOption: HeadersFrameOption.DENY, override: true },
        referrerPolicy: { referrerPolicy: HeadersReferrerPolicy.NO_REFERRER, override: true },
      },
      customHeadersBehavior: {
        customHeaders: [
          { header: 'Permissions-Policy', value: CONSOLE_HEADERS['permissions-policy'], override: true },
          { header: 'Cross-Origin-Opener-Policy', value: CONSOLE_HEADERS['cross-origin-opener-policy'], override: true },
        ],
      },
    });

    const spaRoutes = new CloudFrontFunction(this, 'SpaRoutes', {
      runtime: FunctionRuntime.JS_2_0,
      comment: 'Gatehouse console: app paths (no file extension) are index.html',
      code: FunctionCode.fromInline(
        "function handler(event) { var r = event.request; if (r.uri.indexOf('.') === -1) { r.uri = '/index.html'; } return r; }",
      ),
    });

    const apiDomain = Fn.select(2, Fn.split('/', props.apiEndpoint));
    const api: BehaviorOptions = {
      origin: new HttpOrigin(apiDomain, { protocolPolicy: OriginProtocolPolicy.HTTPS_ONLY }),
      viewerProtocolPolicy: ViewerProtocolPolicy.HTTPS_ONLY,
      allowedMethods: AllowedMethods.ALLOW_ALL,
      cachePolicy: CachePolicy.CACHING_DISABLED,
      // API Gateway routes on its own Host: forward everything else (Authorization included).
      originRequestPolicy: OriginRequestPolicy.ALL_VIEWER_EXCEPT_HOST_HEADER,
      responseHeadersPolicy: headers,
    };
    this.distribution = new Distribution(this, 'Distribution', {
      comment: 'Gatehouse console',
      defaultRootObject: 'index.html',
      httpVersion: HttpVersion.HTTP2_AND_3,
      priceClass: PriceClass.PRICE_CLASS_100,
      minimumProtocolVersion: SecurityPolicyProtocol.TLS_V1_2_2021,
      defaultBehavior: {
        origin: S3BucketOrigin.withOriginAccessControl(this.bucket),
        viewerProtocolPolicy: ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
        cachePolicy: CachePolicy.CACHING_OPTIMIZED,
        responseHeadersPolicy: headers,
        functionAssociations: [{ function: spaRoutes, eventType: FunctionEventType.VIEWER_REQUEST }],
      },
      additionalBehaviors: Object.fromEntries(props.apiPaths.map((path) => [path, api])),
    });
    acknowledge(this.distribution, 'AwsSolutions-CFR1', 'the console is for the organisation\'s own staff wherever they work; the identity provider decides who signs in, not the country');
    acknowledge(this.distribution, 'AwsSolutions-CFR2', 'every API call needs a JWT from the identity provider and the HTTP API is rate limited; attach an organisation WAF web ACL here if one exists');
    acknowledge(this.distribution, 'AwsSolutions-CFR3', 'the API behind it keeps access logs (Api construct); static file requests carry no personal data worth a separate log bucket');
    acknowledge(this.distribution, 'AwsSolutions-CFR4', 'the default CloudFront certificate is used until the operator adds a domain; minimumProtocolVersion TLS 1.2 applies then');

    this.deploySite(props);
  }

  /**
   * Uploads web/dist and config.json with CDK's BucketDeployment, under a role of this stack's own
   * making with no wildcard action: it reads exactly the one asset object, writes the site bucket,
   * invalidates this distribution and logs to its own log group.
   */
  private deploySite(props: ConsoleHostingProps): void {
    const config: ConsoleRuntimeConfig = { ...props.config, apiUrl: '' };
    const staging = mkdtempSync(join(tmpdir(), 'gatehouse-console-'));
    cpSync(props.distDir, staging, { recursive: true });
    writeFileSync(join(staging, 'config.json'), JSON.stringify(config));
    const site = new Asset(this, 'SiteFiles', { path: staging });
    const logs = new LogGroup(this, 'DeployLogs', { retention: RetentionDays.ONE_MONTH, removalPolicy: RemovalPolicy.DESTROY });
    const role = new Role(this, 'DeployRole', { assumedBy: new ServicePrincipal('lambda.amazonaws.com'), description: 'Gatehouse console: copies the built site into its bucket at deploy time' });
    const stack = Stack.of(this);
    const distributionArn = stack.formatArn({ service: 'cloudfront', region: '', resource: 'distribution', resourceName: this.distribution.distributionId });
    new Policy(this, 'DeployPolicy', {
      roles: [role],
      statements: [
        new PolicyStatement({ actions: ['s3:GetObject'], resources: [site.bucket.arnForObjects(site.s3ObjectKey)] }),
        new PolicyStatement({ actions: ['s3:ListBucket'], resources: [this.bucket.bucketArn] }),
        new PolicyStatement({ actions: ['s3:GetObject', 's3:PutObject', 's3:DeleteObject'], resources: [this.bucket.arnForObjects('*')] }),
        new PolicyStatement({ actions: ['cloudfront:CreateInvalidation', 'cloudfront:GetInvalidation'], resources: [distributionArn] }),
        new PolicyStatement({ actions: ['logs:CreateLogStream', 'logs:PutLogEvents'], resources: [logs.logGroupArn] }),
      ],
    });
    const deployment = new BucketDeployment(this, 'Deploy', {
      destinationBucket: this.bucket,
      sources: [Source.bucket(site.bucket, site.s3ObjectKey)],
      // Grants BucketDeployment would add (with wildcard actions) are dropped; the policy above is the whole of it.
      role: role.withoutPolicyUpdates(),
      logGroup: logs,
      cacheControl: [CacheControl.fromString('no-cache')],
      distribution: this.distribution,
      distributionPaths: ['/index.html', '/config.json'],
      memoryLimit: 256,
    });
    deployment.node.addDependency(role);
    // The handler is a stack-level singleton of aws-cdk-lib's.
    for (const handler of stack.node.children.filter((c) => c.node.id.startsWith('Custom::CDKBucketDeployment'))) {
      acknowledge(handler, 'AwsSolutions-L1', 'the runtime of CDK\'s BucketDeployment handler is chosen by aws-cdk-lib (it bundles the AWS CLI), not by this stack');
    }
  }
}
