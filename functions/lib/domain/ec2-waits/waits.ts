import { z } from 'zod';

/**
 * Waiting for EC2 by events, not by polling (issue #12). A workflow step that finds EC2 still
 * settling (an instance pending or stopping, a snapshot pending) parks its task token under the
 * id of each resource it waits for; EC2 says when each one settles with a notification on the
 * default EventBridge bus, and the rule's target resumes the tokens parked under that id.
 * The task's TimeoutSeconds is the safety poll: when it passes, the step checks again.
 *
 * - "EC2 Instance State-change Notification": detail `instance-id`, `state`
 *   (https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/monitoring-instance-state-changes.html).
 * - "EBS Snapshot Notification" with detail `event` createSnapshot, `result` succeeded | failed,
 *   `snapshot_id` as an ARN (https://docs.aws.amazon.com/ebs/latest/userguide/ebs-cloud-watch-events.html).
 */

export const WAIT_UNTIL = ['instances-running', 'instances-stopped', 'instances-terminated', 'snapshots-completed'] as const;
export type WaitUntil = (typeof WAIT_UNTIL)[number];

/** What a resource is now, as EC2 describes it. */
export interface Observed {
  id: string;
  state: string;
}

/** The states each wait is still waiting through; any other state ends the wait (the step decides). */
const STILL_SETTLING: Record<WaitUntil, readonly string[]> = {
  'instances-running': ['pending'],
  'instances-stopped': ['stopping'],
  'instances-terminated': ['shutting-down'],
  'snapshots-completed': ['pending'],
};

/** The ids of the resources still settling towards what `until` waits for. */
export function stillSettling(until: WaitUntil, observed: readonly Observed[]): string[] {
  return observed.filter((resource) => STILL_SETTLING[until].includes(resource.state)).map((resource) => resource.id);
}

/** Whether a resource in `state` no longer holds up a wait for `until`. */
export function isSettledFor(until: WaitUntil, state: string): boolean {
  return !STILL_SETTLING[until].includes(state);
}

/** Whether a wait that began at `since` has used up its deadline. */
export function deadlinePassed(since: Date, now: Date, deadlineSeconds: number): boolean {
  return now.getTime() - since.getTime() > deadlineSeconds * 1000;
}

const instanceStateChange = z.object({
  source: z.literal('aws.ec2'),
  'detail-type': z.literal('EC2 Instance State-change Notification'),
  detail: z.object({ 'instance-id': z.string().min(1), state: z.string().min(1) }),
});

const snapshotNotification = z.object({
  source: z.literal('aws.ec2'),
  'detail-type': z.literal('EBS Snapshot Notification'),
  detail: z.object({ event: z.literal('createSnapshot'), result: z.string().min(1), snapshot_id: z.string().min(1) }),
});

/** What an EC2 notification says about one resource. */
export interface ResourceNews {
  resourceId: string;
  state: string;
}

/** The resource an EC2 notification is about, or undefined for any other event (ignored). */
export function newsOf(event: unknown): ResourceNews | undefined {
  const instance = instanceStateChange.safeParse(event);
  if (instance.success) return { resourceId: instance.data.detail['instance-id'], state: instance.data.detail.state };
  const snapshot = snapshotNotification.safeParse(event);
  if (snapshot.success) {
    // snapshot_id is an ARN: arn:aws:ec2:<region>::snapshot/snap-...
    const resourceId = snapshot.data.detail.snapshot_id.split('/').pop() ?? '';
    return resourceId ? { resourceId, state: snapshot.data.detail.result === 'succeeded' ? 'completed' : 'error' } : undefined;
  }
  return undefined;
}
