import {
  AttachVolumeCommand,
  CreateSnapshotCommand,
  CreateVolumeCommand,
  DeleteSnapshotCommand,
  DeleteVolumeCommand,
  DescribeInstancesCommand,
  DescribeSnapshotsCommand,
  DescribeVolumesCommand,
  DetachVolumeCommand,
  EC2Client,
  RunInstancesCommand,
  TerminateInstancesCommand,
  type CreateVolumeCommandInput,
  type Snapshot,
  type Volume,
} from '@aws-sdk/client-ec2';
import { describe, expect, it } from 'vitest';
import { createEc2Emulator } from '../../local/emulators/ec2.ts';
import { clientConfig, noFaults, serve } from '../support/emulator.ts';
import { until } from '../support/poll.ts';

const ec2 = new EC2Client(clientConfig(await serve(createEc2Emulator({ faults: noFaults() }, { pendingMs: 50 }))));

const uniqueTag = (): string => `t-${Math.random().toString(36).slice(2)}`;

async function describeVolume(id: string): Promise<Volume> {
  const volume = (await ec2.send(new DescribeVolumesCommand({ VolumeIds: [id] }))).Volumes?.[0];
  if (!volume) throw new Error(`${id} not described`);
  return volume;
}

const volumeInState = (id: string, state: string): Promise<Volume> => until(() => describeVolume(id), (v) => v.State === state);

const volumeInput = (overrides: Partial<CreateVolumeCommandInput> = {}): CreateVolumeCommandInput => ({
  AvailabilityZone: 'us-east-1a',
  Size: 20,
  VolumeType: 'gp3',
  TagSpecifications: [{ ResourceType: 'volume', Tags: [{ Key: 'gatehouse:employee', Value: 'emp-1' }] }],
  ...overrides,
});

async function availableVolume(overrides: Partial<CreateVolumeCommandInput> = {}): Promise<string> {
  const { VolumeId = '' } = await ec2.send(new CreateVolumeCommand(volumeInput(overrides)));
  await volumeInState(VolumeId, 'available');
  return VolumeId;
}

async function runningInstance(zone = 'us-east-1a'): Promise<string> {
  const out = await ec2.send(
    new RunInstancesCommand({ ImageId: 'ami-0123456789abcdef0', InstanceType: 't3.micro', MinCount: 1, MaxCount: 1, Placement: { AvailabilityZone: zone } }),
  );
  const id = out.Instances?.[0]?.InstanceId ?? '';
  const state = async (): Promise<string | undefined> =>
    (await ec2.send(new DescribeInstancesCommand({ InstanceIds: [id] }))).Reservations?.[0]?.Instances?.[0]?.State?.Name;
  await until(state, (name) => name === 'running');
  return id;
}

describe('CreateVolume', () => {
  it('creates a volume that becomes available', async () => {
    const created = await ec2.send(new CreateVolumeCommand(volumeInput()));

    expect(created).toMatchObject({
      VolumeId: expect.stringMatching(/^vol-[0-9a-f]{17}$/),
      Size: 20,
      VolumeType: 'gp3',
      AvailabilityZone: 'us-east-1a',
      State: 'creating',
      Iops: 3000,
      Encrypted: false,
      Tags: [{ Key: 'gatehouse:employee', Value: 'emp-1' }],
    });
    expect(created.CreateTime).toBeInstanceOf(Date);
    expect((await volumeInState(created.VolumeId ?? '', 'available')).Attachments).toEqual([]);
  });

  it('honours ClientToken: same parameters return the volume, different ones are refused', async () => {
    const token = `vol-${uniqueTag()}`;

    const first = await ec2.send(new CreateVolumeCommand(volumeInput({ ClientToken: token })));
    const again = await ec2.send(new CreateVolumeCommand(volumeInput({ ClientToken: token })));

    expect(again.VolumeId).toBe(first.VolumeId);
    await expect(ec2.send(new CreateVolumeCommand(volumeInput({ ClientToken: token, Size: 21 })))).rejects.toMatchObject({
      name: 'IdempotentParameterMismatch',
    });
  });

  it('names missing and invalid parameters', async () => {
    await expect(ec2.send(new CreateVolumeCommand({ AvailabilityZone: 'us-east-1a' }))).rejects.toMatchObject({
      name: 'MissingParameter',
      message: expect.stringContaining('Size'),
    });
    await expect(ec2.send(new CreateVolumeCommand(volumeInput({ Size: 0 })))).rejects.toMatchObject({
      name: 'InvalidParameterValue',
      message: expect.stringContaining('Size'),
    });
    await expect(ec2.send(new CreateVolumeCommand(volumeInput({ AvailabilityZone: 'mars-1a' })))).rejects.toMatchObject({
      name: 'InvalidParameterValue',
      message: expect.stringContaining('AvailabilityZone'),
    });
  });
});

describe('Attach, Detach, Delete', () => {
  it('attaches, refuses deletion while in use, detaches and deletes', async () => {
    const instanceId = await runningInstance();
    const volumeId = await availableVolume();

    const attach = await ec2.send(new AttachVolumeCommand({ VolumeId: volumeId, InstanceId: instanceId, Device: '/dev/sdf' }));
    expect(attach).toMatchObject({ VolumeId: volumeId, InstanceId: instanceId, Device: '/dev/sdf', State: 'attaching' });
    const inUse = await volumeInState(volumeId, 'in-use');
    expect(inUse.Attachments?.[0]).toMatchObject({ InstanceId: instanceId, DeleteOnTermination: false });
    const byInstance = await ec2.send(new DescribeVolumesCommand({ Filters: [{ Name: 'attachment.instance-id', Values: [instanceId] }] }));
    expect(byInstance.Volumes?.map((v) => v.VolumeId)).toEqual([volumeId]);

    await expect(ec2.send(new DeleteVolumeCommand({ VolumeId: volumeId }))).rejects.toMatchObject({ name: 'VolumeInUse' });
    await expect(ec2.send(new AttachVolumeCommand({ VolumeId: await availableVolume(), InstanceId: instanceId, Device: '/dev/sdf' }))).rejects.toMatchObject({
      name: 'InvalidParameterValue',
      message: expect.stringContaining('/dev/sdf'),
    });

    const detach = await ec2.send(new DetachVolumeCommand({ VolumeId: volumeId }));
    expect(detach.State).toBe('detaching');
    await volumeInState(volumeId, 'available');
    await ec2.send(new DeleteVolumeCommand({ VolumeId: volumeId }));
    await expect(describeVolume(volumeId)).rejects.toMatchObject({ name: 'InvalidVolume.NotFound' });
  });

  it('detaches data volumes, left available, when their instance terminates', async () => {
    const instanceId = await runningInstance();
    const volumeId = await availableVolume();
    await ec2.send(new AttachVolumeCommand({ VolumeId: volumeId, InstanceId: instanceId, Device: '/dev/sdg' }));
    await until(() => describeVolume(volumeId), (v) => v.Attachments?.[0]?.State === 'attached');

    await ec2.send(new TerminateInstancesCommand({ InstanceIds: [instanceId] }));

    const after = await volumeInState(volumeId, 'available');
    expect(after.Attachments).toEqual([]);
  });

  it('answers AWS error codes for wrong state, zone and ids', async () => {
    const instanceId = await runningInstance();
    const volumeId = await availableVolume();
    const otherZone = await availableVolume({ AvailabilityZone: 'us-east-1b' });

    await expect(ec2.send(new AttachVolumeCommand({ VolumeId: 'vol-0123456789abcdef0', InstanceId: instanceId, Device: '/dev/sdf' }))).rejects.toMatchObject({ name: 'InvalidVolume.NotFound' });
    await expect(ec2.send(new AttachVolumeCommand({ VolumeId: otherZone, InstanceId: instanceId, Device: '/dev/sdf' }))).rejects.toMatchObject({ name: 'InvalidVolume.ZoneMismatch' });
    await expect(ec2.send(new DetachVolumeCommand({ VolumeId: volumeId }))).rejects.toMatchObject({ name: 'IncorrectState' });
    await ec2.send(new TerminateInstancesCommand({ InstanceIds: [instanceId] }));
    await expect(ec2.send(new AttachVolumeCommand({ VolumeId: volumeId, InstanceId: instanceId, Device: '/dev/sdf' }))).rejects.toMatchObject({
      name: 'IncorrectState',
      message: expect.stringContaining(instanceId),
    });
    expect((await describeVolume(volumeId)).State).toBe('available');
  });

  it('filters volumes by status and tag', async () => {
    const owner = uniqueTag();
    const volumeId = await availableVolume({ TagSpecifications: [{ ResourceType: 'volume', Tags: [{ Key: 'owner', Value: owner }] }] });

    const found = await ec2.send(new DescribeVolumesCommand({ Filters: [{ Name: 'tag:owner', Values: [owner] }, { Name: 'status', Values: ['available'] }] }));
    const none = await ec2.send(new DescribeVolumesCommand({ Filters: [{ Name: 'tag:owner', Values: [owner] }, { Name: 'status', Values: ['in-use'] }] }));

    expect(found.Volumes?.map((v) => v.VolumeId)).toEqual([volumeId]);
    expect(none.Volumes).toEqual([]);
  });
});

describe('snapshots', () => {
  const describeSnapshot = async (id: string): Promise<Snapshot | undefined> =>
    (await ec2.send(new DescribeSnapshotsCommand({ SnapshotIds: [id] }))).Snapshots?.[0];

  it('creates a snapshot that completes, finds it by volume and tag, and deletes it', async () => {
    const volumeId = await availableVolume();
    const request = uniqueTag();

    const created = await ec2.send(
      new CreateSnapshotCommand({ VolumeId: volumeId, Description: 'leaver backup', TagSpecifications: [{ ResourceType: 'snapshot', Tags: [{ Key: 'request', Value: request }] }] }),
    );
    expect(created).toMatchObject({
      SnapshotId: expect.stringMatching(/^snap-[0-9a-f]{17}$/),
      VolumeId: volumeId,
      VolumeSize: 20,
      State: 'pending',
      Description: 'leaver backup',
      OwnerId: '000000000000',
      Tags: [{ Key: 'request', Value: request }],
    });
    const snapshotId = created.SnapshotId ?? '';
    const done = await until(() => describeSnapshot(snapshotId), (s) => s?.State === 'completed');
    expect(done?.Progress).toBe('100%');

    const byVolume = await ec2.send(new DescribeSnapshotsCommand({ OwnerIds: ['self'], Filters: [{ Name: 'volume-id', Values: [volumeId] }] }));
    const byTag = await ec2.send(new DescribeSnapshotsCommand({ Filters: [{ Name: 'tag:request', Values: [request] }] }));
    expect(byVolume.Snapshots?.map((s) => s.SnapshotId)).toEqual([snapshotId]);
    expect(byTag.Snapshots?.map((s) => s.SnapshotId)).toEqual([snapshotId]);

    await ec2.send(new DeleteSnapshotCommand({ SnapshotId: snapshotId }));
    await expect(describeSnapshot(snapshotId)).rejects.toMatchObject({ name: 'InvalidSnapshot.NotFound' });
  });

  it('refuses a snapshot of an unknown volume', async () => {
    await expect(ec2.send(new CreateSnapshotCommand({ VolumeId: 'vol-0123456789abcdef0' }))).rejects.toMatchObject({ name: 'InvalidVolume.NotFound' });
  });
});

describe('RunInstances with a block device mapping', () => {
  const launch = (tag: string, deleteOnTermination?: boolean) =>
    ec2.send(
      new RunInstancesCommand({
        ImageId: 'ami-0123456789abcdef0',
        InstanceType: 't3.micro',
        MinCount: 1,
        MaxCount: 1,
        BlockDeviceMappings: [
          { DeviceName: '/dev/sdf', Ebs: { VolumeSize: 30, VolumeType: 'gp3', Encrypted: true, ...(deleteOnTermination === undefined ? {} : { DeleteOnTermination: deleteOnTermination }) } },
        ],
        TagSpecifications: [
          { ResourceType: 'instance', Tags: [{ Key: 'gatehouse:employee', Value: tag }] },
          { ResourceType: 'volume', Tags: [{ Key: 'gatehouse:employee', Value: tag }] },
        ],
      }),
    );
  const instanceOf = async (id: string) => (await ec2.send(new DescribeInstancesCommand({ InstanceIds: [id] }))).Reservations?.[0]?.Instances?.[0];

  it('creates the volume with the instance, tagged, attaching while it starts and attached once it runs', async () => {
    const tag = uniqueTag();
    const id = (await launch(tag, false)).Instances?.[0]?.InstanceId ?? '';

    const volumes = (await ec2.send(new DescribeVolumesCommand({ Filters: [{ Name: 'tag:gatehouse:employee', Values: [tag] }] }))).Volumes ?? [];
    expect(volumes).toHaveLength(1);
    expect(volumes[0]).toMatchObject({ Size: 30, VolumeType: 'gp3', Encrypted: true, State: 'in-use', Attachments: [{ InstanceId: id, Device: '/dev/sdf' }] });
    const running = await until(() => instanceOf(id), (i) => i?.State?.Name === 'running');
    expect(running?.BlockDeviceMappings).toEqual([{ DeviceName: '/dev/sdf', Ebs: expect.objectContaining({ VolumeId: volumes[0]?.VolumeId, Status: 'attached', DeleteOnTermination: false }) }]);
  });

  it('keeps a DeleteOnTermination=false volume when the instance terminates, and deletes a default one', async () => {
    const kept = uniqueTag();
    const dropped = uniqueTag();
    const keptId = (await launch(kept, false)).Instances?.[0]?.InstanceId ?? '';
    const droppedId = (await launch(dropped)).Instances?.[0]?.InstanceId ?? '';
    await until(() => instanceOf(droppedId), (i) => i?.State?.Name === 'running');
    await ec2.send(new TerminateInstancesCommand({ InstanceIds: [keptId, droppedId] }));
    await until(() => instanceOf(droppedId), (i) => i?.State?.Name === 'terminated');

    const volumesOf = async (tag: string) => (await ec2.send(new DescribeVolumesCommand({ Filters: [{ Name: 'tag:gatehouse:employee', Values: [tag] }] }))).Volumes ?? [];
    expect(await volumesOf(kept)).toEqual([expect.objectContaining({ State: 'available', Attachments: [] })]);
    expect(await volumesOf(dropped)).toEqual([]);
  });

  it('refuses a mapping without a size, naming the parameter, and launches nothing', async () => {
    const tag = uniqueTag();
    await expect(
      ec2.send(new RunInstancesCommand({ ImageId: 'ami-0123456789abcdef0', MinCount: 1, MaxCount: 1, BlockDeviceMappings: [{ DeviceName: '/dev/sdf', Ebs: { VolumeType: 'gp3' } }], TagSpecifications: [{ ResourceType: 'instance', Tags: [{ Key: 'gatehouse:employee', Value: tag }] }] })),
    ).rejects.toMatchObject({ name: 'MissingParameter', message: expect.stringContaining('BlockDeviceMapping.1.Ebs.VolumeSize') as string });
    const found = await ec2.send(new DescribeInstancesCommand({ Filters: [{ Name: 'tag:gatehouse:employee', Values: [tag] }] }));
    expect(found.Reservations ?? []).toEqual([]);
  });
});
