import { mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Match } from 'aws-cdk-lib/assertions';
import { describe, expect, it, vi } from 'vitest';
import { functionFolders } from '../../infra/constructs/functions.ts';
import { createGatehouseApp, REPO_ROOT } from '../../infra/gatehouse.ts';
import { CDK_JSON_CONTEXT, DEPLOY_CONTEXT, ofType, synthGatehouse } from './synth.ts';

/**
 * The stack builds from what is on disk: a copy of the repository (symlinks) with a function
 * folder added or removed shows what synth does when other work lands.
 */
function repoWith(change: { add?: string[]; remove?: string[] }): string {
  const root = mkdtempSync(join(tmpdir(), 'gatehouse-repo-'));
  for (const entry of ['statemachines', 'config', 'package.json', 'package-lock.json', 'tsconfig.json']) {
    symlinkSync(join(REPO_ROOT, entry), join(root, entry));
  }
  mkdirSync(join(root, 'functions'));
  for (const folder of functionFolders(REPO_ROOT).filter((name) => !change.remove?.includes(name))) {
    symlinkSync(join(REPO_ROOT, 'functions', folder), join(root, 'functions', folder));
  }
  for (const folder of change.add ?? []) {
    mkdirSync(join(root, 'functions', folder));
    writeFileSync(join(root, 'functions', folder, 'handler.ts'), 'export const handler = async (): Promise<void> => undefined;\n');
  }
  return root;
}

const construct = (root: string) => () =>
  createGatehouseApp({ context: { ...CDK_JSON_CONTEXT, ...DEPLOY_CONTEXT }, skipBundling: true, root, outdir: mkdtempSync(join(tmpdir(), 'gatehouse-cdk-')) });

describe('function discovery', () => {
  it('fails synth for a function folder nobody declared, saying where to declare it', () => {
    expect(construct(repoWith({ add: ['export-everything'] }))).toThrow(/functions\/export-everything: no entry in infra\/spec\/functions.ts/);
  });

  it('fails synth when an ASL file names a function that does not exist, naming the file and the key', () => {
    expect(construct(repoWith({ remove: ['notify'] }))).toThrow(
      /statemachines\/joiner.asl.json: cannot resolve \$\{NotifyFunctionArn\}: .*functions\/notify\/handler.ts does not exist/,
    );
  });

  it(
    'wires functions/reconcile: a daily schedule invokes it, with a dead-letter queue, and cdk-nag stays clean',
    () => {
      // CDK's built-in CloudFormation schema validation (seconds) already runs in stack.test.ts.
      vi.stubEnv('CDK_VALIDATION', 'false');
      const synth = synthGatehouse(DEPLOY_CONTEXT, repoWith({}));
      vi.unstubAllEnvs();
      const reconcile = ofType(synth.resources, 'AWS::Lambda::Function').find(([, fn]) => fn.Properties?.FunctionName === 'gatehouse-reconcile');
      expect(reconcile).toBeDefined();
      synth.template.hasResourceProperties('AWS::Scheduler::Schedule', {
        GroupName: Match.anyValue(),
        ScheduleExpression: 'cron(0 5 * * ? *)',
        Target: Match.objectLike({
          Arn: { 'Fn::GetAtt': [reconcile?.[0], 'Arn'] },
          DeadLetterConfig: { Arn: Match.anyValue() },
          RetryPolicy: Match.objectLike({ MaximumRetryAttempts: 2 }),
        }),
      });
      const report = JSON.parse(readFileSync(join(synth.outdir, 'validation-report.json'), 'utf8')) as {
        pluginReports: { pluginName: string; violations: unknown[] }[];
      };
      expect(report.pluginReports.find((plugin) => plugin.pluginName === 'AwsSolutions')?.violations).toEqual([]);
    },
    180_000,
  );
});
