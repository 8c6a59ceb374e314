import { DynamoDBClient, GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { DescribeInstancesCommand, EC2Client } from '@aws-sdk/client-ec2';
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { GetGroupIdCommand, IdentitystoreClient, ListGroupsCommand } from '@aws-sdk/client-identitystore';
import { ListSchedulesCommand, SchedulerClient } from '@aws-sdk/client-scheduler';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2';
import { ListExecutionsCommand, SFNClient } from '@aws-sdk/client-sfn';
import { startLocalCloud, type LocalCloud } from '../../local/cloud.ts';
import { parseFaultSpec } from '../../local/core/faults.ts';
import { sample, time, summarize, type SampleSize } from '../lib/stats.ts';
import { latencyRows, type Row, type Suite, type SuiteContext } from '../lib/suite.ts';

const SUITE = 'local-cloud';

interface Call {
  metric: string;
  send: () => Promise<unknown>;
}

function envOf(cloud: LocalCloud, key: string): string {
  const value = cloud.env[key];
  if (value === undefined) throw new Error(`the local cloud set no ${key}`);
  return value;
}

/** startLocalCloud writes endpoints into process.env; put it back as it was when the suite ends. */
function restoreEnvLater(ctx: SuiteContext): void {
  const saved = { ...process.env };
  ctx.defer(() => {
    for (const key of Object.keys(process.env)) if (!(key in saved)) delete process.env[key];
    Object.assign(process.env, saved);
  });
}

async function boot(ctx: SuiteContext): Promise<{ cloud: LocalCloud; ms: number }> {
  const dataDir = await ctx.tempDir('local-cloud');
  restoreEnvLater(ctx);
  let cloud: LocalCloud | undefined;
  const ms = await time(async () => {
    cloud = await startLocalCloud({ dataDir, basePort: 0 });
  });
  if (!cloud) throw new Error('startLocalCloud returned nothing');
  const running = cloud;
  ctx.defer(() => running.stop());
  return { cloud: running, ms };
}

/** One call per operation the functions make, through the real SDK clients in default configuration. */
async function calls(ctx: SuiteContext, cloud: LocalCloud): Promise<{ calls: Call[]; listGroups: () => Promise<unknown> }> {
  const identity = new IdentitystoreClient({});
  const ec2 = new EC2Client({});
  const events = new EventBridgeClient({});
  const scheduler = new SchedulerClient({});
  const secrets = new SecretsManagerClient({});
  const sfn = new SFNClient({});
  const dynamodb = new DynamoDBClient({});
  const ses = new SESv2Client({});
  for (const client of [identity, ec2, events, scheduler, secrets, sfn, dynamodb, ses]) ctx.defer(() => client.destroy());

  const IdentityStoreId = envOf(cloud, 'IDENTITY_STORE_ID');
  const TableName = envOf(cloud, 'REQUESTS_TABLE_NAME');
  const listGroups = () => identity.send(new ListGroupsCommand({ IdentityStoreId }));
  const seeded = await identity.send(new ListGroupsCommand({ IdentityStoreId, MaxResults: 1 }));
  const groupName = seeded.Groups?.[0]?.DisplayName;
  if (!groupName) throw new Error('the local cloud seeded no Identity Center group');
  const existing = { requestId: { S: 'bench-get' } };
  let puts = 0;
  await dynamodb.send(new PutItemCommand({ TableName, Item: { ...existing, employeeId: { S: 'E-BENCH' } } }));

  return {
    listGroups,
    calls: [
      { metric: 'identitystore ListGroups', send: listGroups },
      {
        metric: 'identitystore GetGroupId',
        send: () =>
          identity.send(
            new GetGroupIdCommand({
              IdentityStoreId,
              AlternateIdentifier: { UniqueAttribute: { AttributePath: 'displayName', AttributeValue: groupName } },
            }),
          ),
      },
      { metric: 'ec2 DescribeInstances', send: () => ec2.send(new DescribeInstancesCommand({})) },
      {
        metric: 'eventbridge PutEvents (no rule)',
        send: () =>
          events.send(
            new PutEventsCommand({
              Entries: [{ EventBusName: envOf(cloud, 'EVENT_BUS_NAME'), Source: 'gatehouse.bench', DetailType: 'bench.noop', Detail: '{}' }],
            }),
          ),
      },
      { metric: 'scheduler ListSchedules', send: () => scheduler.send(new ListSchedulesCommand({})) },
      {
        metric: 'secretsmanager GetSecretValue',
        send: () => secrets.send(new GetSecretValueCommand({ SecretId: `${envOf(cloud, 'HRIS_SECRET_PREFIX')}generic` })),
      },
      {
        metric: 'sfn ListExecutions',
        send: () => sfn.send(new ListExecutionsCommand({ stateMachineArn: envOf(cloud, 'JOINER_STATE_MACHINE_ARN') })),
      },
      { metric: 'dynamodb GetItem', send: () => dynamodb.send(new GetItemCommand({ TableName, Key: existing })) },
      {
        metric: 'dynamodb PutItem',
        send: () =>
          dynamodb.send(new PutItemCommand({ TableName, Item: { requestId: { S: `bench-put-${(puts += 1)}` }, employeeId: { S: 'E-BENCH' } } })),
      },
      {
        metric: 'sesv2 SendEmail',
        send: () =>
          ses.send(
            new SendEmailCommand({
              FromEmailAddress: envOf(cloud, 'MAIL_FROM'),
              Destination: { ToAddresses: ['bench@example.com'] },
              Content: { Simple: { Subject: { Data: 'bench' }, Body: { Text: { Data: 'bench' } } } },
            }),
          ),
      },
    ],
  };
}

/** ListGroups with and without a matching `latency=0` rule, alternating call by call so drift hits both alike. */
async function faultOverhead(cloud: LocalCloud, listGroups: () => Promise<unknown>, size: SampleSize): Promise<Row[]> {
  const rule = parseFaultSpec('identitystore:ListGroups:latency=0');
  const without: number[] = [];
  const withRule: number[] = [];
  try {
    for (let i = 0; i < size.warmup + size.n; i++) {
      cloud.faults.set([]);
      const plain = await time(listGroups);
      cloud.faults.set(rule);
      const faulted = await time(listGroups);
      if (i >= size.warmup) {
        without.push(plain);
        withRule.push(faulted);
      }
    }
  } finally {
    cloud.faults.set([]);
  }
  const a = summarize(without);
  const b = summarize(withRule);
  return [
    { suite: SUITE, metric: 'ListGroups, no fault rule median', value: a.median, unit: 'ms', n: a.n },
    { suite: SUITE, metric: 'ListGroups, latency=0 rule median', value: b.median, unit: 'ms', n: b.n },
    { suite: SUITE, metric: 'fault rule overhead (median diff)', value: b.median - a.median, unit: 'ms', n: b.n },
  ];
}

export const localCloudSuite: Suite = {
  name: SUITE,
  async run(ctx) {
    const { cloud, ms } = await boot(ctx);
    const rows: Row[] = [{ suite: SUITE, metric: 'boot (startLocalCloud)', value: ms, unit: 'ms', n: 1 }];
    const size: SampleSize = { warmup: ctx.size(20, 5), n: ctx.size(200, 30) };
    const { calls: list, listGroups } = await calls(ctx, cloud);
    // One untimed pass over every call first, so the series measured first does not also pay
    // for the machine settling after boot (JVM JIT, first connections).
    for (const call of list) await sample(call.send, { warmup: size.warmup, n: 0 });
    for (const call of list) rows.push(...latencyRows(SUITE, call.metric, await sample(call.send, size)));
    rows.push(...(await faultOverhead(cloud, listGroups, size)));
    return rows;
  },
};
