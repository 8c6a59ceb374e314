import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Architecture, Runtime, Tracing } from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { Queue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { FUNCTIONS, requiredEnv, type FunctionSpec } from '../spec/functions.ts';
import { tableEnvVar } from '../spec/tables.ts';
import { pascal } from './names.ts';
import { assertAuditAppendOnly, functionStatements, type PermissionTargets } from './permissions.ts';
import { deadLetterQueue } from './queues.ts';

export interface FunctionsProps {
  /** The repository root (functions/, package-lock.json, tsconfig.json). */
  root: string;
  /** Value of every environment variable a spec may require; undefined = not configured, left out. */
  env: (name: string) => string | undefined;
  permissions: PermissionTargets;
  logRetention: RetentionDays;
  /** The role catalogue's S3 object (a file asset); every function reads it at cold start (CATALOGUE_SOURCE). */
  catalogue: { bucketName: string; objectKey: string };
}

/**
 * Minify, but keep class and function names: error `name`s are what the state machines'
 * Retry/Catch match on (TransientError, WorkstationPendingError, ...), and a minified class
 * would otherwise be called `s`.
 */
export const MINIFY = { minify: true, keepNames: true } as const;

/** Function folders present on disk: `functions/<name>/handler.ts`. */
export function functionFolders(root: string): string[] {
  const dir = join(root, 'functions');
  return readdirSync(dir)
    .filter((name) => existsSync(join(dir, name, 'handler.ts')))
    .sort();
}

/** ESM bundles still meet CommonJS dependencies that call require(). */
const REQUIRE_BANNER = "import { createRequire as __gatehouseCreateRequire } from 'node:module'; const require = __gatehouseCreateRequire(import.meta.url);";

/**
 * One NodejsFunction per function folder, each with its own role built from its spec (no
 * managed policies), its own log group, active X-Ray tracing, and an SQS dead-letter queue
 * when something invokes it asynchronously. Bundled by the local esbuild, never Docker.
 */
export class Functions extends Construct {
  readonly functions = new Map<string, NodejsFunction>();
  readonly deadLetterQueues = new Map<string, Queue>();

  constructor(scope: Construct, id: string, props: FunctionsProps) {
    super(scope, id);
    const folders = functionFolders(props.root);
    const undeclared = folders.filter((folder) => !FUNCTIONS.some((spec) => spec.name === folder));
    if (undeclared.length > 0) {
      throw new Error(
        `functions/${undeclared.join(', functions/')}: no entry in infra/spec/functions.ts; declare its tables, AWS calls, env and limits there`,
      );
    }
    for (const spec of FUNCTIONS) {
      assertAuditAppendOnly(spec);
      if (folders.includes(spec.name)) this.functions.set(spec.name, this.build(spec, props));
    }
  }

  /** The function for a folder; a clear error when the folder does not exist (yet). */
  get(name: string, usedBy: string): NodejsFunction {
    const fn = this.functions.get(name);
    if (fn) return fn;
    const declared = FUNCTIONS.some((spec) => spec.name === name);
    throw new Error(
      `${usedBy} needs function '${name}', but ${declared ? `functions/${name}/handler.ts does not exist` : `'${name}' is not declared in infra/spec/functions.ts`}`,
    );
  }

  private build(spec: FunctionSpec, props: FunctionsProps): NodejsFunction {
    const id = pascal(spec.name);
    const logGroup = new LogGroup(this, `${id}Logs`, { retention: props.logRetention, removalPolicy: RemovalPolicy.RETAIN });
    const role = new Role(this, `${id}Role`, {
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
      description: `Gatehouse ${spec.name}: only the calls infra/spec/functions.ts declares`,
    });
    role.addToPrincipalPolicy(new PolicyStatement({ actions: ['logs:CreateLogStream', 'logs:PutLogEvents'], resources: [logGroup.logGroupArn] }));
    for (const statement of functionStatements(Stack.of(this), spec, props.permissions)) role.addToPrincipalPolicy(statement);
    // The catalogue object only, not the assets bucket (Asset.grantRead would grant the whole bucket).
    const { bucketName, objectKey } = props.catalogue;
    role.addToPrincipalPolicy(
      new PolicyStatement({ actions: ['s3:GetObject'], resources: [Stack.of(this).formatArn({ service: 's3', region: '', account: '', resource: bucketName, resourceName: objectKey })] }),
    );

    const async = spec.invokedBy === 'eventbridge' || spec.invokedBy === 'scheduler';
    const dlq = async ? deadLetterQueue(this, `${id}DeadLetters`) : undefined;
    if (dlq) this.deadLetterQueues.set(spec.name, dlq);

    const fn = new NodejsFunction(this, id, {
      functionName: `gatehouse-${spec.name}`,
      description: spec.description.slice(0, 256),
      entry: join(props.root, 'functions', spec.name, 'handler.ts'),
      handler: 'handler',
      projectRoot: props.root,
      depsLockFilePath: join(props.root, 'package-lock.json'),
      runtime: Runtime.NODEJS_24_X,
      architecture: Architecture.ARM_64,
      memorySize: spec.memoryMiB ?? 512,
      timeout: Duration.seconds(spec.timeoutSeconds ?? 30),
      role,
      logGroup,
      tracing: Tracing.ACTIVE,
      environment: this.environment(spec, props),
      ...(dlq ? { deadLetterQueue: dlq, retryAttempts: 2 } : {}),
      bundling: {
        forceDockerBundling: false,
        format: OutputFormat.ESM,
        target: 'node22',
        mainFields: ['module', 'main'],
        banner: REQUIRE_BANNER,
        bundleAwsSDK: true,
        ...MINIFY,
        sourceMap: true,
        sourcesContent: false,
        tsconfig: join(props.root, 'tsconfig.json'),
      },
    });
    return fn;
  }

  private environment(spec: FunctionSpec, props: FunctionsProps): Record<string, string> {
    const env: Record<string, string> = {
      POWERTOOLS_SERVICE_NAME: 'gatehouse',
      POWERTOOLS_LOG_LEVEL: 'INFO',
      NODE_OPTIONS: '--enable-source-maps',
      CATALOGUE_SOURCE: `s3://${props.catalogue.bucketName}/${props.catalogue.objectKey}`,
    };
    for (const name of requiredEnv(spec, tableEnvVar)) {
      const value = props.env(name);
      if (value !== undefined) env[name] = value;
    }
    return env;
  }
}
