import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CreateTagsCommand,
  DeleteTagsCommand,
  DescribeInstancesCommand,
  DescribeTagsCommand,
  EC2Client,
  RunInstancesCommand,
  StartInstancesCommand,
  StopInstancesCommand,
  TerminateInstancesCommand,
  waitUntilInstanceRunning,
  type Instance,
  type RunInstancesCommandInput,
} from '@aws-sdk/client-ec2';
import { describe, expect, it } from 'vitest';
import { FaultInjector } from '../../local/core/faults.ts';
import { createEc2Emulator } from '../../local/emulators/ec2.ts';
import { clientConfig, noFaults, serve } from '../support/emulator.ts';
import { until } from '../support/poll.ts';

const ec2 = new EC2Client(clientConfig(await serve(createEc2Emulator({ faults: noFaults() }, { pendingMs: 50 }))));

/** An emulator whose clock only moves when a test says so. */
let clock = Date.parse('2026-11-05T10:00:00Z');
const manual = new EC2Client(
  clientConfig(await serve(createEc2Emulator({ faults: noFaults() }, { pendingMs: 1000, now: () => clock }))),
);

const IMAGE = 'ami-0123456789abcdef0';

const launchInput = (overrides: Partial<RunInstancesCommandInput> = {}): RunInstancesCommandInput => ({
  ImageId: IMAGE,
  InstanceType: 't3.micro',
  MinCount: 1,
  MaxCount: 1,
  SubnetId: 'subnet-0a1b2c3d4e5f60718',
  SecurityGroupIds: ['sg-0a1b2c3d4e5f60718'],
  TagSpecifications: [{ ResourceType: 'instance', Tags: [{ Key: 'gatehouse:employee', Value: 'emp-1' }] }],
  ...overrides,
});

async function launch(client: EC2Client, overrides: Partial<RunInstancesCommandInput> = {}): Promise<Instance> {
  const reservation = await client.send(new RunInstancesCommand(launchInput(overrides)));
  const instance = reservation.Instances?.[0];
  if (!instance?.InstanceId) throw new Error('RunInstances returned no instance');
  return instance;
}

async function describeOne(client: EC2Client, id: string): Promise<Instance> {
  const out = await client.send(new DescribeInstancesCommand({ InstanceIds: [id] }));
  const instance = out.Reservations?.[0]?.Instances?.[0];
  if (!instance) throw new Error(`${id} not described`);
  return instance;
}

const waitForState = (id: string, name: string): Promise<Instance> =>
  until(() => describeOne(ec2, id), (instance) => instance.State?.Name === name);

const uniqueTag = (): string => `t-${Math.random().toString(36).slice(2)}`;

describe('RunInstances', () => {
  it('launches a pending instance with what was asked for', async () => {
    const out = await ec2.send(new RunInstancesCommand(launchInput()));

    expect(out.ReservationId).toMatch(/^r-[0-9a-f]{17}$/);
    expect(out.OwnerId).toBe('000000000000');
    expect(out.Instances).toHaveLength(1);
    expect(out.Instances?.[0]).toMatchObject({
      InstanceId: expect.stringMatching(/^i-[0-9a-f]{17}$/),
      ImageId: IMAGE,
      InstanceType: 't3.micro',
      SubnetId: 'subnet-0a1b2c3d4e5f60718',
      SecurityGroups: [{ GroupId: 'sg-0a1b2c3d4e5f60718' }],
      State: { Code: 0, Name: 'pending' },
      Placement: { AvailabilityZone: 'us-east-1a' },
      Tags: [{ Key: 'gatehouse:employee', Value: 'emp-1' }],
      AmiLaunchIndex: 0,
    });
    expect(out.Instances?.[0]?.LaunchTime).toBeInstanceOf(Date);
  });

  it('launches MaxCount instances in one reservation', async () => {
    const out = await ec2.send(new RunInstancesCommand(launchInput({ MinCount: 1, MaxCount: 2 })));

    expect(out.Instances?.map((i) => i.AmiLaunchIndex)).toEqual([0, 1]);
    expect(new Set(out.Instances?.map((i) => i.InstanceId)).size).toBe(2);
  });

  it('reaches running after pendingMs (SDK waiter)', async () => {
    const { InstanceId } = await launch(ec2);

    const result = await waitUntilInstanceRunning(
      { client: ec2, maxWaitTime: 5, minDelay: 1, maxDelay: 1 },
      { InstanceIds: [InstanceId ?? ''] },
    );

    expect(result.state).toBe('SUCCESS');
    expect((await describeOne(ec2, InstanceId ?? '')).State).toEqual({ Code: 16, Name: 'running' });
  });

  it('returns the original reservation for a repeated ClientToken with the same parameters', async () => {
    const input = launchInput({ ClientToken: `tok-${uniqueTag()}` });

    const first = await ec2.send(new RunInstancesCommand(input));
    const second = await ec2.send(new RunInstancesCommand(input));
    const byToken = await ec2.send(
      new DescribeInstancesCommand({ Filters: [{ Name: 'client-token', Values: [input.ClientToken ?? ''] }] }),
    );

    expect(second.ReservationId).toBe(first.ReservationId);
    expect(second.Instances?.[0]?.InstanceId).toBe(first.Instances?.[0]?.InstanceId);
    expect(byToken.Reservations?.flatMap((r) => r.Instances ?? [])).toHaveLength(1);
  });

  it('refuses a repeated ClientToken with different parameters', async () => {
    const token = `tok-${uniqueTag()}`;
    await ec2.send(new RunInstancesCommand(launchInput({ ClientToken: token })));

    await expect(ec2.send(new RunInstancesCommand(launchInput({ ClientToken: token, InstanceType: 't3.large' })))).rejects.toMatchObject({
      name: 'IdempotentParameterMismatch',
      Code: 'IdempotentParameterMismatch',
      $metadata: { httpStatusCode: 400 },
    });
  });

  it('names the missing or invalid parameter', async () => {
    await expect(ec2.send(new RunInstancesCommand({ MinCount: 1, MaxCount: 1 }))).rejects.toMatchObject({
      name: 'MissingParameter',
      message: expect.stringContaining('ImageId'),
    });
    await expect(ec2.send(new RunInstancesCommand(launchInput({ InstanceType: 'not a type' as 't3.micro' })))).rejects.toMatchObject({
      name: 'InvalidParameterValue',
      message: expect.stringContaining('InstanceType'),
    });
    await expect(ec2.send(new RunInstancesCommand(launchInput({ MinCount: 3, MaxCount: 2 })))).rejects.toMatchObject({
      name: 'InvalidParameterValue',
      message: expect.stringContaining('MinCount'),
    });
    await expect(ec2.send(new RunInstancesCommand(launchInput({ ImageId: 'image-1' })))).rejects.toMatchObject({
      name: 'InvalidAMIID.Malformed',
    });
  });
});

describe('DescribeInstances', () => {
  it('filters by tag, tag-key, instance-id and state', async () => {
    const team = uniqueTag();
    const tagged = launchInput({ TagSpecifications: [{ ResourceType: 'instance', Tags: [{ Key: 'team', Value: team }] }] });
    const a = await launch(ec2, tagged);
    const b = await launch(ec2, tagged);
    await waitForState(a.InstanceId ?? '', 'running');
    await waitForState(b.InstanceId ?? '', 'running');
    await ec2.send(new StopInstancesCommand({ InstanceIds: [b.InstanceId ?? ''] }));
    const ids = async (filters: { Name: string; Values: string[] }[]): Promise<string[]> => {
      const out = await ec2.send(new DescribeInstancesCommand({ Filters: filters }));
      return (out.Reservations ?? []).flatMap((r) => r.Instances ?? []).map((i) => i.InstanceId ?? '').sort();
    };

    expect(await ids([{ Name: 'tag:team', Values: [team] }])).toEqual([a.InstanceId, b.InstanceId].sort());
    expect(await ids([{ Name: 'tag:team', Values: [team.slice(0, 4) + '*'] }, { Name: 'instance-state-name', Values: ['running'] }])).toContain(a.InstanceId);
    expect(await ids([{ Name: 'tag:team', Values: [team] }, { Name: 'instance-state-name', Values: ['stopping', 'stopped'] }])).toEqual([b.InstanceId]);
    expect(await ids([{ Name: 'tag-key', Values: ['team'] }, { Name: 'instance-id', Values: [a.InstanceId ?? ''] }])).toEqual([a.InstanceId]);
    expect(await ids([{ Name: 'tag:team', Values: ['nobody'] }])).toEqual([]);
  });

  it('pages with MaxResults and NextToken', async () => {
    const batch = uniqueTag();
    await ec2.send(new RunInstancesCommand(launchInput({ MinCount: 6, MaxCount: 6, TagSpecifications: [{ ResourceType: 'instance', Tags: [{ Key: 'batch', Value: batch }] }] })));
    const filter = [{ Name: 'tag:batch', Values: [batch] }];

    const first = await ec2.send(new DescribeInstancesCommand({ Filters: filter, MaxResults: 5 }));
    const second = await ec2.send(new DescribeInstancesCommand({ Filters: filter, MaxResults: 5, NextToken: first.NextToken }));

    const count = (out: typeof first): number => (out.Reservations ?? []).flatMap((r) => r.Instances ?? []).length;
    expect(count(first)).toBe(5);
    expect(first.NextToken).toEqual(expect.any(String));
    expect(count(second)).toBe(1);
    expect(second.NextToken).toBeUndefined();
  });

  it('answers AWS error codes for unknown, malformed and unsupported input', async () => {
    await expect(ec2.send(new DescribeInstancesCommand({ InstanceIds: ['i-0123456789abcdef0'] }))).rejects.toMatchObject({
      name: 'InvalidInstanceID.NotFound',
      message: expect.stringContaining('i-0123456789abcdef0'),
    });
    await expect(ec2.send(new DescribeInstancesCommand({ InstanceIds: ['i-nope'] }))).rejects.toMatchObject({
      name: 'InvalidInstanceID.Malformed',
    });
    await expect(ec2.send(new DescribeInstancesCommand({ Filters: [{ Name: 'shoe-size', Values: ['9'] }] }))).rejects.toMatchObject({
      name: 'InvalidParameterValue',
      message: expect.stringContaining('shoe-size'),
    });
  });
});

describe('Stop, Start, Terminate', () => {
  it('walks an instance through every state with previous and current codes', async () => {
    const { InstanceId = '' } = await launch(ec2);
    await waitForState(InstanceId, 'running');

    const stop = await ec2.send(new StopInstancesCommand({ InstanceIds: [InstanceId] }));
    expect(stop.StoppingInstances).toEqual([
      { InstanceId, PreviousState: { Code: 16, Name: 'running' }, CurrentState: { Code: 64, Name: 'stopping' } },
    ]);
    await waitForState(InstanceId, 'stopped');

    const start = await ec2.send(new StartInstancesCommand({ InstanceIds: [InstanceId] }));
    expect(start.StartingInstances?.[0]).toMatchObject({ PreviousState: { Code: 80, Name: 'stopped' }, CurrentState: { Code: 0, Name: 'pending' } });
    await waitForState(InstanceId, 'running');

    const end = await ec2.send(new TerminateInstancesCommand({ InstanceIds: [InstanceId] }));
    expect(end.TerminatingInstances?.[0]).toMatchObject({ PreviousState: { Code: 16 }, CurrentState: { Code: 32, Name: 'shutting-down' } });
    const terminated = await waitForState(InstanceId, 'terminated');
    expect(terminated.State?.Code).toBe(48);
  });

  it('refuses to stop a pending instance or start a terminated one, changing nothing', async () => {
    const { InstanceId = '' } = await launch(manual);

    await expect(manual.send(new StopInstancesCommand({ InstanceIds: [InstanceId] }))).rejects.toMatchObject({ name: 'IncorrectInstanceState' });
    expect((await describeOne(manual, InstanceId)).State?.Name).toBe('pending');

    await manual.send(new TerminateInstancesCommand({ InstanceIds: [InstanceId] }));
    clock += 1000;
    await expect(manual.send(new StartInstancesCommand({ InstanceIds: [InstanceId] }))).rejects.toMatchObject({ name: 'IncorrectInstanceState' });
    expect((await describeOne(manual, InstanceId)).State?.Name).toBe('terminated');
  });

  it('forgets terminated instances after an hour, as AWS does', async () => {
    const { InstanceId = '' } = await launch(manual);
    await manual.send(new TerminateInstancesCommand({ InstanceIds: [InstanceId] }));

    clock += 1000 + 61 * 60 * 1000;

    await expect(describeOne(manual, InstanceId)).rejects.toMatchObject({ name: 'InvalidInstanceID.NotFound' });
  });
});

describe('tags', () => {
  it('creates, describes and deletes tags', async () => {
    const { InstanceId = '' } = await launch(ec2);

    await ec2.send(new CreateTagsCommand({ Resources: [InstanceId], Tags: [{ Key: 'owner', Value: 'ada' }, { Key: 'gatehouse:employee', Value: 'emp-2' }] }));
    const described = await ec2.send(new DescribeTagsCommand({ Filters: [{ Name: 'resource-id', Values: [InstanceId] }] }));
    expect(described.Tags?.map((t) => [t.Key, t.Value, t.ResourceType]).sort()).toEqual([
      ['gatehouse:employee', 'emp-2', 'instance'],
      ['owner', 'ada', 'instance'],
    ]);

    await ec2.send(new DeleteTagsCommand({ Resources: [InstanceId], Tags: [{ Key: 'owner', Value: 'someone-else' }, { Key: 'gatehouse:employee' }] }));
    expect((await describeOne(ec2, InstanceId)).Tags).toEqual([{ Key: 'owner', Value: 'ada' }]);
  });

  it('refuses reserved keys and unknown resources', async () => {
    const { InstanceId = '' } = await launch(ec2);

    await expect(ec2.send(new CreateTagsCommand({ Resources: [InstanceId], Tags: [{ Key: 'aws:x', Value: '1' }] }))).rejects.toMatchObject({ name: 'InvalidParameterValue' });
    await expect(ec2.send(new CreateTagsCommand({ Resources: ['i-0000000000000000f'], Tags: [{ Key: 'a', Value: '1' }] }))).rejects.toMatchObject({ name: 'InvalidInstanceID.NotFound' });
  });
});

describe('faults, dry runs and persistence', () => {
  it('surfaces an injected throttle as RequestLimitExceeded', async () => {
    const faults = new FaultInjector([{ service: 'ec2', operation: '*', throttle: 1, latencyMs: 0 }]);
    const throttled = new EC2Client(clientConfig(await serve(createEc2Emulator({ faults }, { pendingMs: 50 })), 1));

    await expect(throttled.send(new DescribeInstancesCommand({}))).rejects.toMatchObject({
      name: 'RequestLimitExceeded',
      $metadata: { httpStatusCode: 503 },
    });
    expect(faults.throttled.get('ec2:DescribeInstances')).toBe(1);
  });

  it('answers DryRunOperation without launching anything', async () => {
    const token = `dry-${uniqueTag()}`;

    await expect(ec2.send(new RunInstancesCommand(launchInput({ DryRun: true, ClientToken: token })))).rejects.toMatchObject({ name: 'DryRunOperation' });
    const out = await ec2.send(new DescribeInstancesCommand({ Filters: [{ Name: 'client-token', Values: [token] }] }));
    expect(out.Reservations).toEqual([]);
  });

  it('keeps state across a restart on the same state folder and settles it from timestamps', async () => {
    const stateDir = await mkdtemp(join(tmpdir(), 'gatehouse-ec2-'));
    const before = new EC2Client(clientConfig(await serve(createEc2Emulator({ faults: noFaults() }, { pendingMs: 50 }))));
    const { InstanceId = '' } = await launch(before);
    const persisted = await serve(createEc2Emulator({ faults: noFaults(), stateDir }, { pendingMs: 50 }));
    const first = new EC2Client(clientConfig(persisted));
    const launched = await launch(first, { ClientToken: 'persist-1' });

    const after = new EC2Client(clientConfig(await serve(createEc2Emulator({ faults: noFaults(), stateDir }, { pendingMs: 50 }))));

    const file = JSON.parse(await readFile(join(stateDir, 'ec2.json'), 'utf8')) as { instances: Record<string, unknown> };
    expect(Object.keys(file.instances)).toEqual([launched.InstanceId]);
    const running = await until(() => describeOne(after, launched.InstanceId ?? ''), (i) => i.State?.Name === 'running');
    expect(running.Tags).toEqual([{ Key: 'gatehouse:employee', Value: 'emp-1' }]);
    const replay = await after.send(new RunInstancesCommand(launchInput({ ClientToken: 'persist-1' })));
    expect(replay.Instances?.[0]?.InstanceId).toBe(launched.InstanceId);
    await expect(describeOne(after, InstanceId)).rejects.toMatchObject({ name: 'InvalidInstanceID.NotFound' });
  });
});
