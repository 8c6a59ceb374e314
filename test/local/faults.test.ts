import { CreateUserCommand, IdentitystoreClient, ListGroupsCommand, ListUsersCommand, ThrottlingException } from '@aws-sdk/client-identitystore';
import { describe, expect, it } from 'vitest';
import { AWS_QUOTAS } from '../../local/core/aws-quotas.ts';
import { FaultInjector, FaultSpecError, parseFaultSpec } from '../../local/core/faults.ts';
import { createEc2Emulator } from '../../local/emulators/ec2.ts';
import { createIdentityStoreEmulator } from '../../local/emulators/identitystore.ts';
import { clientConfig, serve } from '../support/emulator.ts';

/** A clock the test moves by hand: token buckets refill with it, nothing sleeps. */
function manualClock(start = 1_000_000) {
  let now = start;
  return { now: () => now, advance: (ms: number) => (now += ms) };
}

/** How many of `calls` calls at the current instant pass. */
async function passing(faults: FaultInjector, calls: number, service: string, operation: string, unpaged = false): Promise<number> {
  let passed = 0;
  for (let i = 0; i < calls; i++) if (!(await faults.shouldThrottle(service, operation, { unpaged }))) passed++;
  return passed;
}

describe('fault specs', () => {
  it('reads throttle, latency, rate and burst settings', () => {
    expect(parseFaultSpec('identitystore:*:throttle=0.2;ec2:RunInstances:latency=200;identitystore:*:rate=20;ec2:*:rate=aws;sfn:StartExecution:rate=2,burst=5')).toEqual([
      { service: 'identitystore', operation: '*', throttle: 0.2, latencyMs: 0 },
      { service: 'ec2', operation: 'RunInstances', throttle: 0, latencyMs: 200 },
      { service: 'identitystore', operation: '*', throttle: 0, latencyMs: 0, rate: 20 },
      { service: 'ec2', operation: '*', throttle: 0, latencyMs: 0, rate: 'aws' },
      { service: 'sfn', operation: 'StartExecution', throttle: 0, latencyMs: 0, rate: 2, burst: 5 },
    ]);
    expect(parseFaultSpec('  ')).toEqual([]);
  });

  it.each([
    ['iam:*:throttle=0.5', /unknown service "iam"/],
    ['ec2:run-instances:throttle=0.5', /operation must be an API operation name/],
    ['ec2:*:rate=0', /rate/],
    ['ec2:*:rate=fast', /"rate=fast" needs a number or aws/],
    ['ec2:*:burst=5', /burst needs a numeric rate/],
    ['ec2:*:rate=aws,burst=5', /burst needs a numeric rate/],
    ['ec2:*:jitter=5', /unknown fault setting "jitter"/],
  ])('refuses %s', (spec, message) => {
    expect(() => parseFaultSpec(spec)).toThrow(FaultSpecError);
    expect(() => parseFaultSpec(spec)).toThrow(message);
  });
});

describe('rules one by one', () => {
  it('gives each added rule an id, removes one by id, and a bad rule changes nothing', () => {
    const faults = new FaultInjector();
    const [slow] = faults.add(parseFaultSpec('ec2:RunInstances:latency=50'));
    const [flaky] = faults.add(parseFaultSpec('identitystore:*:throttle=0.25'));

    expect(faults.current().map((rule) => rule.id)).toEqual([slow?.id, flaky?.id]);
    expect(() => faults.add([{ service: 'ec2', operation: '*', throttle: 0.1 }, { service: 'iam', operation: '*' }])).toThrow(/unknown service "iam"/);
    expect(() => faults.set([{ service: 'iam', operation: '*' }])).toThrow(FaultSpecError);
    expect(faults.current()).toHaveLength(2);
    expect(faults.remove(slow?.id ?? '')).toBe(true);
    expect(faults.remove(slow?.id ?? '')).toBe(false);
    expect(faults.current()).toEqual([{ id: flaky?.id, service: 'identitystore', operation: '*', throttle: 0.25, latencyMs: 0 }]);
  });
});

describe('operations the emulators serve', () => {
  it('refuses a rule naming an operation the service does not serve (a typo would silently match nothing)', () => {
    const faults = new FaultInjector();
    createEc2Emulator({ faults }, { pendingMs: 10 });

    expect(() => faults.add(parseFaultSpec('ec2:RunInstance:throttle=1'))).toThrow(/unknown operation "RunInstance" of ec2 \(the local cloud serves .*RunInstances/);
    expect(faults.add(parseFaultSpec('ec2:RunInstances:throttle=1;ec2:*:latency=5'))).toHaveLength(2);
    expect(faults.add(parseFaultSpec('identitystore:AnyName:throttle=1'))).toHaveLength(1);
  });
});

describe('rate mode: token buckets', () => {
  it('rate=20 on * is one bucket across the API: a burst of 20, then 20 per second', async () => {
    const clock = manualClock();
    const faults = new FaultInjector(parseFaultSpec('identitystore:*:rate=20'), () => 1, clock.now);

    expect((await passing(faults, 15, 'identitystore', 'ListUsers')) + (await passing(faults, 10, 'identitystore', 'CreateUser'))).toBe(20);
    clock.advance(50);
    expect(await passing(faults, 3, 'identitystore', 'DescribeUser')).toBe(1);
    clock.advance(10_000);
    expect(await passing(faults, 30, 'identitystore', 'ListUsers')).toBe(20);
    expect(await passing(faults, 5, 'ec2', 'DescribeVolumes')).toBe(5);
    expect(faults.throttled.get('identitystore:ListUsers')).toBe(10);
  });

  it('rate on one operation limits only that operation, burst sets the bucket size', async () => {
    const clock = manualClock();
    const faults = new FaultInjector(parseFaultSpec('sfn:StartExecution:rate=2,burst=5'), () => 1, clock.now);

    expect(await passing(faults, 8, 'sfn', 'StartExecution')).toBe(5);
    expect(await passing(faults, 8, 'sfn', 'DescribeExecution')).toBe(8);
    clock.advance(1_000);
    expect(await passing(faults, 8, 'sfn', 'StartExecution')).toBe(2);
  });

  it("rate=aws applies AWS's quotas: Identity Store 20 per second across the API", async () => {
    const clock = manualClock();
    const faults = new FaultInjector(parseFaultSpec('identitystore:*:rate=aws'), () => 1, clock.now);

    expect((await passing(faults, 10, 'identitystore', 'GetUserId')) + (await passing(faults, 20, 'identitystore', 'CreateGroupMembership'))).toBe(20);
    clock.advance(1_000);
    expect(await passing(faults, 25, 'identitystore', 'ListGroups')).toBe(20);
  });

  it("rate=aws: sso-admin and the Identity Store share Identity Center's one collective 20 per second", async () => {
    const clock = manualClock();
    const faults = new FaultInjector(parseFaultSpec('identitystore:*:rate=aws;sso-admin:*:rate=aws'), () => 1, clock.now);

    expect((await passing(faults, 12, 'identitystore', 'GetUserId')) + (await passing(faults, 12, 'sso-admin', 'CreateAccountAssignment'))).toBe(20);
    expect(await passing(faults, 1, 'sso-admin', 'DescribeAccountAssignmentCreationStatus')).toBe(0);
    clock.advance(1_000);
    expect(await passing(faults, 25, 'sso-admin', 'ListAccountAssignmentsForPrincipal')).toBe(20);
    expect(faults.throttled.get('sso-admin:CreateAccountAssignment')).toBe(4);
  });

  it('rate=aws for EC2: a bucket per action, and the smaller one for unfiltered, unpaginated Describe calls', async () => {
    const clock = manualClock();
    const faults = new FaultInjector(parseFaultSpec('ec2:*:rate=aws'), () => 1, clock.now);

    expect(await passing(faults, 60, 'ec2', 'DescribeVolumes', true)).toBe(50);
    expect(await passing(faults, 120, 'ec2', 'DescribeVolumes', false)).toBe(100);
    expect(await passing(faults, 120, 'ec2', 'DescribeInstances', false)).toBe(100);
    expect(await passing(faults, 10, 'ec2', 'RunInstances')).toBe(5);
    expect(await passing(faults, 60, 'ec2', 'AttachVolume')).toBe(50);
    clock.advance(1_000);
    expect(await passing(faults, 10, 'ec2', 'RunInstances')).toBe(2);
    expect(await passing(faults, 30, 'ec2', 'DescribeVolumes', false)).toBe(20);
  });

  it('removing a rate rule removes its limit', async () => {
    const clock = manualClock();
    const faults = new FaultInjector([], () => 1, clock.now);
    const [rule] = faults.add(parseFaultSpec('secretsmanager:*:rate=aws'));
    expect(await passing(faults, 120, 'secretsmanager', 'ListSecrets')).toBe(100);

    faults.remove(rule?.id ?? '');

    expect(await passing(faults, 120, 'secretsmanager', 'ListSecrets')).toBe(120);
  });

  it('cites a source for every service it models', () => {
    for (const [service, { source, quotas }] of Object.entries(AWS_QUOTAS)) {
      expect(source, service).toMatch(/^https:\/\/docs\.aws\.amazon\.com\//);
      expect(quotas.length, service).toBeGreaterThan(0);
    }
  });
});

describe('rate mode through a protocol', () => {
  it("answers the service's ThrottlingException past the quota, and serves again once the bucket refills", async () => {
    const clock = manualClock();
    const faults = new FaultInjector(parseFaultSpec('identitystore:*:rate=aws'), () => 1, clock.now);
    const client = new IdentitystoreClient(clientConfig(await serve(createIdentityStoreEmulator({ faults }, { identityStoreIds: ['d-1234567890'] })), 1));
    const call = (i: number) =>
      (i % 2 === 0 ? client.send(new ListUsersCommand({ IdentityStoreId: 'd-1234567890' })) : client.send(new ListGroupsCommand({ IdentityStoreId: 'd-1234567890' }))).then(
        () => 'ok',
        (error: unknown) => error,
      );

    const answers = [];
    for (let i = 0; i < 21; i++) answers.push(await call(i));
    clock.advance(100);
    const afterRefill = await call(0);

    expect(answers.slice(0, 20)).toEqual(Array(20).fill('ok'));
    expect(answers[20]).toBeInstanceOf(ThrottlingException);
    expect(afterRefill).toBe('ok');
  });

  it("a burst past Identity Store's 20 per second is ridden out by the SDK's own retries, each user created once", async () => {
    // The buckets' clock runs at a quarter of real speed: 30 calls are past 20 per second even when a loaded
    // machine spreads the burst over a second and a half (with real time, such a run saw no throttle at all).
    const faults = new FaultInjector(parseFaultSpec('identitystore:*:rate=aws'), Math.random, () => Date.now() / 4);
    const client = new IdentitystoreClient(clientConfig(await serve(createIdentityStoreEmulator({ faults }, { identityStoreIds: ['d-1234567890'] })), 10));
    const create = (i: number) =>
      client.send(new CreateUserCommand({ IdentityStoreId: 'd-1234567890', UserName: `burst-${i}`, DisplayName: `B ${i}`, Name: { GivenName: 'B', FamilyName: `${i}` } }));

    const results = await Promise.allSettled(Array.from({ length: 30 }, (_, i) => create(i)));
    const listed = await client.send(new ListUsersCommand({ IdentityStoreId: 'd-1234567890', MaxResults: 100 }));

    expect(results.filter((r) => r.status === 'rejected')).toEqual([]);
    expect(listed.Users?.map((u) => u.UserName).sort()).toEqual(Array.from({ length: 30 }, (_, i) => `burst-${i}`).sort());
    expect(faults.throttled.get('identitystore:CreateUser')).toBeGreaterThan(0);
  });
});
