import { randomBytes } from 'node:crypto';
import { AwsError } from '../core/aws-error.ts';
import { paginate as pageOf } from '../core/pagination.ts';
import type { QueryParams } from '../core/protocols.ts';
import { filters, integer, invalidValue, list, optional, type Filter, type Tag } from './ec2-params.ts';

/** The EC2 emulator's persisted state and the lazy, timestamp-driven transitions over it. */

export type InstanceStateName = 'pending' | 'running' | 'shutting-down' | 'terminated' | 'stopping' | 'stopped';

export const STATE_CODES: Record<InstanceStateName, number> = {
  pending: 0,
  running: 16,
  'shutting-down': 32,
  terminated: 48,
  stopping: 64,
  stopped: 80,
};

const SETTLES_TO: Partial<Record<InstanceStateName, InstanceStateName>> = {
  pending: 'running',
  stopping: 'stopped',
  'shutting-down': 'terminated',
};

/** AWS keeps terminated instances visible for about an hour. */
export const TERMINATED_VISIBLE_MS = 60 * 60 * 1000;

export interface InstanceRecord {
  id: string;
  reservationId: string;
  imageId: string;
  instanceType: string;
  availabilityZone: string;
  subnetId?: string;
  securityGroupIds: string[];
  clientToken?: string;
  launchIndex: number;
  privateIp: string;
  launchedAt: number;
  state: InstanceStateName;
  /** When `state` was entered (epoch ms); transitional states settle `pendingMs` later. */
  stateSince: number;
  /** StateTransitionReason, e.g. "User initiated (2026-11-05 10:00:00 GMT)". */
  reason: string;
  tags: Tag[];
}

export interface AttachmentRecord {
  instanceId: string;
  device: string;
  status: 'attaching' | 'attached' | 'detaching';
  since: number;
  attachedAt: number;
  deleteOnTermination: boolean;
}

export interface VolumeRecord {
  id: string;
  availabilityZone: string;
  size: number;
  volumeType: string;
  iops?: number;
  throughput?: number;
  encrypted: boolean;
  snapshotId?: string;
  createdAt: number;
  /** `in-use` is derived from `attachment`; `deleted` volumes are kept only for ClientToken replays. */
  status: 'creating' | 'available' | 'deleted';
  since: number;
  attachment?: AttachmentRecord;
  tags: Tag[];
}

export interface SnapshotRecord {
  id: string;
  volumeId: string;
  volumeSize: number;
  description: string;
  encrypted: boolean;
  startedAt: number;
  status: 'pending' | 'completed';
  since: number;
  tags: Tag[];
}

export interface TokenRecord {
  fingerprint: string;
  /** Reservation id (RunInstances) or volume id (CreateVolume). */
  id: string;
}

export interface Ec2State {
  instances: Record<string, InstanceRecord>;
  volumes: Record<string, VolumeRecord>;
  snapshots: Record<string, SnapshotRecord>;
  /** Keyed `<Operation>:<ClientToken>`. */
  tokens: Record<string, TokenRecord>;
}

export const emptyState = (): Ec2State => ({ instances: {}, volumes: {}, snapshots: {}, tokens: {} });

/** What each state operation is given besides the state: the clock, the delay, an id source. */
export interface Env {
  now: number;
  pendingMs: number;
  newId(prefix: string): string;
}

export const randomId = (prefix: string): string => `${prefix}-${randomBytes(9).toString('hex').slice(0, 17)}`;

/**
 * Moves every transitional resource on by the time that has passed. Called before each
 * operation, so state stored on disk and read back later settles the same way.
 * Returns true when something changed (the caller saves).
 */
export function settle(state: Ec2State, now: number, pendingMs: number): boolean {
  let changed = false;
  const due = (since: number): boolean => now - since >= pendingMs;
  for (const instance of Object.values(state.instances)) {
    const next = SETTLES_TO[instance.state];
    if (next && due(instance.stateSince)) {
      instance.state = next;
      instance.stateSince += pendingMs;
      changed = true;
    }
    if (instance.state === 'terminated' && now - instance.stateSince > TERMINATED_VISIBLE_MS) {
      delete state.instances[instance.id];
      changed = true;
    }
  }
  for (const volume of Object.values(state.volumes)) {
    if (volume.status === 'creating' && due(volume.since)) {
      volume.status = 'available';
      volume.since += pendingMs;
      changed = true;
    }
    const attachment = volume.attachment;
    if (!attachment) continue;
    const owner = state.instances[attachment.instanceId];
    if (!owner || owner.state === 'terminated') {
      volume.attachment = undefined;
      if (attachment.deleteOnTermination) volume.status = 'deleted';
      changed = true;
    } else if (attachment.status === 'attaching' && due(attachment.since)) {
      attachment.status = 'attached';
      attachment.since += pendingMs;
      changed = true;
    } else if (attachment.status === 'detaching' && due(attachment.since)) {
      volume.attachment = undefined;
      changed = true;
    }
  }
  for (const snapshot of Object.values(state.snapshots)) {
    if (snapshot.status === 'pending' && due(snapshot.since)) {
      snapshot.status = 'completed';
      snapshot.since += pendingMs;
      changed = true;
    }
  }
  return changed;
}

// ---------------------------------------------------------------- ids and lookups

const ID_PATTERN = /^[a-z]+-(?:[0-9a-f]{8}|[0-9a-f]{17})$/;

function malformed(code: string, id: string): AwsError {
  return new AwsError(code, `Invalid id: "${id}"`);
}

export function findInstances(state: Ec2State, ids: string[]): InstanceRecord[] {
  for (const id of ids) {
    if (!id.startsWith('i-') || !ID_PATTERN.test(id)) throw malformed('InvalidInstanceID.Malformed', id);
  }
  const missing = ids.filter((id) => !state.instances[id]);
  if (missing.length === 1) throw new AwsError('InvalidInstanceID.NotFound', `The instance ID '${missing[0]}' does not exist`);
  if (missing.length > 1) {
    throw new AwsError('InvalidInstanceID.NotFound', `The instance IDs '${missing.join(', ')}' do not exist`);
  }
  return ids.flatMap((id) => state.instances[id] ?? []);
}

export function findVolume(state: Ec2State, id: string): VolumeRecord {
  if (!id.startsWith('vol-') || !ID_PATTERN.test(id)) throw malformed('InvalidVolumeID.Malformed', id);
  const volume = state.volumes[id];
  if (!volume || volume.status === 'deleted') throw new AwsError('InvalidVolume.NotFound', `The volume '${id}' does not exist.`);
  return volume;
}

export function findSnapshot(state: Ec2State, id: string): SnapshotRecord {
  if (!id.startsWith('snap-') || !ID_PATTERN.test(id)) throw malformed('InvalidSnapshotID.Malformed', id);
  const snapshot = state.snapshots[id];
  if (!snapshot) throw new AwsError('InvalidSnapshot.NotFound', `The snapshot '${id}' does not exist.`);
  return snapshot;
}

// ---------------------------------------------------------------- filters and paging

function globToRegExp(glob: string): RegExp {
  let source = '';
  for (let i = 0; i < glob.length; i += 1) {
    const c = glob[i] ?? '';
    if (c === '\\' && i + 1 < glob.length) source += (glob[++i] ?? '').replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    else if (c === '*') source += '.*';
    else if (c === '?') source += '.';
    else source += c.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${source}$`, 's');
}

/** Values of the standard tag filters (`tag:<key>`, `tag-key`, `tag-value`), or undefined for other names. */
export function tagFilterValues(tags: Tag[], name: string): string[] | undefined {
  if (name.startsWith('tag:')) return tags.filter((tag) => tag.key === name.slice(4)).map((tag) => tag.value);
  if (name === 'tag-key') return tags.map((tag) => tag.key);
  if (name === 'tag-value') return tags.map((tag) => tag.value);
  return undefined;
}

/**
 * AND across filters, OR across each filter's values, `*` and `?` wildcards. `valuesOf`
 * answers a resource's values for a filter name, or undefined when the name is unsupported.
 */
export function matchesFilters(filters: Filter[], valuesOf: (name: string) => string[] | undefined): boolean {
  return filters.every((filter) => {
    const actual = valuesOf(filter.name);
    if (actual === undefined) throw new AwsError('InvalidParameterValue', `The filter '${filter.name}' is invalid`);
    const patterns = filter.values.map(globToRegExp);
    return actual.some((value) => patterns.some((pattern) => pattern.test(value)));
  });
}

/** One page of a Describe* listing bound to `operation`; without MaxResults, all of it. */
export function paginate<T>(operation: string, items: T[], maxResults: number | undefined, nextToken: string | undefined): { page: T[]; next?: string } {
  const { items: page, nextToken: next } = pageOf(items, {
    scope: operation,
    maxResults,
    nextToken,
    invalidToken: (token) => new AwsError('InvalidPaginationToken', `Invalid pagination token: ${token}`),
    defaultPageSize: Infinity,
  });
  return next === undefined ? { page } : { page, next };
}

/** EC2's Integer is a 32-bit signed number: anything larger is not a value of the parameter. */
const INT32_MAX = 2 ** 31 - 1;

/**
 * MaxResults of a Describe* call: below 5 is InvalidParameterValue, above the operation's page
 * limit is accepted and clamped, as the EC2 API Reference documented it (DescribeVolumes: "This
 * value can be between 5 and 500; if you specify a value larger than 500, only 500 items are
 * returned", the wording of earlier AWS SDK releases' generated docs; DescribeInstances,
 * DescribeSnapshots, DescribeTags: "between 5 and 1000; if MaxResults is given a value larger
 * than 1000, only 1000 results are returned", botocore's EC2 models of 2014-2016; today's pages
 * point to "Pagination" in the EC2 API Reference). The AWS CLI relies on
 * it: `aws ec2 describe-volumes` and `describe-snapshots` send MaxResults=1000 by default
 * (awscli/customizations/ec2/paginate.py). Absent, the whole listing is one page.
 */
export function pageSize(params: QueryParams, limit: number): number | undefined {
  const asked = integer(params, 'MaxResults', 5, INT32_MAX);
  return asked === undefined ? undefined : Math.min(asked, limit);
}

/** How a Describe* operation over one kind of resource reads its ids, filters and pages. */
export interface DescribeListing<T> {
  operation: string;
  /** The id list parameter (`VolumeId`) and the set it names in errors (`volumeSet`). */
  idParameter: string;
  idSet: string;
  /** The most items AWS serves in one page: a larger MaxResults is clamped to it (see `pageSize`). */
  maxResultsLimit: number;
  /** The resources for the given ids (raising the not-found error), or all of them when none are given. */
  candidates: (ids: string[]) => T[];
  filterValues: (item: T, name: string) => string[] | undefined;
}

/** Ids or MaxResults (not both), then Filter.N, then one page. */
export function describeListing<T>(params: QueryParams, listing: DescribeListing<T>): { page: T[]; next?: string } {
  const ids = list(params, listing.idParameter);
  const maxResults = pageSize(params, listing.maxResultsLimit);
  if (maxResults !== undefined && ids.length > 0) {
    throw new AwsError('InvalidParameterCombination', `The parameter ${listing.idSet} cannot be used with the parameter maxResults`);
  }
  const wanted = filters(params);
  const matching = listing.candidates(ids).filter((item) => matchesFilters(wanted, (name) => listing.filterValues(item, name)));
  return paginate(listing.operation, matching, maxResults, optional(params, 'NextToken'));
}

export const AVAILABILITY_ZONES = ['us-east-1a', 'us-east-1b', 'us-east-1c', 'us-east-1d', 'us-east-1e', 'us-east-1f'];

export function checkZone(name: string, zone: string): string {
  if (!AVAILABILITY_ZONES.includes(zone)) throw invalidValue(name, zone, `Expected one of: ${AVAILABILITY_ZONES.join(', ')}.`);
  return zone;
}

/** "2026-11-05 10:00:00 GMT", as in StateTransitionReason. */
export const gmt = (ms: number): string => `${new Date(ms).toISOString().slice(0, 19).replace('T', ' ')} GMT`;
