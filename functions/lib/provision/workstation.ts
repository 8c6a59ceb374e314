import { createHash } from 'node:crypto';
import {
  AttachVolumeCommand,
  CreateVolumeCommand,
  DeleteVolumeCommand,
  DescribeInstancesCommand,
  CreateSnapshotCommand,
  DescribeSnapshotsCommand,
  DescribeVolumesCommand,
  DetachVolumeCommand,
  StopInstancesCommand,
  RunInstancesCommand,
  TerminateInstancesCommand,
  type _InstanceType,
  type EC2Client,
  type Filter,
  type Tag,
  type Volume,
} from '@aws-sdk/client-ec2';
import { ConfigError, TransientError } from '../errors.ts';
import { logger } from '../logger.ts';
import { callAws, isAwsError } from '../aws-errors.ts';
import {
  VolumeAttachmentConflictError,
  VolumeFailedError,
  VolumePendingError,
  WorkstationFailedError,
  WorkstationPendingError,
} from './errors.ts';
import type { UndoOutcome } from './identity.ts';
import type { StorageResult, WorkstationProfile, WorkstationResult, WorkstationState } from './schemas.ts';

/**
 * The EC2 adapter for workstations: an instance and a separate data volume per workstation
 * entitlement. Creates carry a ClientToken derived from the request and the entitlement, so
 * a retried launch never launches twice; everything is tagged with the request, so
 * compensation can find what a request created even when its result was lost.
 */

export const TAGS = {
  employeeId: 'gatehouse:employee-id',
  requestId: 'gatehouse:request-id',
  entitlementId: 'gatehouse:entitlement-id',
  managed: 'gatehouse:managed',
} as const;

export const DATA_DEVICE = '/dev/sdf';

/** Where workstations launch (env of the launch function). */
export interface Placement {
  subnetId: string;
  securityGroupId: string;
  /** Must be the subnet's zone when given; RunInstances then pins it. */
  availabilityZone?: string;
}

export interface LaunchRequest {
  requestId: string;
  employeeId: string;
  profile: WorkstationProfile;
}

export interface StorageRequest extends LaunchRequest {
  instanceId: string;
  availabilityZone: string;
}

export interface TaggedResource {
  id: string;
  /** The `gatehouse:entitlement-id` tag. */
  entitlementId?: string;
}
export interface RequestResources {
  instances: TaggedResource[];
  volumes: TaggedResource[];
}

export type VolumeDeleteOutcome = UndoOutcome | 'in-use';

/** Instances (not terminated) and volumes (not deleted) tagged with an employee id. */
export interface EmployeeResources {
  instances: (TaggedResource & { state: string })[];
  volumes: (TaggedResource & { state: string; attachedTo?: string })[];
}

/** `stopped` once the instance is down; `stopping` while it gets there; `already-gone` when terminated or unknown. */
export type StopOutcome = 'stopped' | 'stopping' | 'already-gone';

export interface RetainedSnapshot {
  snapshotId: string;
  volumeId: string;
  state: string;
}

/** Tag on snapshots a leaver keeps: lifecycle and cleanup tooling must leave them alone. */
export const RETAIN_TAG = 'gatehouse:retain';

export interface WorkstationPort {
  launchWorkstation(request: LaunchRequest): Promise<WorkstationResult>;
  checkWorkstation(instanceId: string): Promise<WorkstationState>;
  ensureDataVolume(request: StorageRequest): Promise<StorageResult>;
  /** Instances and volumes tagged with this request (not terminated / not deleted). */
  findRequestResources(requestId: string): Promise<RequestResources>;
  terminateWorkstation(instanceId: string): Promise<UndoOutcome>;
  detachVolume(volumeId: string): Promise<UndoOutcome | 'not-attached'>;
  /** 'in-use' while the volume is still attached (detach it, then try again). */
  deleteVolume(volumeId: string): Promise<VolumeDeleteOutcome>;
  /** Everything tagged with the employee id, whichever request created it. */
  findEmployeeResources(employeeId: string): Promise<EmployeeResources>;
  /** StopInstances, repeatable: reports where the instance is on its way down. */
  stopWorkstation(instanceId: string): Promise<StopOutcome>;
  /**
   * The retained snapshot of a volume, created when there is none yet (EC2 has no ClientToken
   * for CreateSnapshot, so the tags are the idempotency key). Tagged gatehouse:retain=true.
   */
  ensureRetainedSnapshot(volumeId: string, employeeId: string): Promise<RetainedSnapshot>;
}

export interface WorkstationDeps {
  client: Pick<EC2Client, 'send'>;
  /** Needed only to launch. */
  placement?: Placement;
}

/** A ClientToken (64 hex chars, EC2's maximum) that is the same for every retry of one request's entitlement. */
export function clientToken(purpose: 'instance' | 'data-volume', requestId: string, entitlementId: string): string {
  return createHash('sha256').update(`gatehouse/${purpose}/${requestId}/${entitlementId}`).digest('hex');
}

/** Tags on everything a request creates: ids only, never names (personal data). */
export function requestTags(request: LaunchRequest): Tag[] {
  return [
    { Key: 'Name', Value: `gatehouse-${request.profile.profile}-${request.employeeId}` },
    { Key: TAGS.employeeId, Value: request.employeeId },
    { Key: TAGS.requestId, Value: request.requestId },
    { Key: TAGS.entitlementId, Value: request.profile.id },
    { Key: TAGS.managed, Value: 'true' },
  ];
}

const requestFilters = (requestId: string): Filter[] => [
  { Name: `tag:${TAGS.requestId}`, Values: [requestId] },
  { Name: `tag:${TAGS.managed}`, Values: ['true'] },
];

export function createWorkstations({ client, placement }: WorkstationDeps): WorkstationPort {
  async function launchWorkstation(request: LaunchRequest): Promise<WorkstationResult> {
    if (!placement) throw new ConfigError('launching a workstation needs a subnet and security group (placement)');
    const { profile } = request;
    const out = await callAws('RunInstances', () =>
      client.send(
        new RunInstancesCommand({
          ClientToken: clientToken('instance', request.requestId, profile.id),
          ImageId: `resolve:ssm:${profile.amiParameter}`,
          // The catalogue checks the shape; EC2 checks that the type exists.
          InstanceType: profile.instanceType as _InstanceType,
          MinCount: 1,
          MaxCount: 1,
          SubnetId: placement.subnetId,
          SecurityGroupIds: [placement.securityGroupId],
          ...(placement.availabilityZone ? { Placement: { AvailabilityZone: placement.availabilityZone } } : {}),
          MetadataOptions: { HttpTokens: 'required', HttpEndpoint: 'enabled' },
          TagSpecifications: [{ ResourceType: 'instance', Tags: requestTags(request) }],
        }),
      ),
    );
    const instance = out.Instances?.[0];
    const availabilityZone = instance?.Placement?.AvailabilityZone ?? placement.availabilityZone;
    if (!instance?.InstanceId || !availabilityZone) throw new TransientError('RunInstances answered without an instance id or zone');
    logger.info('workstation launched', { instanceId: instance.InstanceId, entitlementId: profile.id });
    return { entitlementId: profile.id, instanceId: instance.InstanceId, availabilityZone };
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

  async function findRequestResources(requestId: string): Promise<RequestResources> {
    const tagged = (id: string, tags: Tag[] | undefined): TaggedResource => {
      const entitlementId = tags?.find((tag) => tag.Key === TAGS.entitlementId)?.Value;
      return entitlementId ? { id, entitlementId } : { id };
    };
    const instances: TaggedResource[] = [];
    let next: string | undefined;
    do {
      const token = next;
      const out = await callAws('DescribeInstances', () =>
        client.send(
          new DescribeInstancesCommand({
            Filters: [...requestFilters(requestId), { Name: 'instance-state-name', Values: ['pending', 'running', 'stopping', 'stopped'] }],
            ...(token ? { NextToken: token } : {}),
          }),
        ),
      );
      for (const instance of out.Reservations?.flatMap((r) => r.Instances ?? []) ?? []) {
        if (instance.InstanceId) instances.push(tagged(instance.InstanceId, instance.Tags));
      }
      next = out.NextToken;
    } while (next);
    const volumes: TaggedResource[] = [];
    do {
      const token = next;
      const out = await callAws('DescribeVolumes', () =>
        client.send(new DescribeVolumesCommand({ Filters: requestFilters(requestId), ...(token ? { NextToken: token } : {}) })),
      );
      for (const volume of out.Volumes ?? []) {
        if (volume.VolumeId && volume.State !== 'deleted' && volume.State !== 'deleting') volumes.push(tagged(volume.VolumeId, volume.Tags));
      }
      next = out.NextToken;
    } while (next);
    return { instances, volumes };
  }

  async function terminateWorkstation(instanceId: string): Promise<UndoOutcome> {
    try {
      const out = await callAws('TerminateInstances', () => client.send(new TerminateInstancesCommand({ InstanceIds: [instanceId] })));
      const previous = out.TerminatingInstances?.find((change) => change.InstanceId === instanceId)?.PreviousState?.Name;
      return previous === 'terminated' || previous === 'shutting-down' ? 'already-gone' : 'undone';
    } catch (error) {
      if (isAwsError(error, 'InvalidInstanceID.NotFound')) return 'already-gone';
      throw error;
    }
  }

  async function detachVolume(volumeId: string): Promise<UndoOutcome | 'not-attached'> {
    try {
      await callAws('DetachVolume', () => client.send(new DetachVolumeCommand({ VolumeId: volumeId })));
      return 'undone';
    } catch (error) {
      if (isAwsError(error, 'InvalidVolume.NotFound')) return 'already-gone';
      if (isAwsError(error, 'IncorrectState', 'InvalidAttachment.NotFound')) return 'not-attached';
      throw error;
    }
  }

  async function deleteVolume(volumeId: string): Promise<VolumeDeleteOutcome> {
    try {
      await callAws('DeleteVolume', () => client.send(new DeleteVolumeCommand({ VolumeId: volumeId })));
      return 'undone';
    } catch (error) {
      if (isAwsError(error, 'InvalidVolume.NotFound')) return 'already-gone';
      if (isAwsError(error, 'VolumeInUse')) return 'in-use';
      throw error;
    }
  }

  async function findEmployeeResources(employeeId: string): Promise<EmployeeResources> {
    const filters: Filter[] = [
      { Name: `tag:${TAGS.employeeId}`, Values: [employeeId] },
      { Name: `tag:${TAGS.managed}`, Values: ['true'] },
    ];
    const entitlementOf = (tags: Tag[] | undefined) => tags?.find((tag) => tag.Key === TAGS.entitlementId)?.Value;
    const result: EmployeeResources = { instances: [], volumes: [] };
    let next: string | undefined;
    do {
      const token = next;
      const out = await callAws('DescribeInstances', () =>
        client.send(new DescribeInstancesCommand({ Filters: filters, ...(token ? { NextToken: token } : {}) })),
      );
      for (const instance of out.Reservations?.flatMap((r) => r.Instances ?? []) ?? []) {
        const state = instance.State?.Name ?? 'unknown';
        if (!instance.InstanceId || state === 'terminated') continue;
        const entitlementId = entitlementOf(instance.Tags);
        result.instances.push({ id: instance.InstanceId, state, ...(entitlementId ? { entitlementId } : {}) });
      }
      next = out.NextToken;
    } while (next);
    do {
      const token = next;
      const out = await callAws('DescribeVolumes', () =>
        client.send(new DescribeVolumesCommand({ Filters: filters, ...(token ? { NextToken: token } : {}) })),
      );
      for (const volume of out.Volumes ?? []) {
        const state = volume.State ?? 'unknown';
        if (!volume.VolumeId || state === 'deleted' || state === 'deleting') continue;
        const entitlementId = entitlementOf(volume.Tags);
        const attachedTo = volume.Attachments?.find((a) => a.State !== 'detached')?.InstanceId;
        result.volumes.push({ id: volume.VolumeId, state, ...(entitlementId ? { entitlementId } : {}), ...(attachedTo ? { attachedTo } : {}) });
      }
      next = out.NextToken;
    } while (next);
    return result;
  }

  async function stopWorkstation(instanceId: string): Promise<StopOutcome> {
    try {
      const out = await callAws('StopInstances', () => client.send(new StopInstancesCommand({ InstanceIds: [instanceId] })));
      const current = out.StoppingInstances?.find((change) => change.InstanceId === instanceId)?.CurrentState?.Name;
      return current === 'stopped' ? 'stopped' : 'stopping';
    } catch (error) {
      if (isAwsError(error, 'InvalidInstanceID.NotFound')) return 'already-gone';
      // Shutting down, terminated or still pending: nothing to stop; Terminate Workstation ends it.
      if (isAwsError(error, 'IncorrectInstanceState', 'IncorrectState')) return 'already-gone';
      throw error;
    }
  }

  async function ensureRetainedSnapshot(volumeId: string, employeeId: string): Promise<RetainedSnapshot> {
    const existing = await callAws('DescribeSnapshots', () =>
      client.send(
        new DescribeSnapshotsCommand({
          OwnerIds: ['self'],
          Filters: [
            { Name: 'volume-id', Values: [volumeId] },
            { Name: `tag:${RETAIN_TAG}`, Values: ['true'] },
            { Name: `tag:${TAGS.employeeId}`, Values: [employeeId] },
          ],
        }),
      ),
    );
    const usable = existing.Snapshots?.find((snapshot) => snapshot.SnapshotId && snapshot.State !== 'error');
    if (usable?.SnapshotId) return { snapshotId: usable.SnapshotId, volumeId, state: usable.State ?? 'pending' };
    const created = await callAws('CreateSnapshot', () =>
      client.send(
        new CreateSnapshotCommand({
          VolumeId: volumeId,
          Description: `gatehouse leaver ${employeeId}: retained data volume`.slice(0, 255),
          TagSpecifications: [
            {
              ResourceType: 'snapshot',
              Tags: [
                { Key: TAGS.employeeId, Value: employeeId },
                { Key: TAGS.managed, Value: 'true' },
                { Key: RETAIN_TAG, Value: 'true' },
              ],
            },
          ],
        }),
      ),
    );
    if (!created.SnapshotId) throw new TransientError('CreateSnapshot answered without a snapshot id');
    logger.info('retained snapshot started', { volumeId, snapshotId: created.SnapshotId });
    return { snapshotId: created.SnapshotId, volumeId, state: created.State ?? 'pending' };
  }

  return {
    launchWorkstation,
    checkWorkstation,
    ensureDataVolume,
    findRequestResources,
    terminateWorkstation,
    detachVolume,
    deleteVolume,
    findEmployeeResources,
    stopWorkstation,
    ensureRetainedSnapshot,
  };
}
