import {
  AttachVolumeCommand,
  CreateVolumeCommand,
  DescribeInstancesCommand,
  DescribeVolumesCommand,
  RunInstancesCommand,
  type _InstanceType,
  type Instance,
  type Volume,
  type EC2Client,
} from '@aws-sdk/client-ec2';
import { ConfigError, TransientError } from '../../domain/shared/errors.ts';
import { logger } from '../../runtime/logger.ts';
import { callAws, isAwsError } from './call-aws.ts';
import { VolumeAttachmentConflictError, VolumeFailedError, VolumePendingError, WorkstationFailedError, WorkstationPendingError } from '../../domain/provision/errors.ts';
import type { StorageResult, WorkstationResult, WorkstationState } from '../../domain/provision/schemas.ts';
import { DATA_DEVICE, clientToken, requestTags, workstationToken } from './ec2-model.ts';
import type { Placement, LaunchRequest, StorageRequest, WorkstationPort } from '../../domain/provision/ports.ts';

/**
 * Launch Workstation, Wait For Workstation, Attach Storage. The data volume is part of the launch
 * (a block device mapping), so it is attached by the time the instance runs: one wait, not three
 * (create, available, attached). Attach Storage then only reads it; for an instance launched
 * without it (before this change) it still creates and attaches one.
 */
export function launchOperations(client: Pick<EC2Client, 'send'>, placement: Placement | undefined): Pick<WorkstationPort, 'launchWorkstation' | 'checkWorkstation' | 'ensureDataVolume'> {
  async function launchWorkstation(request: LaunchRequest): Promise<WorkstationResult> {
    if (!placement) throw new ConfigError('launching a workstation needs a subnet and security group (placement)');
    const { profile } = request;
    const token = workstationToken(request);
    const out = await callAws('RunInstances', () =>
      client.send(
        new RunInstancesCommand({
          ClientToken: token,
          ImageId: `resolve:ssm:${profile.amiParameter}`,
          // The catalogue checks the shape; EC2 checks that the type exists.
          InstanceType: profile.instanceType as _InstanceType,
          MinCount: 1,
          MaxCount: 1,
          SubnetId: placement.subnetId,
          SecurityGroupIds: [placement.securityGroupId],
          ...(placement.availabilityZone ? { Placement: { AvailabilityZone: placement.availabilityZone } } : {}),
          MetadataOptions: { HttpTokens: 'required', HttpEndpoint: 'enabled' },
          // Kept when the instance terminates: the leaver snapshots it first, then deletes it.
          BlockDeviceMappings: [{ DeviceName: DATA_DEVICE, Ebs: { VolumeSize: profile.volumeSizeGiB, VolumeType: 'gp3', Encrypted: true, DeleteOnTermination: false } }],
          TagSpecifications: [
            { ResourceType: 'instance', Tags: requestTags(request) },
            { ResourceType: 'volume', Tags: requestTags(request) },
          ],
        }),
      ),
    ).catch(async (error: unknown) => {
      // Another request of the same person, profile and generation launched it (its tags name that
      // request, so EC2 sees different parameters): that instance is this person's workstation.
      if (!isAwsError(error, 'IdempotentParameterMismatch')) throw error;
      const launched = await instanceByToken(token);
      if (!launched) throw error;
      return { Instances: [launched] };
    });
    const instance = out.Instances?.[0];
    const availabilityZone = instance?.Placement?.AvailabilityZone ?? placement.availabilityZone;
    if (!instance?.InstanceId || !availabilityZone) throw new TransientError('RunInstances answered without an instance id or zone');
    logger.info('workstation launched', { instanceId: instance.InstanceId, entitlementId: profile.id });
    return { entitlementId: profile.id, instanceId: instance.InstanceId, availabilityZone };
  }

  async function instanceByToken(token: string): Promise<Instance | undefined> {
    const out = await callAws('DescribeInstances', () =>
      client.send(new DescribeInstancesCommand({ Filters: [{ Name: 'client-token', Values: [token] }] })),
    );
    return out.Reservations?.flatMap((reservation) => reservation.Instances ?? []).find((i) => i.State?.Name !== 'terminated' && i.State?.Name !== 'shutting-down');
  }

  /** The volume launched with the instance at the data device, if any: 'attached' or still 'attaching'. */
  async function launchedDataVolume(instanceId: string): Promise<{ volumeId: string; status: string } | undefined> {
    const out = await callAws('DescribeInstances', () => client.send(new DescribeInstancesCommand({ InstanceIds: [instanceId] })));
    const instance = out.Reservations?.flatMap((reservation) => reservation.Instances ?? []).find((i) => i.InstanceId === instanceId);
    const mapping = instance?.BlockDeviceMappings?.find((m) => m.DeviceName === DATA_DEVICE);
    const volumeId = mapping?.Ebs?.VolumeId;
    return volumeId ? { volumeId, status: mapping.Ebs?.Status ?? 'attaching' } : undefined;
  }

  async function checkWorkstation(instanceId: string): Promise<WorkstationState> {
    let state: string | undefined;
    let reason: string | undefined;
    try {
      const out = await callAws('DescribeInstances', () => client.send(new DescribeInstancesCommand({ InstanceIds: [instanceId] })));
      const instance = out.Reservations?.flatMap((reservation) => reservation.Instances ?? []).find((i) => i.InstanceId === instanceId);
      state = instance?.State?.Name;
      reason = instance?.StateReason?.Message;
    } catch (error) {
      // EC2 is eventually consistent: a just-launched instance may not be describable yet.
      if (!isAwsError(error, 'InvalidInstanceID.NotFound')) throw error;
    }
    if (state === 'running') return { state: 'running' };
    if (state === undefined || state === 'pending') throw new WorkstationPendingError(`instance ${instanceId} is ${state ?? 'not visible yet'}`);
    throw new WorkstationFailedError(`instance ${instanceId} is ${state}${reason ? ` (${reason})` : ''}, expected it to start running`);
  }

  async function describeVolume(volumeId: string): Promise<Volume | undefined> {
    try {
      const out = await callAws('DescribeVolumes', () => client.send(new DescribeVolumesCommand({ VolumeIds: [volumeId] })));
      return out.Volumes?.find((volume) => volume.VolumeId === volumeId);
    } catch (error) {
      if (isAwsError(error, 'InvalidVolume.NotFound')) return undefined;
      throw error;
    }
  }

  /** Done when attached to this instance; pending while attaching; a conflict when attached elsewhere. */
  function attachmentOutcome(volume: Volume, instanceId: string): 'attached' | 'not-attached' {
    const attachment = volume.Attachments?.find((a) => a.State !== 'detached');
    if (!attachment) return 'not-attached';
    if (attachment.InstanceId !== instanceId) {
      throw new VolumeAttachmentConflictError(`volume ${volume.VolumeId} is attached to ${attachment.InstanceId}, not ${instanceId}`);
    }
    if (attachment.State === 'attached') return 'attached';
    throw new VolumePendingError(`volume ${volume.VolumeId} is ${attachment.State ?? 'attaching'} on ${instanceId}`);
  }

  async function ensureDataVolume(request: StorageRequest): Promise<StorageResult> {
    const { profile, instanceId } = request;
    const launched = await launchedDataVolume(instanceId);
    if (launched) {
      if (launched.status !== 'attached') throw new VolumePendingError(`data volume ${launched.volumeId} is ${launched.status} on ${instanceId}`);
      return { entitlementId: profile.id, volumeId: launched.volumeId, device: DATA_DEVICE };
    }
    const created = await callAws('CreateVolume', () =>
      client.send(
        new CreateVolumeCommand({
          ClientToken: clientToken('data-volume', request.requestId, profile.id),
          AvailabilityZone: request.availabilityZone,
          Size: profile.volumeSizeGiB,
          VolumeType: 'gp3',
          Encrypted: true,
          TagSpecifications: [{ ResourceType: 'volume', Tags: requestTags(request) }],
        }),
      ),
    );
    const volumeId = created.VolumeId;
    if (!volumeId) throw new TransientError('CreateVolume answered without a volume id');
    const result: StorageResult = { entitlementId: profile.id, volumeId, device: DATA_DEVICE };
    // A replayed CreateVolume may describe the volume as it was: read its state now.
    const volume = created.State === 'available' ? created : await describeVolume(volumeId);
    const state = volume?.State;
    if (!volume || state === 'deleting' || state === 'deleted' || state === 'error') {
      throw new VolumeFailedError(`data volume ${volumeId} is ${state ?? 'gone'}; its client token cannot create another`);
    }
    if (state === 'creating') throw new VolumePendingError(`data volume ${volumeId} is still creating`);
    if (attachmentOutcome(volume, instanceId) === 'attached') return result;
    let attached: string | undefined;
    try {
      const attachment = await callAws('AttachVolume', () =>
        client.send(new AttachVolumeCommand({ VolumeId: volumeId, InstanceId: instanceId, Device: DATA_DEVICE })),
      );
      attached = attachment.State;
    } catch (error) {
      if (isAwsError(error, 'IncorrectState')) throw new VolumePendingError(`data volume ${volumeId} cannot attach yet`, { cause: error });
      if (!isAwsError(error, 'VolumeInUse')) throw error;
      // A concurrent attempt attached it: fine if to this instance.
      const current = await describeVolume(volumeId);
      if (current && attachmentOutcome(current, instanceId) === 'attached') return result;
      throw new VolumePendingError(`data volume ${volumeId} is in use but not yet attached to ${instanceId}`, { cause: error });
    }
    logger.info('data volume attaching', { volumeId, instanceId });
    if (attached === 'attached') return result;
    throw new VolumePendingError(`data volume ${volumeId} is ${attached ?? 'attaching'} on ${instanceId}`);
  }

  return { launchWorkstation, checkWorkstation, ensureDataVolume };
}
