import { CreateSnapshotCommand, CreateVolumeCommand, EC2Client, RunInstancesCommand, StopInstancesCommand } from '@aws-sdk/client-ec2';
import { describe, expect, it } from 'vitest';
import type { EventEnvelope } from '../../local/emulators/events-delivery.ts';
import { createEc2Emulator } from '../../local/emulators/ec2.ts';
import { clientConfig, noFaults, serve } from '../support/emulator.ts';
import { until } from '../support/poll.ts';

/**
 * The local EC2's notifications on the default bus, in AWS's shapes:
 * https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/monitoring-instance-state-changes.html
 * https://docs.aws.amazon.com/ebs/latest/userguide/ebs-cloud-watch-events.html
 * They come when the change happens (a timer settles the transition), with no API call.
 */
const PENDING_MS = 100;
const SNAPSHOT_MS = 600;
const seen: (Omit<EventEnvelope, 'version'> & { at: number })[] = [];
const emulator = createEc2Emulator(
  { faults: noFaults() },
  { pendingMs: PENDING_MS, snapshotMs: SNAPSHOT_MS, notify: (events) => (seen.push(...events.map((e) => ({ ...e, at: Date.now() }))), Promise.resolve()) },
);
const ec2 = new EC2Client(clientConfig(await serve(emulator)));
const states = (id: string) => seen.filter((e) => e.detail['instance-id'] === id).map((e) => e.detail.state);

describe('local EC2 notifications', () => {
  it('sends an EC2 Instance State-change Notification for every state an instance enters', async () => {
    const run = await ec2.send(new RunInstancesCommand({ ImageId: 'ami-0123456789abcdef0', InstanceType: 't3.micro', MinCount: 1, MaxCount: 1 }));
    const id = run.Instances?.[0]?.InstanceId ?? '';
    await until(() => states(id), (s) => s.includes('running'), { timeoutMs: 5_000 });
    await ec2.send(new StopInstancesCommand({ InstanceIds: [id] }));
    await until(() => states(id), (s) => s.includes('stopped'), { timeoutMs: 5_000 });
    expect(states(id)).toEqual(['pending', 'running', 'stopping', 'stopped']);
    const running = seen.find((e) => e.detail['instance-id'] === id && e.detail.state === 'running');
    expect(running).toMatchObject({
      'detail-type': 'EC2 Instance State-change Notification',
      source: 'aws.ec2',
      account: '000000000000',
      region: 'us-east-1',
      resources: [`arn:aws:ec2:us-east-1:000000000000:instance/${id}`],
      detail: { 'instance-id': id, state: 'running' },
    });
    expect(running?.time).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  });

  it('sends an EBS Snapshot Notification (createSnapshot, succeeded) when the snapshot completes, after snapshotMs', async () => {
    const volume = await ec2.send(new CreateVolumeCommand({ AvailabilityZone: 'us-east-1a', Size: 8 }));
    const started = Date.now();
    const snapshot = await ec2.send(new CreateSnapshotCommand({ VolumeId: volume.VolumeId }));
    const id = snapshot.SnapshotId ?? '';
    const event = await until(() => seen.find((e) => e['detail-type'] === 'EBS Snapshot Notification' && e.resources[0]?.endsWith(id)), Boolean, { timeoutMs: 5_000 });
    expect((event?.at ?? 0) - started).toBeGreaterThanOrEqual(SNAPSHOT_MS);
    expect(event).toMatchObject({
      source: 'aws.ec2',
      resources: [`arn:aws:ec2:us-east-1::snapshot/${id}`],
      detail: {
        event: 'createSnapshot',
        result: 'succeeded',
        cause: '',
        'request-id': '',
        snapshot_id: `arn:aws:ec2:us-east-1::snapshot/${id}`,
        source: `arn:aws:ec2:us-east-1::volume/${volume.VolumeId}`,
      },
    });
    expect(Date.parse(String(event?.detail.endTime))).toBeGreaterThanOrEqual(Date.parse(String(event?.detail.startTime)));
  });
});
