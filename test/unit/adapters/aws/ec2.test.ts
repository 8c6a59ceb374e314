import {
  AttachVolumeCommand,
  CreateVolumeCommand,
  DeleteVolumeCommand,
  DescribeInstancesCommand,
  DescribeVolumesCommand,
  DetachVolumeCommand,
  EC2Client,
  RunInstancesCommand,
  TerminateInstancesCommand,
  type DescribeInstancesResult,
  type InstanceStateName,
  type Volume,
} from '@aws-sdk/client-ec2';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { ConfigError, TransientError } from '#lib/domain/shared/errors';
import {
  VolumeAttachmentConflictError,
  VolumeFailedError,
  VolumePendingError,
  WorkstationFailedError,
  WorkstationPendingError,
} from '#lib/domain/provision/errors';
import { clientToken, createWorkstations, TAGS, workstationToken } from '#lib/adapters/aws/ec2';
import { devArm, ec2Error } from '../../provision/factories.ts';

const client = new EC2Client({ region: 'us-east-1' });
const sdk = mockClient(client);
const placement = { subnetId: 'subnet-0123456789abcdef0', securityGroupId: 'sg-0123456789abcdef0', availabilityZone: 'us-east-1a' };
const workstations = createWorkstations({ client, placement });

const INSTANCE = 'i-0123456789abcdef0';
const OTHER_INSTANCE = 'i-0fedcba9876543210';
const VOLUME = 'vol-0123456789abcdef0';
const launch = { requestId: 'req-1', employeeId: 'E1001', profile: devArm() };
const storage = { ...launch, instanceId: INSTANCE, availabilityZone: 'us-east-1a' };

const volume = (state: Volume['State'], attachment?: { instanceId: string; state: 'attaching' | 'attached' | 'detaching' }): Volume => ({
  VolumeId: VOLUME,
  State: state,
  AvailabilityZone: 'us-east-1a',
  Attachments: attachment ? [{ VolumeId: VOLUME, InstanceId: attachment.instanceId, State: attachment.state, Device: '/dev/sdf' }] : [],
});

const instanceIn = (state: InstanceStateName): DescribeInstancesResult => ({
  Reservations: [{ Instances: [{ InstanceId: INSTANCE, State: { Name: state }, StateReason: { Message: 'Client.UserInitiatedShutdown' } }] }],
});

/** The rejection of `promise`; a resolution fails the test. */
const failureOf = (promise: Promise<unknown>): Promise<unknown> =>
  promise.then(
    () => {
      throw new Error('expected a rejection');
    },
    (error: unknown) => error,
  );

beforeEach(() => {
  sdk.reset();
});

describe('launchWorkstation', () => {
  it('runs one instance from the catalogue profile with a deterministic client token and request tags', async () => {
    sdk.on(RunInstancesCommand).resolves({ Instances: [{ InstanceId: INSTANCE, Placement: { AvailabilityZone: 'us-east-1a' } }] });

    const result = await workstations.launchWorkstation(launch);

    expect(result).toEqual({ entitlementId: 'workstation:dev-arm', instanceId: INSTANCE, availabilityZone: 'us-east-1a' });
    const input = sdk.commandCalls(RunInstancesCommand)[0]?.args[0].input;
    expect(input).toMatchObject({
      ClientToken: clientToken('instance', 'req-1', 'workstation:dev-arm'),
      ImageId: 'resolve:ssm:/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-arm64',
      InstanceType: 'm7g.large',
      MinCount: 1,
      MaxCount: 1,
      SubnetId: placement.subnetId,
      SecurityGroupIds: [placement.securityGroupId],
      Placement: { AvailabilityZone: 'us-east-1a' },
      // The data volume comes with the instance: attached once it runs, kept for the leaver's snapshot.
      BlockDeviceMappings: [{ DeviceName: '/dev/sdf', Ebs: { VolumeSize: 100, VolumeType: 'gp3', Encrypted: true, DeleteOnTermination: false } }],
    });
    const tags = expect.arrayContaining([
      { Key: TAGS.employeeId, Value: 'E1001' },
      { Key: TAGS.requestId, Value: 'req-1' },
      { Key: TAGS.managed, Value: 'true' },
      { Key: 'Name', Value: 'gatehouse-dev-arm-E1001' },
    ]);
    expect(input?.TagSpecifications).toEqual([
      { ResourceType: 'instance', Tags: tags },
      { ResourceType: 'volume', Tags: tags },
    ]);
  });

  it('keys the token by person, profile and generation when the generation is given, whatever the request', async () => {
    sdk.on(RunInstancesCommand).resolves({ Instances: [{ InstanceId: INSTANCE, Placement: { AvailabilityZone: 'us-east-1a' } }] });
    const generation = '2026-11-02T09:00:00.000Z';

    await workstations.launchWorkstation({ ...launch, generation });

    const token = workstationToken({ ...launch, generation });
    expect(sdk.commandCalls(RunInstancesCommand)[0]?.args[0].input.ClientToken).toBe(token);
    expect(token).toMatch(/^[0-9a-f]{64}$/);
    expect(workstationToken({ ...launch, requestId: 'req-2', generation })).toBe(token);
    expect(new Set([
      token,
      workstationToken({ ...launch, generation: '2027-01-05T09:00:00.000Z' }),
      workstationToken({ ...launch, employeeId: 'E1002', generation }),
      workstationToken(launch),
    ]).size).toBe(4);
  });

  it('adopts the instance another request of the same person and generation launched (IdempotentParameterMismatch)', async () => {
    sdk.on(RunInstancesCommand).rejects(ec2Error('IdempotentParameterMismatch'));
    sdk.on(DescribeInstancesCommand).resolves({
      Reservations: [{ Instances: [{ InstanceId: INSTANCE, State: { Name: 'pending' }, Placement: { AvailabilityZone: 'us-east-1a' } }] }],
    });
    const request = { ...launch, requestId: 'req-2', generation: '2026-11-02T09:00:00.000Z' };

    await expect(workstations.launchWorkstation(request)).resolves.toEqual({ entitlementId: 'workstation:dev-arm', instanceId: INSTANCE, availabilityZone: 'us-east-1a' });
    expect(sdk.commandCalls(DescribeInstancesCommand)[0]?.args[0].input).toEqual({ Filters: [{ Name: 'client-token', Values: [workstationToken(request)] }] });
  });

  it('derives the same token for a retry and different ones for other requests, entitlements and purposes', () => {
    const token = clientToken('instance', 'req-1', 'workstation:dev-arm');

    expect(token).toMatch(/^[0-9a-f]{64}$/);
    expect(clientToken('instance', 'req-1', 'workstation:dev-arm')).toBe(token);
    expect(new Set([
      token,
      clientToken('instance', 'req-2', 'workstation:dev-arm'),
      clientToken('instance', 'req-1', 'workstation:gpu'),
      clientToken('data-volume', 'req-1', 'workstation:dev-arm'),
    ]).size).toBe(4);
  });

  it('maps RequestLimitExceeded to TransientError with the SDK error as cause', async () => {
    const throttled = ec2Error('RequestLimitExceeded', 503);
    sdk.on(RunInstancesCommand).rejects(throttled);

    const failure = await failureOf(workstations.launchWorkstation(launch));

    expect(failure).toBeInstanceOf(TransientError);
    expect(failure).toMatchObject({ name: 'TransientError', cause: throttled });
  });

  it('lets IdempotentParameterMismatch through unchanged when no live instance holds the token: a retry would not help', async () => {
    sdk.on(RunInstancesCommand).rejects(ec2Error('IdempotentParameterMismatch'));
    sdk.on(DescribeInstancesCommand).resolves({ Reservations: [{ Instances: [{ InstanceId: INSTANCE, State: { Name: 'terminated' } }] }] });

    await expect(workstations.launchWorkstation(launch)).rejects.toMatchObject({ name: 'IdempotentParameterMismatch' });
  });

  it('needs a placement to launch', async () => {
    await expect(createWorkstations({ client }).launchWorkstation(launch)).rejects.toBeInstanceOf(ConfigError);
    expect(sdk.calls()).toHaveLength(0);
  });
});

describe('checkWorkstation', () => {
  it('is done once the instance runs', async () => {
    sdk.on(DescribeInstancesCommand).resolves(instanceIn('running'));

    await expect(workstations.checkWorkstation(INSTANCE)).resolves.toEqual({ state: 'running' });
  });

  it.each([
    ['pending', () => sdk.on(DescribeInstancesCommand).resolves(instanceIn('pending'))],
    ['not visible yet', () => sdk.on(DescribeInstancesCommand).rejects(ec2Error('InvalidInstanceID.NotFound'))],
  ])('throws the retryable WorkstationPendingError while %s', async (_state, arrange) => {
    arrange();

    const failure = await failureOf(workstations.checkWorkstation(INSTANCE));

    expect(failure).toBeInstanceOf(WorkstationPendingError);
    expect(failure).toMatchObject({ name: 'WorkstationPendingError', retryable: true });
  });

  it.each<InstanceStateName>(['stopped', 'stopping', 'shutting-down', 'terminated'])('fails for good when the instance is %s', async (state) => {
    sdk.on(DescribeInstancesCommand).resolves(instanceIn(state));

    const failure = await failureOf(workstations.checkWorkstation(INSTANCE));

    expect(failure).toBeInstanceOf(WorkstationFailedError);
    expect(failure).toMatchObject({ name: 'WorkstationFailedError', retryable: false });
  });
});

describe('ensureDataVolume', () => {
  // An instance launched without a data volume in its block device mapping (before launches carried one).
  beforeEach(() => {
    sdk.on(DescribeInstancesCommand).resolves({ Reservations: [{ Instances: [{ InstanceId: INSTANCE, BlockDeviceMappings: [] }] }] });
  });

  const launchedWith = (status: 'attaching' | 'attached'): DescribeInstancesResult => ({
    Reservations: [{ Instances: [{ InstanceId: INSTANCE, BlockDeviceMappings: [{ DeviceName: '/dev/sdf', Ebs: { VolumeId: VOLUME, Status: status } }] }] }],
  });

  it('reads the volume launched with the instance and creates none', async () => {
    sdk.on(DescribeInstancesCommand).resolves(launchedWith('attached'));

    await expect(workstations.ensureDataVolume(storage)).resolves.toEqual({ entitlementId: 'workstation:dev-arm', volumeId: VOLUME, device: '/dev/sdf' });
    expect(sdk.commandCalls(CreateVolumeCommand)).toHaveLength(0);
    expect(sdk.commandCalls(AttachVolumeCommand)).toHaveLength(0);
  });

  it('is pending while the launched volume is still attaching', async () => {
    sdk.on(DescribeInstancesCommand).resolves(launchedWith('attaching'));

    await expect(workstations.ensureDataVolume(storage)).rejects.toBeInstanceOf(VolumePendingError);
    expect(sdk.commandCalls(CreateVolumeCommand)).toHaveLength(0);
  });

  it('creates a tagged, encrypted gp3 volume in the instance zone and says pending while it is creating', async () => {
    sdk.on(CreateVolumeCommand).resolves(volume('creating'));
    sdk.on(DescribeVolumesCommand).resolves({ Volumes: [volume('creating')] });

    await expect(workstations.ensureDataVolume(storage)).rejects.toBeInstanceOf(VolumePendingError);
    expect(sdk.commandCalls(CreateVolumeCommand)[0]?.args[0].input).toMatchObject({
      ClientToken: clientToken('data-volume', 'req-1', 'workstation:dev-arm'),
      AvailabilityZone: 'us-east-1a',
      Size: 100,
      VolumeType: 'gp3',
      Encrypted: true,
      TagSpecifications: [{ ResourceType: 'volume', Tags: expect.arrayContaining([{ Key: TAGS.requestId, Value: 'req-1' }]) }],
    });
    expect(sdk.commandCalls(AttachVolumeCommand)).toHaveLength(0);
  });

  it('attaches an available volume at /dev/sdf and stays pending until attached', async () => {
    sdk.on(CreateVolumeCommand).resolves(volume('available'));
    sdk.on(AttachVolumeCommand).resolves({ State: 'attaching', VolumeId: VOLUME, InstanceId: INSTANCE });

    await expect(workstations.ensureDataVolume(storage)).rejects.toBeInstanceOf(VolumePendingError);
    expect(sdk.commandCalls(AttachVolumeCommand)[0]?.args[0].input).toEqual({ VolumeId: VOLUME, InstanceId: INSTANCE, Device: '/dev/sdf' });
  });

  it('is done without attaching again when the volume is already attached to this instance', async () => {
    sdk.on(CreateVolumeCommand).resolves(volume('in-use'));
    sdk.on(DescribeVolumesCommand).resolves({ Volumes: [volume('in-use', { instanceId: INSTANCE, state: 'attached' })] });

    await expect(workstations.ensureDataVolume(storage)).resolves.toEqual({
      entitlementId: 'workstation:dev-arm',
      volumeId: VOLUME,
      device: '/dev/sdf',
    });
    expect(sdk.commandCalls(AttachVolumeCommand)).toHaveLength(0);
  });

  it('accepts VolumeInUse when a concurrent attempt attached it to this instance', async () => {
    sdk.on(CreateVolumeCommand).resolves(volume('available'));
    sdk.on(AttachVolumeCommand).rejects(ec2Error('VolumeInUse'));
    sdk.on(DescribeVolumesCommand).resolves({ Volumes: [volume('in-use', { instanceId: INSTANCE, state: 'attached' })] });

    await expect(workstations.ensureDataVolume(storage)).resolves.toMatchObject({ volumeId: VOLUME });
  });

  it('refuses a volume attached to another instance', async () => {
    sdk.on(CreateVolumeCommand).resolves(volume('in-use'));
    sdk.on(DescribeVolumesCommand).resolves({ Volumes: [volume('in-use', { instanceId: OTHER_INSTANCE, state: 'attached' })] });

    await expect(workstations.ensureDataVolume(storage)).rejects.toBeInstanceOf(VolumeAttachmentConflictError);
  });

  it('maps IncorrectState on attach (instance or volume not ready) to VolumePendingError', async () => {
    sdk.on(CreateVolumeCommand).resolves(volume('available'));
    sdk.on(AttachVolumeCommand).rejects(ec2Error('IncorrectState'));

    await expect(workstations.ensureDataVolume(storage)).rejects.toMatchObject({ name: 'VolumePendingError', retryable: true });
  });

  it('fails for good when the token names a volume that was deleted', async () => {
    sdk.on(CreateVolumeCommand).resolves({ ...volume('deleted') });
    sdk.on(DescribeVolumesCommand).rejects(ec2Error('InvalidVolume.NotFound'));

    await expect(workstations.ensureDataVolume(storage)).rejects.toBeInstanceOf(VolumeFailedError);
  });

  it('maps a throttled CreateVolume to TransientError', async () => {
    sdk.on(CreateVolumeCommand).rejects(ec2Error('RequestLimitExceeded', 503));

    await expect(workstations.ensureDataVolume(storage)).rejects.toMatchObject({ name: 'TransientError' });
  });
});

describe('undo and lookup', () => {
  it('terminates an instance; missing or already terminated is success', async () => {
    sdk
      .on(TerminateInstancesCommand)
      .resolvesOnce({ TerminatingInstances: [{ InstanceId: INSTANCE, PreviousState: { Name: 'running' }, CurrentState: { Name: 'shutting-down' } }] })
      .resolvesOnce({ TerminatingInstances: [{ InstanceId: INSTANCE, PreviousState: { Name: 'terminated' }, CurrentState: { Name: 'terminated' } }] })
      .rejects(ec2Error('InvalidInstanceID.NotFound'));

    await expect(workstations.terminateWorkstation(INSTANCE)).resolves.toBe('undone');
    await expect(workstations.terminateWorkstation(INSTANCE)).resolves.toBe('already-gone');
    await expect(workstations.terminateWorkstation(INSTANCE)).resolves.toBe('already-gone');
  });

  it('deletes a volume; missing is success, attached is in-use', async () => {
    sdk.on(DeleteVolumeCommand).resolvesOnce({}).rejectsOnce(ec2Error('VolumeInUse')).rejects(ec2Error('InvalidVolume.NotFound'));

    await expect(workstations.deleteVolume(VOLUME)).resolves.toBe('undone');
    await expect(workstations.deleteVolume(VOLUME)).resolves.toBe('in-use');
    await expect(workstations.deleteVolume(VOLUME)).resolves.toBe('already-gone');
  });

  it('detaches a volume; not attached or missing is fine', async () => {
    sdk.on(DetachVolumeCommand).resolvesOnce({ State: 'detaching' }).rejectsOnce(ec2Error('IncorrectState')).rejects(ec2Error('InvalidVolume.NotFound'));

    await expect(workstations.detachVolume(VOLUME)).resolves.toBe('undone');
    await expect(workstations.detachVolume(VOLUME)).resolves.toBe('not-attached');
    await expect(workstations.detachVolume(VOLUME)).resolves.toBe('already-gone');
  });

  it('finds what a request created by its tags, across pages', async () => {
    const tags = [{ Key: TAGS.entitlementId, Value: 'workstation:dev-arm' }];
    sdk
      .on(DescribeInstancesCommand)
      .resolvesOnce({ Reservations: [{ Instances: [{ InstanceId: INSTANCE, Tags: tags }] }], NextToken: 'page-2' })
      .resolvesOnce({ Reservations: [{ Instances: [{ InstanceId: OTHER_INSTANCE }] }] });
    sdk.on(DescribeVolumesCommand).resolves({ Volumes: [{ VolumeId: VOLUME, State: 'available', Tags: tags }] });

    const found = await workstations.findRequestResources('req-1');

    expect(found).toEqual({
      instances: [{ id: INSTANCE, entitlementId: 'workstation:dev-arm' }, { id: OTHER_INSTANCE }],
      volumes: [{ id: VOLUME, entitlementId: 'workstation:dev-arm' }],
    });
    const calls = sdk.commandCalls(DescribeInstancesCommand).map((call) => call.args[0].input);
    expect(calls[1]?.NextToken).toBe('page-2');
    expect(calls[0]?.Filters).toEqual(
      expect.arrayContaining([
        { Name: `tag:${TAGS.requestId}`, Values: ['req-1'] },
        { Name: `tag:${TAGS.managed}`, Values: ['true'] },
      ]),
    );
  });
});
