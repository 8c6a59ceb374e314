import { describe, expect, it } from 'vitest';
import { awaitEc2Event, Ec2WaitDeadlineError, resumeEc2Waits } from '../../../functions/lib/domain/ec2-waits/await-ec2-event.ts';
import type { Ec2Observer, ParkedToken, TaskResumer, WaitStore } from '../../../functions/lib/domain/ec2-waits/ports.ts';
import { newsOf, type Observed } from '../../../functions/lib/domain/ec2-waits/waits.ts';

/** In-memory fakes of the ports (the DynamoDB adapter is exercised end to end by the e2e tests). */
function fakeStore(): WaitStore & { parked: ParkedToken[]; began: Map<string, Date> } {
  const parked: ParkedToken[] = [];
  const began = new Map<string, Date>();
  return {
    parked,
    began,
    beganAt: (key, now) => {
      if (!began.has(key)) began.set(key, now);
      return Promise.resolve(began.get(key) ?? now);
    },
    park: (ids, until, taskToken) => {
      for (const resourceId of ids) parked.push({ resourceId, until, taskToken, parkingId: `${taskToken}#${resourceId}` });
      return Promise.resolve();
    },
    parkedUnder: (resourceId) => Promise.resolve(parked.filter((p) => p.resourceId === resourceId)),
    unpark: ({ resourceId, parkingId }) => {
      const i = parked.findIndex((p) => p.resourceId === resourceId && p.parkingId === parkingId);
      if (i >= 0) parked.splice(i, 1);
      return Promise.resolve();
    },
  };
}
const resumer = (): TaskResumer & { resumed: { token: string; output: unknown }[]; gone: Set<string> } => {
  const resumed: { token: string; output: unknown }[] = [];
  const gone = new Set<string>();
  return { resumed, gone, succeed: (token, output) => (gone.has(token) ? Promise.resolve('task-gone') : (resumed.push({ token, output }), Promise.resolve('delivered'))) };
};
/** An observer answering each look with the next picture (the last one repeats). */
const observer = (...looks: Observed[][]): Ec2Observer & { calls: number } => {
  const o = { calls: 0, observe: () => Promise.resolve(looks[Math.min(o.calls++, looks.length - 1)] ?? []) };
  return o;
};
const clock = (iso: string) => ({ now: () => new Date(iso) });
const request = { taskToken: 'tok-1', until: 'snapshots-completed' as const, employeeId: 'E1', waitKey: 'leave-1/snapshots', deadlineSeconds: 21_600 };

describe('awaitEc2Event', () => {
  it('parks the token under every snapshot still pending, and resumes nothing yet', async () => {
    const store = fakeStore();
    const r = resumer();
    const pending = [{ id: 'snap-1', state: 'pending' }, { id: 'snap-2', state: 'pending' }, { id: 'snap-3', state: 'completed' }];
    const result = await awaitEc2Event({ store, resumer: r, observer: observer(pending), clock: clock('2026-12-03T10:00:00Z') }, request);
    expect(result).toEqual({ parked: ['snap-1', 'snap-2'] });
    expect(store.parked.map((p) => [p.resourceId, p.until, p.taskToken])).toEqual([['snap-1', 'snapshots-completed', 'tok-1'], ['snap-2', 'snapshots-completed', 'tok-1']]);
    expect(r.resumed).toEqual([]);
  });

  it('resumes at once when nothing is settling', async () => {
    const r = resumer();
    const result = await awaitEc2Event({ store: fakeStore(), resumer: r, observer: observer([{ id: 'snap-1', state: 'completed' }]), clock: clock('2026-12-03T10:00:00Z') }, request);
    expect(result).toEqual({ parked: [] });
    expect(r.resumed).toEqual([{ token: 'tok-1', output: { until: 'snapshots-completed', settled: true } }]);
  });

  it('resumes when a resource settled between the first look and the parking (its notification found no token)', async () => {
    const r = resumer();
    const o = observer([{ id: 'snap-1', state: 'pending' }], [{ id: 'snap-1', state: 'completed' }]);
    await awaitEc2Event({ store: fakeStore(), resumer: r, observer: o, clock: clock('2026-12-03T10:00:00Z') }, request);
    expect(o.calls).toBe(2);
    expect(r.resumed.map((x) => x.token)).toEqual(['tok-1']);
  });

  it('fails with Ec2WaitDeadlineError once the wait began longer ago than its deadline, and parks nothing', async () => {
    const store = fakeStore();
    store.began.set(request.waitKey, new Date('2026-12-03T04:00:00Z'));
    const deps = { store, resumer: resumer(), observer: observer([{ id: 'snap-1', state: 'pending' }]), clock: clock('2026-12-03T10:00:01Z') };
    await expect(awaitEc2Event(deps, request)).rejects.toBeInstanceOf(Ec2WaitDeadlineError);
    expect(store.parked).toEqual([]);
    const justInside = { ...deps, clock: clock('2026-12-03T10:00:00Z') };
    await expect(awaitEc2Event(justInside, request)).resolves.toEqual({ parked: ['snap-1'] });
  });
});

describe('resumeEc2Waits and newsOf', () => {
  const instanceEvent = (state: string) => ({ version: '0', source: 'aws.ec2', 'detail-type': 'EC2 Instance State-change Notification', detail: { 'instance-id': 'i-0123456789abcdef0', state } });

  it('reads the resource of each notification AWS documents, and nothing else', () => {
    expect(newsOf(instanceEvent('stopped'))).toEqual({ resourceId: 'i-0123456789abcdef0', state: 'stopped' });
    const snapshot = { source: 'aws.ec2', 'detail-type': 'EBS Snapshot Notification', detail: { event: 'createSnapshot', result: 'succeeded', snapshot_id: 'arn:aws:ec2:us-west-2::snapshot/snap-01234567' } };
    expect(newsOf(snapshot)).toEqual({ resourceId: 'snap-01234567', state: 'completed' });
    expect(newsOf({ ...snapshot, detail: { ...snapshot.detail, result: 'failed' } })).toEqual({ resourceId: 'snap-01234567', state: 'error' });
    expect(newsOf({ ...snapshot, detail: { ...snapshot.detail, event: 'copySnapshot' } })).toBeUndefined();
    expect(newsOf({ source: 'gatehouse.hris', 'detail-type': 'employee.left', detail: {} })).toBeUndefined();
  });

  it('resumes the tokens parked on the instance once it left the states they wait through, then unparks them', async () => {
    const store = fakeStore();
    await store.park(['i-0123456789abcdef0'], 'instances-stopped', 'tok-stop', new Date());
    await store.park(['i-0123456789abcdef0'], 'instances-running', 'tok-run', new Date());
    const r = resumer();
    await expect(resumeEc2Waits({ store, resumer: r }, { resourceId: 'i-0123456789abcdef0', state: 'stopping' })).resolves.toEqual({ resumed: 1 });
    expect(r.resumed.map((x) => x.token)).toEqual(['tok-run']);
    expect(store.parked.map((p) => p.taskToken)).toEqual(['tok-stop']);
    r.gone.add('tok-stop');
    await expect(resumeEc2Waits({ store, resumer: r }, { resourceId: 'i-0123456789abcdef0', state: 'stopped' })).resolves.toEqual({ resumed: 0 });
    expect(store.parked).toEqual([]);
  });
});
