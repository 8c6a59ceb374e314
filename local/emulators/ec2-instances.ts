import { createHash } from 'node:crypto';
import { AwsError } from '../core/aws-error.ts';
import type { QueryParams } from '../core/protocols.ts';
import {
  checkZone,
  describeListing,
  findInstances,
  gmt,
  STATE_CODES,
  tagFilterValues,
  type Ec2State,
  type Env,
  type InstanceRecord,
  type InstanceStateName,
} from './ec2-model.ts';
import type { Tag } from './ec2-params.ts';
import {
  boolean,
  fingerprint,
  integer,
  invalidValue,
  list,
  missingParameter,
  optional,
  required,
  tagSpecifications,
} from './ec2-params.ts';

/** Instance operations over the pure state: RunInstances, DescribeInstances, Start/Stop/Terminate. */

export interface Reservation {
  reservationId: string;
  instances: InstanceRecord[];
}

export interface StateChange {
  instanceId: string;
  previous: InstanceStateName;
  current: InstanceStateName;
}

const MAX_LAUNCH = 20;
const INSTANCE_TYPE = /^[a-z][a-z0-9-]*\.[a-z0-9-]+$/;
const IMAGE_ID = /^ami-(?:[0-9a-f]{8}|[0-9a-f]{17})$/;
const SUBNET_ID = /^subnet-[0-9a-f]{8,17}$/;
const GROUP_ID = /^sg-[0-9a-f]{8,17}$/;
/** `resolve:ssm:<parameter>[:version|label]`: AWS resolves the SSM parameter to an AMI id at launch. */
const SSM_IMAGE = /^resolve:ssm:(\/?[A-Za-z0-9_.\-/]{1,2048})(?::[A-Za-z0-9_.-]{1,100})?$/;

/** An SSM-resolved image becomes a stable fake AMI id per parameter (there is no SSM here). */
function resolveImageId(imageId: string): string {
  const parameter = SSM_IMAGE.exec(imageId)?.[1];
  return parameter === undefined ? imageId : `ami-${createHash('sha256').update(parameter).digest('hex').slice(0, 17)}`;
}
/** Resource types RunInstances accepts in TagSpecification; `instance` and `volume` tags land on something here. */
const RUN_TAG_TYPES = ['instance', 'volume', 'network-interface', 'spot-instances-request', 'elastic-gpu'];

export function reservationOf(state: Ec2State, reservationId: string): Reservation {
  return { reservationId, instances: Object.values(state.instances).filter((i) => i.reservationId === reservationId) };
}

function privateIpFor(id: string): string {
  const hex = id.slice(-4);
  return `10.0.${parseInt(hex.slice(0, 2), 16)}.${Math.max(4, parseInt(hex.slice(2), 16))}`;
}

export function runInstances(state: Ec2State, params: QueryParams, env: Env): Reservation {
  const token = optional(params, 'ClientToken');
  if (token !== undefined && token.length > 64) throw invalidValue('ClientToken', token, 'At most 64 characters.');
  const tokenKey = token === undefined ? undefined : `RunInstances:${token}`;
  const known = tokenKey === undefined ? undefined : state.tokens[tokenKey];
  if (known) {
    if (known.fingerprint !== fingerprint(params)) {
      throw new AwsError(
        'IdempotentParameterMismatch',
        `Client token '${token}' was already used by a RunInstances request with different parameters.`,
      );
    }
    return reservationOf(state, known.id);
  }

  const imageId = resolveImageId(required(params, 'ImageId'));
  if (!IMAGE_ID.test(imageId)) throw new AwsError('InvalidAMIID.Malformed', `Invalid id: "${imageId}" (expecting "ami-...")`);
  const minCount = integer(params, 'MinCount', 1, MAX_LAUNCH);
  if (minCount === undefined) throw missingParameter('MinCount');
  const maxCount = integer(params, 'MaxCount', 1, MAX_LAUNCH);
  if (maxCount === undefined) throw missingParameter('MaxCount');
  if (minCount > maxCount) throw invalidValue('MinCount', String(minCount), 'MinCount must not exceed MaxCount.');
  const instanceType = optional(params, 'InstanceType') ?? 'm1.small';
  if (!INSTANCE_TYPE.test(instanceType)) throw invalidValue('InstanceType', instanceType);
  const subnetId = optional(params, 'SubnetId');
  if (subnetId !== undefined && !SUBNET_ID.test(subnetId)) throw invalidValue('SubnetId', subnetId);
  const securityGroupIds = list(params, 'SecurityGroupId');
  for (const group of securityGroupIds) if (!GROUP_ID.test(group)) throw invalidValue('SecurityGroupId', group);
  const zone = optional(params, 'Placement.AvailabilityZone');
  const availabilityZone = zone === undefined ? 'us-east-1a' : checkZone('Placement.AvailabilityZone', zone);
  const specified = tagSpecifications(params, RUN_TAG_TYPES);
  const tags = specified.get('instance') ?? [];
  const devices = blockDeviceMappings(params);

  const reservationId = env.newId('r');
  for (let launchIndex = 0; launchIndex < maxCount; launchIndex += 1) {
    const id = env.newId('i');
    state.instances[id] = {
      id,
      reservationId,
      imageId,
      instanceType,
      availabilityZone,
      ...(subnetId === undefined ? {} : { subnetId }),
      securityGroupIds,
      ...(token === undefined ? {} : { clientToken: token }),
      launchIndex,
      privateIp: privateIpFor(id),
      launchedAt: env.now,
      state: 'pending',
      stateSince: env.now,
      reason: '',
      tags: tags.map((tag) => ({ ...tag })),
    };
    for (const device of devices) launchVolume(state, env, state.instances[id], device, specified.get('volume') ?? []);
  }
  if (tokenKey !== undefined) state.tokens[tokenKey] = { fingerprint: fingerprint(params), id: reservationId };
  return reservationOf(state, reservationId);
}

interface LaunchDevice {
  deviceName: string;
  size: number;
  volumeType: string;
  encrypted: boolean;
  deleteOnTermination: boolean;
}

const LAUNCH_DEVICE = /^\/dev\/(?:sd[b-z]|xvd[b-z][a-z]?)$/;
/** gp2/gp3 sizes, as documented for EbsBlockDevice; the other types are not used here. */
const LAUNCH_VOLUME_SIZES: Record<string, [number, number]> = { gp2: [1, 16384], gp3: [1, 16384] };

/**
 * `BlockDeviceMapping.N.*` of RunInstances: new EBS volumes created with the instance and attached
 * while it starts, so they are attached once it runs
 * (https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_EbsBlockDevice.html,
 * https://docs.aws.amazon.com/ebs/latest/userguide/block-device-mapping-concepts.html).
 * EBS defaults: DeleteOnTermination true, unencrypted unless asked, gp2 when no type is given.
 */
function blockDeviceMappings(params: QueryParams): LaunchDevice[] {
  const out: LaunchDevice[] = [];
  for (let n = 1; optional(params, `BlockDeviceMapping.${n}.DeviceName`) !== undefined; n += 1) {
    const at = `BlockDeviceMapping.${n}`;
    const deviceName = required(params, `${at}.DeviceName`);
    if (!LAUNCH_DEVICE.test(deviceName)) throw invalidValue(`${at}.DeviceName`, deviceName, 'Use a name such as /dev/sdf or /dev/xvdf.');
    if (out.some((d) => d.deviceName === deviceName)) throw invalidValue(`${at}.DeviceName`, deviceName, 'The device name is given twice.');
    const volumeType = optional(params, `${at}.Ebs.VolumeType`) ?? 'gp2';
    const limits = LAUNCH_VOLUME_SIZES[volumeType];
    if (!limits) throw invalidValue(`${at}.Ebs.VolumeType`, volumeType, `Expected one of: ${Object.keys(LAUNCH_VOLUME_SIZES).join(', ')}.`);
    const size = integer(params, `${at}.Ebs.VolumeSize`, limits[0], limits[1]);
    if (size === undefined) throw missingParameter(`${at}.Ebs.VolumeSize`);
    out.push({
      deviceName,
      size,
      volumeType,
      encrypted: boolean(params, `${at}.Ebs.Encrypted`) ?? false,
      deleteOnTermination: boolean(params, `${at}.Ebs.DeleteOnTermination`) ?? true,
    });
  }
  return out;
}

/** A launch-time volume: available, attaching to the instance as it starts (both settle together). */
function launchVolume(state: Ec2State, env: Env, instance: InstanceRecord | undefined, device: LaunchDevice, tags: readonly Tag[]): void {
  if (!instance) return;
  const id = env.newId('vol');
  state.volumes[id] = {
    id,
    availabilityZone: instance.availabilityZone,
    size: device.size,
    volumeType: device.volumeType,
    ...(device.volumeType === 'gp3' ? { iops: 3000, throughput: 125 } : { iops: Math.min(16_000, Math.max(100, device.size * 3)) }),
    encrypted: device.encrypted,
    createdAt: env.now,
    status: 'available',
    since: env.now,
    attachment: { instanceId: instance.id, device: device.deviceName, status: 'attaching', since: env.now, attachedAt: env.now, deleteOnTermination: device.deleteOnTermination },
    tags: tags.map((tag) => ({ ...tag })),
  };
}

function instanceFilterValues(instance: InstanceRecord, name: string): string[] | undefined {
  switch (name) {
    case 'instance-id':
      return [instance.id];
    case 'instance-state-name':
      return [instance.state];
    case 'instance-state-code':
      return [String(STATE_CODES[instance.state])];
    case 'instance-type':
      return [instance.instanceType];
    case 'image-id':
      return [instance.imageId];
    case 'reservation-id':
      return [instance.reservationId];
    case 'client-token':
      return instance.clientToken === undefined ? [] : [instance.clientToken];
    case 'subnet-id':
      return instance.subnetId === undefined ? [] : [instance.subnetId];
    case 'availability-zone':
      return [instance.availabilityZone];
    case 'instance.group-id':
      return instance.securityGroupIds;
    default:
      return tagFilterValues(instance.tags, name);
  }
}

export function describeInstances(state: Ec2State, params: QueryParams): { reservations: Reservation[]; next?: string } {
  const { page, next } = describeListing(params, {
    operation: 'DescribeInstances',
    idParameter: 'InstanceId',
    idSet: 'instancesSet',
    maxResultsLimit: 1000,
    candidates: (ids) => (ids.length > 0 ? findInstances(state, ids) : Object.values(state.instances)),
    filterValues: instanceFilterValues,
  });
  const reservations = new Map<string, Reservation>();
  for (const instance of page) {
    const reservation = reservations.get(instance.reservationId) ?? { reservationId: instance.reservationId, instances: [] };
    reservation.instances.push(instance);
    reservations.set(instance.reservationId, reservation);
  }
  return { reservations: [...reservations.values()], ...(next === undefined ? {} : { next }) };
}

function idsOf(params: QueryParams): string[] {
  const ids = list(params, 'InstanceId');
  if (ids.length === 0) throw missingParameter('InstanceId');
  return ids;
}

function incorrectState(instance: InstanceRecord, action: string): AwsError {
  return new AwsError(
    'IncorrectInstanceState',
    `The instance '${instance.id}' is not in a state from which it can be ${action}.`,
  );
}

function move(instance: InstanceRecord, to: InstanceStateName, env: Env, reason: string): StateChange {
  const previous = instance.state;
  if (previous !== to) {
    instance.state = to;
    instance.stateSince = env.now;
    instance.reason = reason;
  }
  return { instanceId: instance.id, previous, current: instance.state };
}

/** Checks every instance first, so a refused request changes nothing. */
function transition(
  state: Ec2State,
  params: QueryParams,
  env: Env,
  plan: (instance: InstanceRecord) => InstanceStateName,
  reason: string,
): StateChange[] {
  const instances = findInstances(state, idsOf(params));
  const targets = instances.map(plan);
  return instances.map((instance, i) => move(instance, targets[i] ?? instance.state, env, reason));
}

export function stopInstances(state: Ec2State, params: QueryParams, env: Env): StateChange[] {
  return transition(
    state,
    params,
    env,
    (instance) => {
      if (instance.state === 'running') return 'stopping';
      if (instance.state === 'stopping' || instance.state === 'stopped') return instance.state;
      throw incorrectState(instance, 'stopped');
    },
    `User initiated (${gmt(env.now)})`,
  );
}

export function startInstances(state: Ec2State, params: QueryParams, env: Env): StateChange[] {
  return transition(
    state,
    params,
    env,
    (instance) => {
      if (instance.state === 'stopped') return 'pending';
      if (instance.state === 'pending' || instance.state === 'running') return instance.state;
      throw incorrectState(instance, 'started');
    },
    '',
  );
}

export function terminateInstances(state: Ec2State, params: QueryParams, env: Env): StateChange[] {
  return transition(
    state,
    params,
    env,
    (instance) => (instance.state === 'terminated' ? 'terminated' : 'shutting-down'),
    `User initiated (${gmt(env.now)})`,
  );
}
