import { AwsError } from '../core/aws-error.ts';
import { stateFile, type Emulator, type EmulatorContext } from '../core/emulator.ts';
import { ec2QueryService, type QueryParams } from '../core/protocols.ts';
import { JsonStore } from '../core/store.ts';
import { describeInstances, runInstances, startInstances, stopInstances, terminateInstances } from './ec2-instances.ts';
import { emptyState, randomId, settle, type Ec2State, type Env } from './ec2-model.ts';
import { nextSettleAt, notificationsBetween, pictureOf } from './ec2-notifications.ts';
import type { EventEnvelope } from './events-delivery.ts';
import { boolean } from './ec2-params.ts';
import { createSnapshot, createTags, deleteSnapshot, deleteTags, describeSnapshots, describeTags } from './ec2-snapshots.ts';
import { attachVolume, createVolume, deleteVolume, describeVolumes, detachVolume } from './ec2-volumes.ts';
import {
  attachmentXml,
  el,
  reservationXml,
  returnTrue,
  set,
  snapshotXml,
  stateChangesXml,
  tagDescriptionsXml,
  volumeXml,
} from './ec2-xml.ts';

/**
 * The EC2 API subset Gatehouse calls (instances, volumes, snapshots, tags), over the
 * ec2Query protocol. Transitions (pending -> running, stopping -> stopped,
 * shutting-down -> terminated, volume creating/attaching/detaching, snapshot pending)
 * complete `pendingMs` after they start, computed from stored timestamps before each
 * call, so there are no timers and a restarted emulator carries on where it stopped.
 */

export interface Ec2EmulatorOptions {
  /** How long every transitional state lasts. */
  pendingMs: number;
  /** How long a snapshot stays pending (default pendingMs); GATEHOUSE_EC2_SNAPSHOT_MS on the local cloud. */
  snapshotMs?: number;
  /**
   * Where EC2's notifications go (the default EventBridge bus): instance state changes and
   * completed snapshots (ec2-notifications.ts). Given, the emulator also settles transitions on
   * a timer, so a notification comes when the change happens, not at the next call.
   */
  notify?: (events: Omit<EventEnvelope, 'version'>[]) => Promise<void>;
  /** Clock (epoch ms); tests may inject one. */
  now?: () => number;
}

type Handler = (state: Ec2State, params: QueryParams, env: Env) => string;

const nextToken = (next: string | undefined): string => el('nextToken', next);

const HANDLERS: Record<string, Handler> = {
  RunInstances: (state, params, env) => reservationXml(state, runInstances(state, params, env)),
  DescribeInstances: (state, params) => {
    const { reservations, next } = describeInstances(state, params);
    return set('reservationSet', reservations, (r) => reservationXml(state, r)) + nextToken(next);
  },
  StopInstances: (state, params, env) => stateChangesXml(stopInstances(state, params, env)),
  StartInstances: (state, params, env) => stateChangesXml(startInstances(state, params, env)),
  TerminateInstances: (state, params, env) => stateChangesXml(terminateInstances(state, params, env)),
  CreateTags: (state, params) => {
    createTags(state, params);
    return returnTrue();
  },
  DeleteTags: (state, params) => {
    deleteTags(state, params);
    return returnTrue();
  },
  DescribeTags: (state, params) => {
    const { tags, next } = describeTags(state, params);
    return tagDescriptionsXml(tags) + nextToken(next);
  },
  CreateVolume: (state, params, env) => volumeXml(createVolume(state, params, env)),
  AttachVolume: (state, params, env) => {
    const { volume, attachment } = attachVolume(state, params, env);
    return attachmentXml(volume.id, attachment);
  },
  DetachVolume: (state, params, env) => {
    const { volume, attachment } = detachVolume(state, params, env);
    return attachmentXml(volume.id, attachment);
  },
  DeleteVolume: (state, params) => {
    deleteVolume(state, params);
    return returnTrue();
  },
  DescribeVolumes: (state, params) => {
    const { volumes, next } = describeVolumes(state, params);
    return set('volumeSet', volumes, volumeXml) + nextToken(next);
  },
  CreateSnapshot: (state, params, env) => snapshotXml(createSnapshot(state, params, env)),
  DescribeSnapshots: (state, params) => {
    const { snapshots, next } = describeSnapshots(state, params);
    return set('snapshotSet', snapshots, snapshotXml) + nextToken(next);
  },
  DeleteSnapshot: (state, params) => {
    deleteSnapshot(state, params);
    return returnTrue();
  },
};

/** Operations that only read; every other one saves the state after it succeeds. */
const READS = new Set(['DescribeInstances', 'DescribeTags', 'DescribeVolumes', 'DescribeSnapshots']);

export function createEc2Emulator(ctx: EmulatorContext, options: Ec2EmulatorOptions): Emulator {
  if (!Number.isFinite(options.pendingMs) || options.pendingMs < 0) {
    throw new Error(`ec2 emulator: pendingMs must be a non-negative number, got ${options.pendingMs}`);
  }
  const snapshotMs = options.snapshotMs ?? options.pendingMs;
  if (!Number.isFinite(snapshotMs) || snapshotMs < 0) throw new Error(`ec2 emulator: snapshotMs must be a non-negative number, got ${snapshotMs}`);
  const store = new JsonStore<Ec2State>(stateFile(ctx, 'ec2'), emptyState);
  const now = options.now ?? Date.now;
  const notifier = options.notify ? notifications(store, options.notify, { now, pendingMs: options.pendingMs, snapshotMs }) : undefined;

  const operation = (name: string, handler: Handler) => (params: QueryParams): string => {
    try {
      return run(name, handler, params);
    } finally {
      notifier?.changed();
    }
  };
  const run = (name: string, handler: Handler, params: QueryParams): string => {
    const env: Env = { now: now(), pendingMs: options.pendingMs, newId: randomId };
    if (settle(store.data, env.now, env.pendingMs, snapshotMs)) store.save();
    if (boolean(params, 'DryRun')) {
      throw new AwsError('DryRunOperation', 'Request would have succeeded, but DryRun flag is set.', 412);
    }
    if (READS.has(name)) return handler(store.data, params, env);
    // Work on a copy so a request that fails half way changes nothing.
    const draft = structuredClone(store.data);
    const xml = handler(draft, params, env);
    Object.assign(store.data, draft);
    store.save();
    return xml;
  };

  const operations = Object.fromEntries(Object.entries(HANDLERS).map(([name, handler]) => [name, operation(name, handler)]));
  notifier?.changed();
  return {
    service: 'ec2',
    handler: ec2QueryService({ service: 'ec2', faults: ctx.faults, operations }),
    stop: () => {
      notifier?.stop();
      return Promise.resolve();
    },
  };
}

/** Publishes what changed since the last look, and settles the next transition when it is due. */
function notifications(
  store: JsonStore<Ec2State>,
  notify: NonNullable<Ec2EmulatorOptions['notify']>,
  timing: { now: () => number; pendingMs: number; snapshotMs: number },
): { changed(): void; stop(): void } {
  let picture = pictureOf(store.data);
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  const changed = (): void => {
    const next = pictureOf(store.data);
    const events = notificationsBetween(picture, next, store.data, timing.now());
    picture = next;
    if (events.length > 0) notify(events).catch((error: unknown) => console.error('[local-cloud] ec2: notifications not delivered', error));
    clearTimeout(timer);
    const at = nextSettleAt(store.data, timing.pendingMs, timing.snapshotMs);
    // A transition long overdue after settling would never settle: arm nothing rather than spin.
    if (stopped || at === undefined || at < timing.now() - 1000) return;
    timer = setTimeout(() => {
      if (settle(store.data, timing.now(), timing.pendingMs, timing.snapshotMs)) store.save();
      changed();
    }, Math.max(0, at - timing.now()) + 1);
    timer.unref();
  };
  return {
    changed,
    stop: () => {
      stopped = true;
      clearTimeout(timer);
    },
  };
}
