import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { parseContext } from './config.ts';
import { GatehouseStack } from './stack.ts';

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

export interface GatehouseAppOptions {
  /** Context on top of cdk.json's / the CLI's (tests pass theirs here). */
  context?: Record<string, unknown>;
  /** Tests only: skip asset bundling (CDK's `aws:cdk:bundling-stacks` = []); the template is otherwise identical. */
  skipBundling?: boolean;
  outdir?: string;
  /** Tests only: a repository root other than this one (functions/, statemachines/, config/). */
  root?: string;
}

/** The Gatehouse CDK app: config validated, one stack, cdk-nag AwsSolutions checks. */
export function createGatehouseApp(options: GatehouseAppOptions = {}): { app: App; stack: GatehouseStack } {
  const app = new App({
    context: { ...options.context, ...(options.skipBundling ? { 'aws:cdk:bundling-stacks': [] } : {}) },
    ...(options.outdir ? { outdir: options.outdir } : {}),
  });
  const root = options.root ?? REPO_ROOT;
  const config = parseContext(app.node.getAllContext() as Record<string, unknown>, root);
  const account = config.account ?? process.env.CDK_DEFAULT_ACCOUNT;
  const region = config.region ?? process.env.CDK_DEFAULT_REGION;
  // The console's build is an asset of the stack (S3 + CloudFront): it must exist before synth.
  const consoleDist = join(REPO_ROOT, 'web', 'dist');
  if (config.oidcIssuer && !existsSync(join(consoleDist, 'index.html'))) {
    throw new Error('web/dist is missing: build the console first (npm run build:web; npm run synth does it)');
  }
  const stack = new GatehouseStack(app, 'Gatehouse', {
    config,
    root,
    consoleDist,
    description: 'Gatehouse: HRIS events in, AWS access out (joiner, mover, leaver, time-bound grants)',
    ...(account || region ? { env: { ...(account ? { account } : {}), ...(region ? { region } : {}) } } : {}),
  });
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  return { app, stack };
}
