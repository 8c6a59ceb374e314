import { DescribeInstancesCommand, DescribeSnapshotsCommand, type EC2Client, type Filter } from '@aws-sdk/client-ec2';
import { callAws } from './call-aws.ts';
import { allPages } from './pages.ts';
import type { Ec2Observer } from '../../domain/ec2-waits/ports.ts';
import type { Observed } from '../../domain/ec2-waits/waits.ts';
import { RETAIN_TAG, TAGS } from './ec2-model.ts';

/**
 * What the EC2 waits look at: the employee's managed instances (or the given instance ids) and
 * the employee's retained snapshots, with their states, every page.
 */
export function createEc2Observer(client: Pick<EC2Client, 'send'>): Ec2Observer {
  async function instances(filters: Filter[], instanceIds?: readonly string[]): Promise<Observed[]> {
    const reservations = await allPages(async (token) => {
      const out = await callAws('DescribeInstances', () =>
        client.send(
          new DescribeInstancesCommand({
            ...(instanceIds ? { InstanceIds: [...instanceIds] } : { Filters: filters }),
            ...(token ? { NextToken: token } : {}),
          }),
        ),
      );
      return { items: out.Reservations ?? [], next: out.NextToken };
    });
    return reservations.flatMap((r) => r.Instances ?? []).flatMap((instance) => (instance.InstanceId ? [{ id: instance.InstanceId, state: instance.State?.Name ?? 'unknown' }] : []));
  }

  async function snapshots(filters: Filter[]): Promise<Observed[]> {
    const found = await allPages(async (token) => {
      const out = await callAws('DescribeSnapshots', () =>
        client.send(new DescribeSnapshotsCommand({ OwnerIds: ['self'], Filters: filters, ...(token ? { NextToken: token } : {}) })),
      );
      return { items: out.Snapshots ?? [], next: out.NextToken };
    });
    return found.flatMap((snapshot) => (snapshot.SnapshotId ? [{ id: snapshot.SnapshotId, state: snapshot.State ?? 'unknown' }] : []));
  }

  return {
    observe(until, { employeeId, instanceIds }) {
      const employee: Filter = { Name: `tag:${TAGS.employeeId}`, Values: [employeeId] };
      if (until === 'snapshots-completed') return snapshots([employee, { Name: `tag:${RETAIN_TAG}`, Values: ['true'] }]);
      return instances([employee, { Name: `tag:${TAGS.managed}`, Values: ['true'] }], instanceIds);
    },
  };
}
