import { LOCAL_ACCOUNT } from '../core/arn.ts';
import { xmlEscape } from '../core/protocols.ts';
import type { Reservation, StateChange } from './ec2-instances.ts';
import { STATE_CODES, type AttachmentRecord, type Ec2State, type InstanceRecord, type SnapshotRecord, type VolumeRecord } from './ec2-model.ts';
import type { Tag } from './ec2-params.ts';
import type { TagDescription } from './ec2-snapshots.ts';
import { volumeStatus } from './ec2-volumes.ts';

/**
 * EC2 XML for the emulated outputs. Element names follow the SDK's deserialiser
 * (`xmlName` traits in @aws-sdk/client-ec2): lists are `<xxxSet><item>..</item></xxxSet>`.
 */

type Scalar = string | number | boolean | undefined;

/** `<name>value</name>`, or nothing when the value is undefined. */
export function el(name: string, value: Scalar): string {
  return value === undefined ? '' : `<${name}>${xmlEscape(String(value))}</${name}>`;
}

/** A pre-rendered child: `<name>inner</name>`. */
const node = (name: string, inner: string): string => `<${name}>${inner}</${name}>`;

export function set<T>(name: string, items: readonly T[], render: (item: T) => string): string {
  return node(name, items.map((item) => node('item', render(item))).join(''));
}

const iso = (ms: number): string => new Date(ms).toISOString();

export const tagSet = (tags: readonly Tag[]): string =>
  set('tagSet', tags, (tag) => el('key', tag.key) + el('value', tag.value));

const stateXml = (name: InstanceRecord['state']): string => el('code', STATE_CODES[name]) + el('name', name);

function blockDevices(state: Ec2State, instance: InstanceRecord): string {
  const attached = Object.values(state.volumes).filter((v) => v.attachment?.instanceId === instance.id);
  return set('blockDeviceMapping', attached, (volume) => {
    const a = volume.attachment as AttachmentRecord;
    return (
      el('deviceName', a.device) +
      node(
        'ebs',
        el('volumeId', volume.id) + el('status', a.status) + el('attachTime', iso(a.attachedAt)) + el('deleteOnTermination', a.deleteOnTermination),
      )
    );
  });
}

function stateReason(instance: InstanceRecord): string {
  if (instance.state === 'stopped' || instance.state === 'stopping' || instance.state === 'shutting-down' || instance.state === 'terminated') {
    return node('stateReason', el('code', 'Client.UserInitiatedShutdown') + el('message', 'Client.UserInitiatedShutdown: User initiated shutdown'));
  }
  return '';
}

export function instanceXml(state: Ec2State, instance: InstanceRecord): string {
  const dns = `ip-${instance.privateIp.replaceAll('.', '-')}.ec2.internal`;
  const live = instance.state !== 'terminated';
  return (
    el('instanceId', instance.id) +
    el('imageId', instance.imageId) +
    node('instanceState', stateXml(instance.state)) +
    el('privateDnsName', live ? dns : '') +
    el('dnsName', '') +
    el('reason', instance.reason) +
    el('amiLaunchIndex', instance.launchIndex) +
    set('productCodes', [], () => '') +
    el('instanceType', instance.instanceType) +
    el('launchTime', iso(instance.launchedAt)) +
    node('placement', el('availabilityZone', instance.availabilityZone) + el('groupName', '') + el('tenancy', 'default')) +
    node('monitoring', el('state', 'disabled')) +
    el('subnetId', live ? instance.subnetId : undefined) +
    el('privateIpAddress', live ? instance.privateIp : undefined) +
    set('groupSet', live ? instance.securityGroupIds : [], (id) => el('groupId', id)) +
    stateReason(instance) +
    el('architecture', 'x86_64') +
    el('rootDeviceType', 'ebs') +
    el('rootDeviceName', '/dev/xvda') +
    blockDevices(state, instance) +
    el('virtualizationType', 'hvm') +
    el('clientToken', instance.clientToken ?? '') +
    tagSet(instance.tags) +
    el('hypervisor', 'xen') +
    el('ebsOptimized', false)
  );
}

/** The members of a Reservation (RunInstances answers them at the top level). */
export function reservationXml(state: Ec2State, reservation: Reservation): string {
  return (
    el('reservationId', reservation.reservationId) +
    el('ownerId', LOCAL_ACCOUNT) +
    set('groupSet', [], () => '') +
    set('instancesSet', reservation.instances, (instance) => instanceXml(state, instance))
  );
}

export const stateChangesXml = (changes: readonly StateChange[]): string =>
  set(
    'instancesSet',
    changes,
    (c) => el('instanceId', c.instanceId) + node('currentState', stateXml(c.current)) + node('previousState', stateXml(c.previous)),
  );

export function attachmentXml(volumeId: string, a: AttachmentRecord): string {
  return (
    el('volumeId', volumeId) +
    el('instanceId', a.instanceId) +
    el('device', a.device) +
    el('status', a.status) +
    el('attachTime', iso(a.attachedAt)) +
    el('deleteOnTermination', a.deleteOnTermination)
  );
}

/** The members of a Volume (CreateVolume answers them at the top level). */
export function volumeXml(volume: VolumeRecord): string {
  return (
    el('volumeId', volume.id) +
    el('size', volume.size) +
    el('snapshotId', volume.snapshotId ?? '') +
    el('availabilityZone', volume.availabilityZone) +
    el('status', volumeStatus(volume)) +
    el('createTime', iso(volume.createdAt)) +
    set('attachmentSet', volume.attachment ? [volume.attachment] : [], (a) => attachmentXml(volume.id, a)) +
    el('volumeType', volume.volumeType) +
    el('iops', volume.iops) +
    el('throughput', volume.throughput) +
    el('encrypted', volume.encrypted) +
    el('multiAttachEnabled', false) +
    tagSet(volume.tags)
  );
}

/** The members of a Snapshot (CreateSnapshot answers them at the top level). */
export function snapshotXml(snapshot: SnapshotRecord): string {
  return (
    el('snapshotId', snapshot.id) +
    el('volumeId', snapshot.volumeId) +
    el('status', snapshot.status) +
    el('startTime', iso(snapshot.startedAt)) +
    el('progress', snapshot.status === 'completed' ? '100%' : '0%') +
    el('ownerId', LOCAL_ACCOUNT) +
    el('volumeSize', snapshot.volumeSize) +
    el('description', snapshot.description) +
    el('encrypted', snapshot.encrypted) +
    el('storageTier', 'standard') +
    tagSet(snapshot.tags)
  );
}

export const tagDescriptionsXml = (tags: readonly TagDescription[]): string =>
  set('tagSet', tags, (t) => el('resourceId', t.resourceId) + el('resourceType', t.resourceType) + el('key', t.key) + el('value', t.value));

export const returnTrue = (): string => el('return', true);
