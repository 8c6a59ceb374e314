import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DescribeExecutionCommand, SFNClient, StartExecutionCommand, type DescribeExecutionCommandOutput } from '@aws-sdk/client-sfn';
import { inject } from 'vitest';
import { executionArn, stateMachineArn } from '../../../local/core/arn.ts';
import type { LocalCloudOptions } from '../../../local/cloud.ts';
import { startSesLocal, type RunningSesLocal } from '../../../local/ses-local.ts';
import { eventually } from '../../support/poll.ts';
import { freePortBase, startCloudProcess, type CloudProcess } from './cloud-process.ts';

/**
 * The restartable local cloud the catalogue convergence e2e tests share: a child-process cloud
 * (cloud-process.ts) on the test run's DynamoDB Local and an SES in the test process, booted again
 * on each catalogue version as `cdk deploy` would redeploy the functions (they load the catalogue
 * at cold start), with the same data folder, ports and tables each time. The first boot points
 * this process's SDK clients at it.
 */

const MACHINE = 'catalogue-convergence';

export interface ConvergenceCloud {
  /** The data folder (catalogue files go here too); set by setup(). */
  readonly dataDir: string;
  readonly sfn: SFNClient;
  /** Where the SES stand-in keeps the mails (approval links). */
  readonly sesEndpoint: string;
  /** The cloud now running. */
  readonly cloud: CloudProcess;
  setup(): Promise<void>;
  /** Stops the running cloud (if any) and boots one on `catalogueFile`; `crashAt` makes it kill itself there (local/sfn/crash.ts). */
  boot(catalogueFile: string, options?: { faults?: LocalCloudOptions['faults']; functionEnv?: Record<string, string>; crashAt?: string }): Promise<void>;
  /** Starts a convergence run; its execution ARN. */
  converge(name: string, input: { catalogueVersion: string; confirm?: string }): Promise<string>;
  /** The execution once it is no longer RUNNING. */
  ended(arn: string, timeoutMs: number, intervalMs?: number): Promise<DescribeExecutionCommandOutput>;
  teardown(): Promise<void>;
}

export function convergenceCloud(label: string, functionEnv: Record<string, string>): ConvergenceCloud {
  let dataDir = '';
  let ses: RunningSesLocal | undefined;
  let running: CloudProcess | undefined;
  let sfn: SFNClient | undefined;
  let base: LocalCloudOptions = {};
  return {
    get dataDir() {
      return dataDir;
    },
    get sfn() {
      if (!sfn) throw new Error('convergenceCloud: boot() first');
      return sfn;
    },
    get sesEndpoint() {
      if (!ses) throw new Error('convergenceCloud: setup() first');
      return ses.endpoint;
    },
    get cloud() {
      if (!running) throw new Error('convergenceCloud: boot() first');
      return running;
    },
    async setup() {
      dataDir = await mkdtemp(join(tmpdir(), `gatehouse-${label}-`));
      ses = await startSesLocal({ port: 0 });
      base = {
        dataDir,
        basePort: await freePortBase(),
        dynamodbEndpoint: inject('dynamodbEndpoint'),
        sesEndpoint: ses.endpoint,
        tablePrefix: `e2e-${label}-${randomUUID().slice(0, 8)}-`,
        ec2PendingMs: 0,
        retryDelayScale: 0.05,
      };
    },
    async boot(catalogueFile, options = {}) {
      if (running?.isAlive()) await running.stop();
      running = await startCloudProcess(
        { ...base, ...(options.faults ? { faults: options.faults } : {}), catalogueFile, functionEnv: { POWERTOOLS_LOG_LEVEL: 'ERROR', ...functionEnv, ...options.functionEnv } },
        options.crashAt,
      );
      if (!sfn) {
        delete process.env.AWS_PROFILE;
        Object.assign(process.env, running.info.env);
        sfn = new SFNClient({});
      }
    },
    async converge(name, input) {
      await this.sfn.send(new StartExecutionCommand({ stateMachineArn: stateMachineArn(MACHINE), name, input: JSON.stringify(input) }));
      return executionArn(MACHINE, name);
    },
    ended(arn, timeoutMs, intervalMs = 500) {
      return eventually(
        async () => {
          const out = await this.sfn.send(new DescribeExecutionCommand({ executionArn: arn })).catch(() => undefined);
          return out && out.status !== 'RUNNING' ? out : undefined;
        },
        `${arn} to end`,
        timeoutMs,
        intervalMs,
      );
    },
    async teardown() {
      sfn?.destroy();
      await running?.stop();
      await ses?.stop();
      if (dataDir) await rm(dataDir, { recursive: true, force: true });
    },
  };
}
