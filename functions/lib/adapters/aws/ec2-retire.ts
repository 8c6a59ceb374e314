import {
  DeleteVolumeCommand,
  DescribeInstancesCommand,
  CreateSnapshotCommand,
  DescribeSnapshotsCommand,
  DescribeVolumesCommand,
  DetachVolumeCommand,
  StopInstancesCommand,
  TerminateInstancesCommand,
  type Filter,
  type Tag,
  type EC2Client,
} from '@aws-sdk/client-ec2';
import { TransientError } from '../../domain/shared/errors.ts';
import { logger } from '../../runtime/logger.ts';
import { callAws, isAwsError } from './call-aws.ts';
import { allPages } from './pages.ts';
import type { UndoOutcome } from '../../domain/provision/ports.ts';
import { TAGS, RETAIN_TAG, requestFilters } from './ec2-model.ts';
import type { TaggedResource, RequestResources, VolumeDeleteOutcome, EmployeeResources, StopOutcome, RetainedSnapshot, WorkstationPort } from '../../domain/provision/ports.ts';

/** Compensation and the leaver/mover: find what a request or an employee holds, stop, snapshot, terminate, delete. */
export function retireOperations(client: Pick<EC2Client, 'send'>): Pick<WorkstationPort, 'findRequestResources' | 'terminateWorkstation' | 'detachVolume' | 'deleteVolume' | 'findEmployeeResources' | 'stopWorkstation' | 'ensureRetainedSnapshot'> {
  async function findRequestResources(requestId: string): Promise<RequestResources> {
    const tagged = (id: string, tags: Tag[] | undefined): TaggedResource => {
      const entitlementId = tags?.find((tag) => tag.Key === TAGS.entitlementId)?.Value;
      return entitlementId ? { id, entitlementId } : { id };
    };
    const reservations = await allPages(async (token) => {
      const out = await callAws('DescribeInstances', () =>
        client.send(
          new DescribeInstancesCommand({
            Filters: [...requestFilters(requestId), { Name: 'instance-state-name', Values: ['pending', 'running', 'stopping', 'stopped'] }],
            ...(token ? { NextToken: token } : {}),
          }),
        ),
      );
      return { items: out.Reservations ?? [], next: out.NextToken };
    });
    const instances = reservations.flatMap((r) => r.Instances ?? []).flatMap((instance) => (instance.InstanceId ? [tagged(instance.InstanceId, instance.Tags)] : []));
    const found = await allPages(async (token) => {
      const out = await callAws('DescribeVolumes', () =>
        client.send(new DescribeVolumesCommand({ Filters: requestFilters(requestId), ...(token ? { NextToken: token } : {}) })),
      );
      return { items: out.Volumes ?? [], next: out.NextToken };
    });
    const volumes = found.flatMap((volume) => (volume.VolumeId && volume.State !== 'deleted' && volume.State !== 'deleting' ? [tagged(volume.VolumeId, volume.Tags)] : []));
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
    const reservations = await allPages(async (token) => {
      const out = await callAws('DescribeInstances', () =>
        client.send(new DescribeInstancesCommand({ Filters: filters, ...(token ? { NextToken: token } : {}) })),
      );
      return { items: out.Reservations ?? [], next: out.NextToken };
    });
    for (const instance of reservations.flatMap((r) => r.Instances ?? [])) {
      const state = instance.State?.Name ?? 'unknown';
      if (!instance.InstanceId || state === 'terminated') continue;
      const entitlementId = entitlementOf(instance.Tags);
      result.instances.push({ id: instance.InstanceId, state, ...(entitlementId ? { entitlementId } : {}) });
    }
    const volumes = await allPages(async (token) => {
      const out = await callAws('DescribeVolumes', () =>
        client.send(new DescribeVolumesCommand({ Filters: filters, ...(token ? { NextToken: token } : {}) })),
      );
      return { items: out.Volumes ?? [], next: out.NextToken };
    });
    for (const volume of volumes) {
      const state = volume.State ?? 'unknown';
      if (!volume.VolumeId || state === 'deleted' || state === 'deleting') continue;
      const entitlementId = entitlementOf(volume.Tags);
      const attachedTo = volume.Attachments?.find((a) => a.State !== 'detached')?.InstanceId;
      result.volumes.push({ id: volume.VolumeId, state, ...(entitlementId ? { entitlementId } : {}), ...(attachedTo ? { attachedTo } : {}) });
    }
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

  return { findRequestResources, terminateWorkstation, detachVolume, deleteVolume, findEmployeeResources, stopWorkstation, ensureRetainedSnapshot };
}
