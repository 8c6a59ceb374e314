import { randomUUID } from 'node:crypto';
import { LOCAL_ACCOUNT, LOCAL_REGION } from '../core/arn.ts';
import type { EventEnvelope } from './events-delivery.ts';
import type { Ec2State } from './ec2-model.ts';

/**
 * The notifications EC2 sends to the default EventBridge bus, in AWS's shapes:
 * - "EC2 Instance State-change Notification" for every state an instance enters
 *   (https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/monitoring-instance-state-changes.html);
 * - "EBS Snapshot Notification", event createSnapshot, result succeeded, when a snapshot completes
 *   (https://docs.aws.amazon.com/ebs/latest/userguide/ebs-cloud-watch-events.html); its
 *   snapshot_id and source are ARNs with an empty account field, as AWS writes them.
 */

/** The states notifications are about, taken before and after a change. */
export interface Ec2Picture {
  instances: Map<string, string>;
  snapshots: Map<string, string>;
}

export function pictureOf(state: Ec2State): Ec2Picture {
  return {
    instances: new Map(Object.values(state.instances).map((i) => [i.id, i.state])),
    snapshots: new Map(Object.values(state.snapshots).map((s) => [s.id, s.status])),
  };
}

const isoSeconds = (ms: number): string => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
type Notification = Omit<EventEnvelope, 'version'>;

function envelope(detailType: string, resources: string[], detail: Record<string, unknown>, now: number): Notification {
  return { id: randomUUID(), 'detail-type': detailType, source: 'aws.ec2', account: LOCAL_ACCOUNT, time: isoSeconds(now), region: LOCAL_REGION, resources, detail };
}

/** The notifications for what changed between two pictures, instances first, in id order. */
export function notificationsBetween(before: Ec2Picture, after: Ec2Picture, state: Ec2State, now: number): Notification[] {
  const out: Notification[] = [];
  for (const [id, current] of [...after.instances].sort(([a], [b]) => a.localeCompare(b))) {
    if (before.instances.get(id) === current) continue;
    out.push(envelope('EC2 Instance State-change Notification', [`arn:aws:ec2:${LOCAL_REGION}:${LOCAL_ACCOUNT}:instance/${id}`], { 'instance-id': id, state: current }, now));
  }
  for (const [id, current] of [...after.snapshots].sort(([a], [b]) => a.localeCompare(b))) {
    if (current !== 'completed' || before.snapshots.get(id) === 'completed') continue;
    const snapshot = state.snapshots[id];
    const arn = `arn:aws:ec2:${LOCAL_REGION}::snapshot/${id}`;
    out.push(
      envelope(
        'EBS Snapshot Notification',
        [arn],
        {
          event: 'createSnapshot',
          result: 'succeeded',
          cause: '',
          'request-id': '',
          snapshot_id: arn,
          source: `arn:aws:ec2:${LOCAL_REGION}::volume/${snapshot?.volumeId ?? ''}`,
          startTime: isoSeconds(snapshot?.startedAt ?? now),
          endTime: isoSeconds(snapshot?.since ?? now),
        },
        now,
      ),
    );
  }
  return out;
}

/** When the next transitional resource settles (epoch ms), or undefined when nothing is moving. */
export function nextSettleAt(state: Ec2State, pendingMs: number, snapshotMs: number): number | undefined {
  const times: number[] = [];
  for (const i of Object.values(state.instances)) if (['pending', 'stopping', 'shutting-down'].includes(i.state)) times.push(i.stateSince + pendingMs);
  for (const v of Object.values(state.volumes)) {
    if (v.status === 'creating') times.push(v.since + pendingMs);
    if (v.attachment && v.attachment.status !== 'attached') times.push(v.attachment.since + pendingMs);
  }
  for (const s of Object.values(state.snapshots)) if (s.status === 'pending') times.push(s.since + snapshotMs);
  return times.length > 0 ? Math.min(...times) : undefined;
}
