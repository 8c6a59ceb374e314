import { CreateVolumeCommand, DescribeInstancesCommand, DescribeSnapshotsCommand, DescribeTagsCommand, DescribeVolumesCommand, EC2Client } from '@aws-sdk/client-ec2';
import { EventBridgeClient, ListRulesCommand, ListTargetsByRuleCommand } from '@aws-sdk/client-eventbridge';
import { IdentitystoreClient, ListGroupsCommand, ListUsersCommand } from '@aws-sdk/client-identitystore';
import { ListScheduleGroupsCommand, ListSchedulesCommand, SchedulerClient } from '@aws-sdk/client-scheduler';
import { ListSecretsCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { ListExecutionsCommand, ListStateMachinesCommand, SFNClient } from '@aws-sdk/client-sfn';
import { describe, expect, it } from 'vitest';
import { stateMachineArn } from '../../local/core/arn.ts';
import { createEc2Emulator } from '../../local/emulators/ec2.ts';
import { createEventBridgeEmulator } from '../../local/emulators/events.ts';
import { createIdentityStoreEmulator } from '../../local/emulators/identitystore.ts';
import { createSchedulerEmulator } from '../../local/emulators/scheduler.ts';
import { createSecretsManagerEmulator } from '../../local/emulators/secretsmanager.ts';
import { createSfnEmulator } from '../../local/sfn/service.ts';
import { clientConfig, noFaults, serve } from '../support/emulator.ts';
import { asl } from './sfn-helpers.ts';

/**
 * Every emulated List/Describe operation's page-size range, as AWS documents it: EC2 accepts
 * any MaxResults from 5 and clamps it to the operation's page limit; the JSON services validate
 * their model's range (the services' models: `min`/`max` of MaxResults / Limit) and answer their
 * validation error outside it (ValidationException; Secrets Manager: InvalidParameterException). Sources in local/README.md ("Page sizes").
 */
const STORE = 'd-1234567890';
const noTargets = { invokeFunction: () => Promise.resolve(), startExecution: () => Promise.resolve() };
const ec2 = new EC2Client(clientConfig(await serve(createEc2Emulator({ faults: noFaults() }, { pendingMs: 10 }))));
const identity = new IdentitystoreClient(clientConfig(await serve(createIdentityStoreEmulator({ faults: noFaults() }, { identityStoreIds: [STORE] }))));
const scheduler = new SchedulerClient(clientConfig(await serve(createSchedulerEmulator({ faults: noFaults() }, { targets: noTargets }))));
const events = new EventBridgeClient(
  clientConfig(await serve(createEventBridgeEmulator({ faults: noFaults() }, { rules: [{ name: 'r', eventBusName: 'gatehouse', eventPattern: { source: ['x'] }, targets: [] }], targets: noTargets }))),
);
const secrets = new SecretsManagerClient(clientConfig(await serve(createSecretsManagerEmulator({ faults: noFaults() }, { seed: {} }))));
const sfnEmulator = createSfnEmulator({ faults: noFaults() }, { machines: { one: asl({ Done: { Type: 'Succeed' } }) }, invokeFunction: () => Promise.resolve({}) });
const sfn = new SFNClient(clientConfig(await serve(sfnEmulator)));
await sfnEmulator.ready();

const rejection = (call: Promise<unknown>): Promise<unknown> => call.then(() => new Error('expected a rejection'), (error: unknown) => error);

describe('EC2 Describe* page sizes: from 5, clamped to the page limit', () => {
  it('DescribeVolumes serves at most 500 a page whatever MaxResults asks (the AWS CLI asks 1000)', async () => {
    for (let i = 0; i < 501; i += 50) {
      await Promise.all(
        Array.from({ length: Math.min(50, 501 - i) }, () => ec2.send(new CreateVolumeCommand({ AvailabilityZone: 'us-east-1a', Size: 1 }))),
      );
    }

    const first = await ec2.send(new DescribeVolumesCommand({ MaxResults: 1000 }));
    const second = await ec2.send(new DescribeVolumesCommand({ MaxResults: 1000, NextToken: first.NextToken }));
    const unpaged = await ec2.send(new DescribeVolumesCommand({}));

    expect(first.Volumes).toHaveLength(500);
    expect(first.NextToken).toEqual(expect.any(String));
    expect(second.Volumes).toHaveLength(1);
    expect(second.NextToken).toBeUndefined();
    expect(unpaged.Volumes).toHaveLength(501);
  });

  it('accepts any MaxResults from 5 on the other Describe* calls', async () => {
    await expect(ec2.send(new DescribeInstancesCommand({ MaxResults: 5000 }))).resolves.toMatchObject({ Reservations: [] });
    await expect(ec2.send(new DescribeSnapshotsCommand({ MaxResults: 1001, OwnerIds: ['self'] }))).resolves.toMatchObject({ Snapshots: [] });
    await expect(ec2.send(new DescribeTagsCommand({ MaxResults: 2 ** 31 - 1 }))).resolves.toMatchObject({ Tags: [] });
  });

  it.each([
    ['DescribeVolumes', () => ec2.send(new DescribeVolumesCommand({ MaxResults: 4 }))],
    ['DescribeInstances', () => ec2.send(new DescribeInstancesCommand({ MaxResults: 0 }))],
    ['DescribeSnapshots', () => ec2.send(new DescribeSnapshotsCommand({ MaxResults: -1 }))],
    ['DescribeTags', () => ec2.send(new DescribeTagsCommand({ MaxResults: 2 ** 31 }))],
  ])('%s refuses a MaxResults below 5 or past a 32-bit integer', async (_name, call) => {
    expect(await rejection(call())).toMatchObject({ name: 'InvalidParameterValue', message: expect.stringContaining('MaxResults') });
  });

  it('refuses MaxResults together with ids', async () => {
    const volume = await ec2.send(new CreateVolumeCommand({ AvailabilityZone: 'us-east-1a', Size: 1 }));
    expect(await rejection(ec2.send(new DescribeVolumesCommand({ VolumeIds: [volume.VolumeId ?? ''], MaxResults: 5 })))).toMatchObject({
      name: 'InvalidParameterCombination',
    });
  });
});

describe("JSON services: their model range, the service's validation error outside it", () => {
  it.each([
    ['Identity Store ListUsers (1-100)', 'ValidationException', () => identity.send(new ListUsersCommand({ IdentityStoreId: STORE, MaxResults: 101 }))],
    ['Identity Store ListGroups (1-100)', 'ValidationException', () => identity.send(new ListGroupsCommand({ IdentityStoreId: STORE, MaxResults: 0 }))],
    ['Scheduler ListSchedules (1-100)', 'ValidationException', () => scheduler.send(new ListSchedulesCommand({ MaxResults: 101 }))],
    ['Scheduler ListScheduleGroups (1-100)', 'ValidationException', () => scheduler.send(new ListScheduleGroupsCommand({ MaxResults: 0 }))],
    ['EventBridge ListRules (Limit 1-100)', 'ValidationException', () => events.send(new ListRulesCommand({ EventBusName: 'gatehouse', Limit: 101 }))],
    ['EventBridge ListTargetsByRule (Limit 1-100)', 'ValidationException', () => events.send(new ListTargetsByRuleCommand({ EventBusName: 'gatehouse', Rule: 'r', Limit: 0 }))],
    ['Secrets Manager ListSecrets (1-100)', 'InvalidParameterException', () => secrets.send(new ListSecretsCommand({ MaxResults: 101 }))],
    ['Step Functions ListStateMachines (0-1000)', 'ValidationException', () => sfn.send(new ListStateMachinesCommand({ maxResults: 1001 }))],
    ['Step Functions ListExecutions (0-1000)', 'ValidationException', () => sfn.send(new ListExecutionsCommand({ stateMachineArn: stateMachineArn('one'), maxResults: 1001 }))],
    ['Step Functions ListExecutions (maxResults is an integer)', 'ValidationException', () => sfn.send(new ListExecutionsCommand({ stateMachineArn: stateMachineArn('one'), maxResults: -1 }))],
    ['EventBridge ListRules (NextToken 1-2048 characters)', 'ValidationException', () => events.send(new ListRulesCommand({ EventBusName: 'gatehouse', NextToken: 'x'.repeat(2049) }))],
    ['Scheduler ListSchedules (NextToken 1-2048 characters)', 'ValidationException', () => scheduler.send(new ListSchedulesCommand({ NextToken: 'x'.repeat(2049) }))],
  ] as const)('%s answers %s', async (_name, code, call) => {
    expect(await rejection(call())).toMatchObject({ name: code });
  });

  it('accepts the edges of each range', async () => {
    await expect(identity.send(new ListUsersCommand({ IdentityStoreId: STORE, MaxResults: 100 }))).resolves.toMatchObject({ Users: [] });
    await expect(scheduler.send(new ListSchedulesCommand({ MaxResults: 100 }))).resolves.toMatchObject({ Schedules: [] });
    await expect(events.send(new ListRulesCommand({ EventBusName: 'gatehouse', Limit: 100 }))).resolves.toMatchObject({ Rules: [expect.anything()] });
    await expect(secrets.send(new ListSecretsCommand({ MaxResults: 1 }))).resolves.toMatchObject({ SecretList: [] });
    // Step Functions: "A value of 0 uses the default" (100).
    await expect(sfn.send(new ListStateMachinesCommand({ maxResults: 0 }))).resolves.toMatchObject({ stateMachines: [expect.anything()] });
    await expect(sfn.send(new ListStateMachinesCommand({ maxResults: 1000 }))).resolves.toMatchObject({ stateMachines: [expect.anything()] });
  });
});
