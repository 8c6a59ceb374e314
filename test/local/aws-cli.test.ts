import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateVolumeCommand, EC2Client } from '@aws-sdk/client-ec2';
import { CreateUserCommand, IdentitystoreClient } from '@aws-sdk/client-identitystore';
import { CreateScheduleCommand, SchedulerClient } from '@aws-sdk/client-scheduler';
import { SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { EVENT_BUS_NAME, EVENT_RULES, SCHEDULE_GROUP_NAME } from '../../infra/spec/wiring.ts';
import { stateMachineArn } from '../../local/core/arn.ts';
import { startLocalCloud, type LocalCloud } from '../../local/cloud.ts';
import { HRIS_SECRET_PREFIX, LOCAL_IDENTITY_STORE_ID, SCHEDULER_ROLE_ARN } from '../../local/function-env.ts';
import { awsCli } from '../support/aws-cli.ts';
import { dropTablesWithPrefix } from '../support/dynamodb.ts';

/**
 * Contract test with an independent client: the AWS CLI (botocore parses every reply with AWS's
 * own service models) lists what the SDK created, in several pages (`--page-size` makes the CLI
 * follow NextToken), against a running local cloud, configured only by its endpoints.env.
 */
const prefix = `cli-${randomUUID().slice(0, 8)}-`;
const tag = randomUUID().slice(0, 8);
let cloud: LocalCloud;
let dataDir: string;
let envFile: string;
const aws = (...args: string[]) => awsCli(envFile, args);

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'gatehouse-cli-'));
  envFile = join(dataDir, 'endpoints.env');
  cloud = await startLocalCloud({ dataDir, basePort: 0, dynamodbEndpoint: inject('dynamodbEndpoint'), tablePrefix: prefix });
  const ec2 = new EC2Client({});
  const identity = new IdentitystoreClient({});
  const scheduler = new SchedulerClient({});
  const sfn = new SFNClient({});
  for (let i = 0; i < 7; i++) {
    await ec2.send(new CreateVolumeCommand({ AvailabilityZone: 'us-east-1a', Size: 1, TagSpecifications: [{ ResourceType: 'volume', Tags: [{ Key: 'cli', Value: tag }] }] }));
  }
  for (let i = 0; i < 5; i++) {
    await identity.send(
      new CreateUserCommand({ IdentityStoreId: LOCAL_IDENTITY_STORE_ID, UserName: `cli-${tag}-${i}`, DisplayName: `CLI ${i}`, Name: { GivenName: 'C', FamilyName: `L${i}` } }),
    );
  }
  for (let i = 0; i < 3; i++) {
    await scheduler.send(
      new CreateScheduleCommand({
        Name: `cli-${tag}-${i}`,
        GroupName: SCHEDULE_GROUP_NAME,
        ScheduleExpression: 'at(2099-01-01T00:00:00)',
        FlexibleTimeWindow: { Mode: 'OFF' },
        Target: { Arn: stateMachineArn('joiner'), RoleArn: SCHEDULER_ROLE_ARN, Input: '{}' },
      }),
    );
    // Input the joiner refuses at its first step: the executions exist and end quickly, nothing is provisioned.
    await sfn.send(new StartExecutionCommand({ stateMachineArn: stateMachineArn('joiner'), name: `cli-${tag}-${i}`, input: '{}' }));
  }
  for (const client of [ec2, identity, scheduler, sfn]) client.destroy();
});

afterAll(async () => {
  await cloud?.stop();
  await dropTablesWithPrefix(prefix);
  await rm(dataDir, { recursive: true, force: true });
});

describe('the AWS CLI against the running local cloud, after `source endpoints.env`', () => {
  it('aws ec2 describe-volumes: with its default MaxResults=1000, and page by page', async () => {
    const filter = ['--filters', `Name=tag:cli,Values=${tag}`];
    const all = (await aws('ec2', 'describe-volumes')) as { Volumes: { VolumeId: string }[] };
    const paged = (await aws('ec2', 'describe-volumes', ...filter, '--page-size', '5')) as { Volumes: { VolumeId: string }[] };

    expect(all.Volumes.length).toBeGreaterThanOrEqual(7);
    expect(paged.Volumes).toHaveLength(7);
    expect(new Set(paged.Volumes.map((v) => v.VolumeId)).size).toBe(7);
  });

  it('aws ec2 describe-instances, describe-snapshots and describe-tags', async () => {
    expect(await aws('ec2', 'describe-instances')).toEqual({ Reservations: [] });
    expect(await aws('ec2', 'describe-snapshots', '--owner-ids', 'self')).toEqual({ Snapshots: [] });
    const tags = (await aws('ec2', 'describe-tags', '--filters', 'Name=key,Values=cli', '--page-size', '5')) as { Tags: { Value: string }[] };
    expect(tags.Tags.filter((t) => t.Value === tag)).toHaveLength(7);
  });

  it('aws identitystore list-users (and list-groups), page by page', async () => {
    const users = (await aws('identitystore', 'list-users', '--identity-store-id', LOCAL_IDENTITY_STORE_ID, '--page-size', '2')) as { Users: { UserName: string }[] };
    const groups = (await aws('identitystore', 'list-groups', '--identity-store-id', LOCAL_IDENTITY_STORE_ID, '--page-size', '1')) as { Groups: unknown[] };

    expect(users.Users.map((u) => u.UserName).filter((name) => name.startsWith(`cli-${tag}-`))).toHaveLength(5);
    expect(groups.Groups.length).toBeGreaterThan(1);
  });

  it('aws scheduler list-schedules (and list-schedule-groups), page by page', async () => {
    const schedules = (await aws('scheduler', 'list-schedules', '--group-name', SCHEDULE_GROUP_NAME, '--page-size', '2')) as { Schedules: { Name: string }[] };
    const groups = (await aws('scheduler', 'list-schedule-groups', '--page-size', '1')) as { ScheduleGroups: { Name: string }[] };

    expect(schedules.Schedules.map((s) => s.Name).filter((name) => name.startsWith(`cli-${tag}-`))).toHaveLength(3);
    expect(groups.ScheduleGroups.map((g) => g.Name)).toEqual(expect.arrayContaining(['default', SCHEDULE_GROUP_NAME]));
  });

  it('aws stepfunctions list-executions (and list-state-machines), page by page', async () => {
    const executions = (await aws('stepfunctions', 'list-executions', '--state-machine-arn', stateMachineArn('joiner'), '--page-size', '2')) as {
      executions: { name: string }[];
    };
    const machines = (await aws('stepfunctions', 'list-state-machines', '--page-size', '2')) as { stateMachines: { stateMachineArn: string }[] };

    expect(executions.executions.map((e) => e.name).filter((name) => name.startsWith(`cli-${tag}-`))).toHaveLength(3);
    expect(machines.stateMachines.map((m) => m.stateMachineArn)).toContain(stateMachineArn('joiner'));
  });

  it('aws events list-rules and aws secretsmanager list-secrets, page by page', async () => {
    const rules = (await aws('events', 'list-rules', '--event-bus-name', EVENT_BUS_NAME, '--page-size', '1')) as { Rules: { Name: string }[] };
    const secrets = (await aws('secretsmanager', 'list-secrets', '--page-size', '1')) as { SecretList: { Name: string }[] };

    // Rules on the gatehouse bus only (the EC2/EBS notification rule sits on the default bus).
    expect(rules.Rules.map((r) => r.Name)).toEqual(EVENT_RULES.filter((r) => r.bus === EVENT_BUS_NAME).map((r) => r.name));
    expect(secrets.SecretList.map((s) => s.Name)).toEqual(expect.arrayContaining(['generic', 'bamboohr', 'hibob'].map((source) => `${HRIS_SECRET_PREFIX}${source}`)));
  });

  it("answers an out-of-range page size and a forged token with the service's own errors, as the CLI prints them", async () => {
    const users = ['identitystore', 'list-users', '--identity-store-id', LOCAL_IDENTITY_STORE_ID, '--no-paginate'];
    await expect(aws(...users, '--max-results', '101')).rejects.toThrow(/\(ValidationException\).*MaxResults/);
    await expect(aws(...users, '--next-token', 'forged')).rejects.toThrow(/\(ValidationException\).*NextToken/);
    await expect(aws('ec2', 'describe-volumes', '--max-results', '4', '--no-paginate')).rejects.toThrow(/\(InvalidParameterValue\).*MaxResults/);
  });
});
