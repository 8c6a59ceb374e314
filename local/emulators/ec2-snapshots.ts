import { AwsError } from '../core/aws-error.ts';
import { LOCAL_ACCOUNT } from '../core/arn.ts';
import type { QueryParams } from '../core/protocols.ts';
import {
  describeListing,
  findInstances,
  findSnapshot,
  findVolume,
  matchesFilters,
  paginate,
  pageSize,
  tagFilterValues,
  type Ec2State,
  type Env,
  type SnapshotRecord,
} from './ec2-model.ts';
import type { Tag } from './ec2-params.ts';
import {
  filters,
  invalidValue,
  list,
  MAX_TAGS,
  missingParameter,
  optional,
  required,
  tagList,
  tags as readTags,
  tagSpecifications,
} from './ec2-params.ts';

/** Snapshot and tag operations over the pure state. */

export function createSnapshot(state: Ec2State, params: QueryParams, env: Env): SnapshotRecord {
  const volume = findVolume(state, required(params, 'VolumeId'));
  const description = optional(params, 'Description') ?? '';
  if (description.length > 255) throw invalidValue('Description', description, 'At most 255 characters.');
  const id = env.newId('snap');
  const snapshot: SnapshotRecord = {
    id,
    volumeId: volume.id,
    volumeSize: volume.size,
    description,
    encrypted: volume.encrypted,
    startedAt: env.now,
    status: 'pending',
    since: env.now,
    tags: tagSpecifications(params, ['snapshot']).get('snapshot') ?? [],
  };
  state.snapshots[id] = snapshot;
  return snapshot;
}

function snapshotFilterValues(snapshot: SnapshotRecord, name: string): string[] | undefined {
  switch (name) {
    case 'snapshot-id':
      return [snapshot.id];
    case 'volume-id':
      return [snapshot.volumeId];
    case 'volume-size':
      return [String(snapshot.volumeSize)];
    case 'status':
      return [snapshot.status];
    case 'description':
      return [snapshot.description];
    case 'owner-id':
      return [LOCAL_ACCOUNT];
    case 'encrypted':
      return [String(snapshot.encrypted)];
    default:
      return tagFilterValues(snapshot.tags, name);
  }
}

export function describeSnapshots(state: Ec2State, params: QueryParams): { snapshots: SnapshotRecord[]; next?: string } {
  const owners = list(params, 'Owner');
  const ours = owners.length === 0 || owners.some((owner) => owner === 'self' || owner === LOCAL_ACCOUNT);
  const { page, next } = describeListing(params, {
    operation: 'DescribeSnapshots',
    idParameter: 'SnapshotId',
    idSet: 'snapshotSet',
    maxResultsLimit: 1000,
    candidates: (ids) => {
      const found = ids.length > 0 ? ids.map((id) => findSnapshot(state, id)) : Object.values(state.snapshots);
      return ours ? found : [];
    },
    filterValues: snapshotFilterValues,
  });
  return { snapshots: page, ...(next === undefined ? {} : { next }) };
}

export function deleteSnapshot(state: Ec2State, params: QueryParams): void {
  const snapshot = findSnapshot(state, required(params, 'SnapshotId'));
  delete state.snapshots[snapshot.id];
}

// ---------------------------------------------------------------- tags

export interface TagDescription extends Tag {
  resourceId: string;
  resourceType: 'instance' | 'volume' | 'snapshot';
}

function taggable(state: Ec2State, id: string): { tags: Tag[]; resourceType: TagDescription['resourceType'] } {
  if (id.startsWith('i-')) {
    const [instance] = findInstances(state, [id]);
    if (instance) return { tags: instance.tags, resourceType: 'instance' };
  }
  if (id.startsWith('vol-')) return { tags: findVolume(state, id).tags, resourceType: 'volume' };
  if (id.startsWith('snap-')) return { tags: findSnapshot(state, id).tags, resourceType: 'snapshot' };
  throw new AwsError('InvalidID', `The ID '${id}' is not valid`);
}

function resourcesOf(state: Ec2State, params: QueryParams): ReturnType<typeof taggable>[] {
  const ids = list(params, 'ResourceId');
  if (ids.length === 0) throw missingParameter('ResourceId');
  return ids.map((id) => taggable(state, id));
}

export function createTags(state: Ec2State, params: QueryParams): void {
  const resources = resourcesOf(state, params);
  const wanted = readTags(params, 'Tag');
  if (wanted.length === 0) throw missingParameter('Tag');
  for (const { tags } of resources) {
    const keys = new Set([...tags.map((tag) => tag.key), ...wanted.map((tag) => tag.key)]);
    if (keys.size > MAX_TAGS) throw new AwsError('TagLimitExceeded', `At most ${MAX_TAGS} tags are allowed per resource.`);
  }
  for (const { tags } of resources) {
    for (const tag of wanted) {
      const existing = tags.find((t) => t.key === tag.key);
      if (existing) existing.value = tag.value;
      else tags.push({ ...tag });
    }
  }
}

/** Without Tag.N every tag goes; a Tag.N.Value, even empty, deletes the tag only when the value matches. */
export function deleteTags(state: Ec2State, params: QueryParams): void {
  const resources = resourcesOf(state, params);
  const wanted = tagList(params, 'Tag');
  for (const { tags } of resources) {
    const keep = tags.filter(
      (tag) =>
        wanted.length > 0 &&
        !wanted.some((w) => w.key === tag.key && (w.value === undefined || w.value === tag.value)),
    );
    tags.splice(0, tags.length, ...keep);
  }
}

export function describeTags(state: Ec2State, params: QueryParams): { tags: TagDescription[]; next?: string } {
  const all: TagDescription[] = [
    ...Object.values(state.instances).flatMap((r) => r.tags.map((t) => ({ ...t, resourceId: r.id, resourceType: 'instance' as const }))),
    ...Object.values(state.volumes)
      .filter((r) => r.status !== 'deleted')
      .flatMap((r) => r.tags.map((t) => ({ ...t, resourceId: r.id, resourceType: 'volume' as const }))),
    ...Object.values(state.snapshots).flatMap((r) => r.tags.map((t) => ({ ...t, resourceId: r.id, resourceType: 'snapshot' as const }))),
  ];
  const wanted = filters(params);
  const valuesOf = (tag: TagDescription, name: string): string[] | undefined => {
    if (name === 'resource-id') return [tag.resourceId];
    if (name === 'resource-type') return [tag.resourceType];
    if (name === 'key') return [tag.key];
    if (name === 'value') return [tag.value];
    return name.startsWith('tag:') ? (name.slice(4) === tag.key ? [tag.value] : []) : undefined;
  };
  const matching = all.filter((tag) => matchesFilters(wanted, (name) => valuesOf(tag, name)));
  const { page, next } = paginate('DescribeTags', matching, pageSize(params, 1000), optional(params, 'NextToken'));
  return { tags: page, ...(next === undefined ? {} : { next }) };
}
