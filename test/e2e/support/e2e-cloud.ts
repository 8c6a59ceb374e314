import { randomUUID } from 'node:crypto';
import { DeleteTableCommand, DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { ListExecutionsCommand, SFNClient, type ExecutionListItem } from '@aws-sdk/client-sfn';
import { inject } from 'vitest';
import { startLocalCloud, type LocalCloud, type LocalCloudOptions } from '../../../local/cloud.ts';
import { stateMachineArn } from '../../../local/core/arn.ts';
import { DemoHris } from '../../../local/demo/hris.ts';
import { finishedExecution } from '../../../local/demo/run.ts';
import { clientConfig } from '../../support/emulator.ts';
import { resolveEntitlements } from '../../../functions/lib/domain/catalogue/resolve.ts';
import { readLocalCatalogue } from '../../../local/catalogue.ts';

/**
 * The whole local cloud for one e2e test file: the run's shared DynamoDB Local (tables under a
 * prefix unique to the file), every other service on free ports, EC2 instances that boot in
 * 200 ms. startLocalCloud writes the endpoints into process.env, so one cloud per file.
 */
export interface E2eCloud {
  cloud: LocalCloud;
  /** Plays the generic HRIS (Standard Webhooks) against the front door. */
  hris: DemoHris;
  sfn: SFNClient;
  frontDoor: string;
  stop(): Promise<void>;
}

export type E2eOptions = Omit<LocalCloudOptions, 'dynamodbEndpoint' | 'tablePrefix' | 'basePort'>;

export async function startE2eCloud(label: string, options: E2eOptions = {}): Promise<E2eCloud> {
  const endpoint = inject('dynamodbEndpoint');
  const tablePrefix = `e2e-${label}-${randomUUID().slice(0, 8)}-`;
  const cloud = await startLocalCloud({
    dynamodbEndpoint: endpoint,
    tablePrefix,
    basePort: 0,
    ec2PendingMs: 200,
    ...options,
    // Refused webhooks log a WARN each; the tests assert on them, so the log stays quiet.
    functionEnv: { POWERTOOLS_LOG_LEVEL: 'ERROR', ...options.functionEnv },
  });
  const sfn = new SFNClient({});
  return {
    cloud,
    hris: new DemoHris(cloud.endpoints.frontdoor),
    sfn,
    frontDoor: cloud.endpoints.frontdoor,
    async stop() {
      sfn.destroy();
      await cloud.stop();
      const dynamo = new DynamoDBClient(clientConfig(endpoint));
      const { TableNames = [] } = await dynamo.send(new ListTablesCommand({ Limit: 100 }));
      await Promise.all(TableNames.filter((name) => name.startsWith(tablePrefix)).map((TableName) => dynamo.send(new DeleteTableCommand({ TableName }))));
      dynamo.destroy();
    },
  };
}

export const JOINER_ARN = stateMachineArn('joiner');

/** Every execution of the joiner state machine, newest first. */
export async function joinerExecutions(sfn: SFNClient): Promise<ExecutionListItem[]> {
  const all: ExecutionListItem[] = [];
  let nextToken: string | undefined;
  do {
    const page = await sfn.send(new ListExecutionsCommand({ stateMachineArn: JOINER_ARN, maxResults: 1000, nextToken }));
    all.push(...(page.executions ?? []));
    nextToken = page.nextToken;
  } while (nextToken);
  return all;
}

/** The joiner execution of a generic delivery, once it has finished (the demo's helper). */
export const finishedJoiner = (sfn: SFNClient, executionName: string, timeoutMs = 60_000) => finishedExecution(sfn, 'joiner', executionName, timeoutMs);

/** A unique, schema-valid employee id (`E2E-<tag>-<random>`). */
export const employeeId = (tag: string): string => `E2E-${tag}-${randomUUID().slice(0, 8)}`.toUpperCase();

/** The user name (work e-mail) demo payloads give an employee id. */
export const userNameOf = (id: string): string => `${id.toLowerCase()}@example.com`;

/** `yyyy-mm-dd`, `days` from today (UTC). */
export const dayFromToday = (days: number): string => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);

/**
 * What the catalogue says a role grants: group display names (sorted), workstations, all entitlements.
 * Read from the file, not through functions/lib/domain/catalogue/catalogue.ts: the functions run in this
 * process, and the first import of that module fixes the catalogue they load.
 */
export function expectedAccess(role: string, catalogueFile?: string): { groups: string[]; workstations: number; entitlements: number } {
  const entitlements = resolveEntitlements(readLocalCatalogue(catalogueFile).catalogue, role);
  const groups = entitlements.flatMap((e) => (e.kind === 'group' ? [e.displayName] : [])).sort();
  return { groups, workstations: entitlements.filter((e) => e.kind === 'workstation').length, entitlements: entitlements.length };
}
