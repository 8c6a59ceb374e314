import { AwsError } from '../core/aws-error.ts';
import type { QueryParams } from '../core/protocols.ts';
import {
  checkZone,
  describeListing,
  findInstances,
  findSnapshot,
  findVolume,
  tagFilterValues,
  type AttachmentRecord,
  type Ec2State,
  type Env,
  type VolumeRecord,
} from './ec2-model.ts';
import {
  boolean,
  fingerprint,
  integer,
  invalidValue,
  optional,
  required,
  tagSpecifications,
} from './ec2-params.ts';

/** Volume operations over the pure state: Create/Attach/Detach/Delete/DescribeVolumes. */

/** Size limits in GiB per volume type, as documented for CreateVolume. */
const SIZE_LIMITS: Record<string, [number, number]> = {
  standard: [1, 1024],
  gp2: [1, 16384],
  gp3: [1, 16384],
  io1: [4, 16384],
  io2: [4, 65536],
  st1: [125, 16384],
  sc1: [125, 16384],
};
const DEVICE = /^\/dev\/(?:sd[b-z]|xvd[b-z][a-z]?|sd[b-z][1-9])$/;
const ROOT_DEVICE = '/dev/xvda';

export const volumeStatus = (volume: VolumeRecord): string => (volume.attachment ? 'in-use' : volume.status);

export function createVolume(state: Ec2State, params: QueryParams, env: Env): VolumeRecord {
  const token = optional(params, 'ClientToken');
  const tokenKey = token === undefined ? undefined : `CreateVolume:${token}`;
  const known = tokenKey === undefined ? undefined : state.tokens[tokenKey];
  if (known) {
    if (known.fingerprint !== fingerprint(params)) {
      throw new AwsError(
        'IdempotentParameterMismatch',
        `Client token '${token}' was already used by a CreateVolume request with different parameters.`,
      );
    }
    const original = state.volumes[known.id];
    if (original) return original;
  }

  const availabilityZone = checkZone('AvailabilityZone', required(params, 'AvailabilityZone'));
  const volumeType = optional(params, 'VolumeType') ?? 'gp2';
  const limits = SIZE_LIMITS[volumeType];
  if (!limits) throw invalidValue('VolumeType', volumeType, `Expected one of: ${Object.keys(SIZE_LIMITS).join(', ')}.`);
  const snapshotId = optional(params, 'SnapshotId');
  const snapshot = snapshotId === undefined ? undefined : findSnapshot(state, snapshotId);
  const requested = integer(params, 'Size', 1, Number.MAX_SAFE_INTEGER);
  const size = requested ?? snapshot?.volumeSize;
  if (size === undefined) throw new AwsError('MissingParameter', 'The request must contain the parameter Size or SnapshotId');
  if (size < limits[0] || size > limits[1]) {
    throw invalidValue('Size', String(size), `${volumeType} volumes take ${limits[0]} to ${limits[1]} GiB.`);
  }
  if (snapshot && size < snapshot.volumeSize) {
    throw invalidValue('Size', String(size), `The snapshot needs at least ${snapshot.volumeSize} GiB.`);
  }
  const iops = integer(params, 'Iops', 100, 256_000) ?? (volumeType === 'gp3' ? 3000 : volumeType === 'gp2' ? Math.min(16_000, Math.max(100, size * 3)) : undefined);
  const throughput = integer(params, 'Throughput', 125, 2000) ?? (volumeType === 'gp3' ? 125 : undefined);
  const tags = tagSpecifications(params, ['volume']).get('volume') ?? [];

  const id = env.newId('vol');
  const volume: VolumeRecord = {
    id,
    availabilityZone,
    size,
    volumeType,
    ...(iops === undefined ? {} : { iops }),
    ...(throughput === undefined ? {} : { throughput }),
    encrypted: boolean(params, 'Encrypted') ?? snapshot?.encrypted ?? false,
    ...(snapshotId === undefined ? {} : { snapshotId }),
    createdAt: env.now,
    status: 'creating',
    since: env.now,
    tags,
  };
  state.volumes[id] = volume;
  if (tokenKey !== undefined) state.tokens[tokenKey] = { fingerprint: fingerprint(params), id };
  return volume;
}

export function attachVolume(state: Ec2State, params: QueryParams, env: Env): { volume: VolumeRecord; attachment: AttachmentRecord } {
  const device = required(params, 'Device');
  const instanceId = required(params, 'InstanceId');
  const volume = findVolume(state, required(params, 'VolumeId'));
  const [instance] = findInstances(state, [instanceId]);
  if (!instance) throw new AwsError('InvalidInstanceID.NotFound', `The instance ID '${instanceId}' does not exist`);
  if (!DEVICE.test(device)) throw invalidValue('Device', device, 'Use a name such as /dev/sdf or /dev/xvdf.');
  if (volume.attachment) {
    throw new AwsError('VolumeInUse', `${volume.id} is already attached to an instance`);
  }
  if (volume.status !== 'available') throw new AwsError('IncorrectState', `${volume.id} is not 'available'.`);
  if (instance.state !== 'running' && instance.state !== 'stopped') {
    throw new AwsError('IncorrectState', `Instance '${instance.id}' is not 'running'.`);
  }
  if (volume.availabilityZone !== instance.availabilityZone) {
    throw new AwsError(
      'InvalidVolume.ZoneMismatch',
      `The volume '${volume.id}' is not in the same availability zone as instance '${instance.id}'`,
    );
  }
  const taken = Object.values(state.volumes).some((v) => v.attachment?.instanceId === instance.id && v.attachment.device === device);
  if (taken || device === ROOT_DEVICE) throw invalidValue('Device', device, `Attachment point ${device} is already in use.`);
  const attachment: AttachmentRecord = {
    instanceId: instance.id,
    device,
    status: 'attaching',
    since: env.now,
    attachedAt: env.now,
    deleteOnTermination: false,
  };
  volume.attachment = attachment;
  return { volume, attachment };
}

export function detachVolume(state: Ec2State, params: QueryParams, env: Env): { volume: VolumeRecord; attachment: AttachmentRecord } {
  const volume = findVolume(state, required(params, 'VolumeId'));
  const instanceId = optional(params, 'InstanceId');
  if (instanceId !== undefined) findInstances(state, [instanceId]);
  const attachment = volume.attachment;
  if (!attachment) throw new AwsError('IncorrectState', `Volume '${volume.id}' is in the '${volume.status}' state.`);
  if (instanceId !== undefined && attachment.instanceId !== instanceId) {
    throw new AwsError('InvalidAttachment.NotFound', `Volume '${volume.id}' is not attached to instance '${instanceId}'.`);
  }
  const device = optional(params, 'Device');
  if (device !== undefined && attachment.device !== device) {
    throw new AwsError('InvalidAttachment.NotFound', `Volume '${volume.id}' is not attached at ${device}.`);
  }
  if (attachment.status !== 'detaching') {
    attachment.status = 'detaching';
    attachment.since = env.now;
  }
  return { volume, attachment };
}

export function deleteVolume(state: Ec2State, params: QueryParams): void {
  const volume = findVolume(state, required(params, 'VolumeId'));
  if (volume.attachment) {
    throw new AwsError('VolumeInUse', `Volume ${volume.id} is currently attached to ${volume.attachment.instanceId}`);
  }
  const replayable = Object.values(state.tokens).some((token) => token.id === volume.id);
  if (replayable) volume.status = 'deleted';
  else delete state.volumes[volume.id];
}

function volumeFilterValues(volume: VolumeRecord, name: string): string[] | undefined {
  const attachment = volume.attachment;
  switch (name) {
    case 'volume-id':
      return [volume.id];
    case 'status':
      return [volumeStatus(volume)];
    case 'volume-type':
      return [volume.volumeType];
    case 'size':
      return [String(volume.size)];
    case 'availability-zone':
      return [volume.availabilityZone];
    case 'snapshot-id':
      return volume.snapshotId === undefined ? [] : [volume.snapshotId];
    case 'encrypted':
      return [String(volume.encrypted)];
    case 'attachment.instance-id':
      return attachment ? [attachment.instanceId] : [];
    case 'attachment.device':
      return attachment ? [attachment.device] : [];
    case 'attachment.status':
      return attachment ? [attachment.status] : [];
    case 'attachment.delete-on-termination':
      return attachment ? [String(attachment.deleteOnTermination)] : [];
    default:
      return tagFilterValues(volume.tags, name);
  }
}

export function describeVolumes(state: Ec2State, params: QueryParams): { volumes: VolumeRecord[]; next?: string } {
  const { page, next } = describeListing(params, {
    operation: 'DescribeVolumes',
    idParameter: 'VolumeId',
    idSet: 'volumeSet',
    maxResultsLimit: 500,
    candidates: (ids) =>
      ids.length > 0 ? ids.map((id) => findVolume(state, id)) : Object.values(state.volumes).filter((v) => v.status !== 'deleted'),
    filterValues: volumeFilterValues,
  });
  return { volumes: page, ...(next === undefined ? {} : { next }) };
}
