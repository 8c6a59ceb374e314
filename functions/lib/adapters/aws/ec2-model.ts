import { createHash } from 'node:crypto';
import type { EC2Client, Filter, Tag } from '@aws-sdk/client-ec2';
import type { UndoOutcome } from './identitystore.ts';
import type { StorageResult, WorkstationProfile, WorkstationResult, WorkstationState } from '../../domain/provision/schemas.ts';

/** Types, tags and tokens the EC2 workstation adapter (workstation.ts) shares with its launch and retire halves. */

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
  /** The person's current employment (adapters/dynamodb/employees/item.ts EMPLOYED_SINCE); without it the token is per request. */
  generation?: string;
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
/**
 * The RunInstances token of a person's workstation: one per person, profile and employment
 * generation, whichever request (delivery id) asks, so duplicate hires launch one instance
 * and a rehire after a leave launches a new one. 64 hex characters: EC2 allows 64.
 */
export function workstationToken(request: LaunchRequest): string {
  if (request.generation === undefined) return clientToken('instance', request.requestId, request.profile.id);
  return createHash('sha256').update(`gatehouse/instance/${request.employeeId}/${request.profile.id}/${request.generation}`).digest('hex');
}

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

export const requestFilters = (requestId: string): Filter[] => [
  { Name: `tag:${TAGS.requestId}`, Values: [requestId] },
  { Name: `tag:${TAGS.managed}`, Values: ['true'] },
];
