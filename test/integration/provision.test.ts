import { readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { DescribeInstancesCommand, DescribeVolumesCommand, EC2Client, type Instance, type Volume } from '@aws-sdk/client-ec2';
import {
  CreateGroupCommand,
  CreateGroupMembershipCommand,
  CreateUserCommand,
  GetUserIdCommand,
  IdentitystoreClient,
  ListGroupMembershipsForMemberCommand,
  ListUsersCommand,
} from '@aws-sdk/client-identitystore';
import { DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { createAuditStore } from '#lib/adapters/dynamodb/audit';
import { verifyChain } from '#lib/domain/audit/chain';
import { resolveEntitlements } from '#lib/domain/catalogue/resolve';
import { roleCatalogue } from '#lib/runtime/catalogue';
import type { Employee } from '#lib/domain/events/employee-events';
import { FaultInjector } from '../../local/core/faults.ts';
import { createEc2Emulator } from '../../local/emulators/ec2.ts';
import { createIdentityStoreEmulator } from '../../local/emulators/identitystore.ts';
import { LOCAL_IDENTITY_STORE_ID, localFunctionEnv } from '../../local/function-env.ts';
import { decideRetry, parseRetriers } from '../../local/sfn/retry.ts';
import type { JsonValue } from '../../local/sfn/types.ts';
import { localTableSpecs } from '../../local/tables.ts';
import { createTestTables } from '../support/dynamodb.ts';
import { clientConfig, serve } from '../support/emulator.ts';
import { invoke } from '../support/lambda.ts';
import { until } from '../support/poll.ts';

/**
 * The joiner's provisioning steps, run through their production handlers against the real
 * Identity Store and EC2 emulators and DynamoDB Local, retried the way the ASL retries them.
 */

// ---- the local cloud for this file ---------------------------------------------------------

/** A seeded generator, so the 50 % throttle test throttles the same calls on every run. */
function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const faults = new FaultInjector([], seeded(20_261_105));
const identityEmulator = createIdentityStoreEmulator({ faults }, { identityStoreIds: [LOCAL_IDENTITY_STORE_ID] });
/**
 * CreateUser responses to lose: the first is carried out and answered 500, the rest answered 500
 * untouched. 1 = the SDK's own retry meets ConflictException; 3 (the SDK's attempts) = the
 * invocation fails after CreateUser took effect, like a crash, and the ASL Retry runs it again.
 */
let lostCreateUserResponses = 0;
let createUserCarriedOut = false;
const identityUrl = await serve({
  ...identityEmulator,
  handler: async (req) => {
    if (lostCreateUserResponses === 0 || req.headers['x-amz-target'] !== 'AWSIdentityStore.CreateUser') return identityEmulator.handler(req);
    lostCreateUserResponses -= 1;
    if (!createUserCarriedOut) await identityEmulator.handler(req);
    createUserCarriedOut = true;
    return {
      status: 500,
      headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-errortype': 'InternalServerException' },
      body: JSON.stringify({ __type: 'InternalServerException', message: 'response lost (test)' }),
    };
  },
});
const ec2Url = await serve(createEc2Emulator({ faults }, { pendingMs: 100 }));
const specs = localTableSpecs({ tablePrefix: '', frontDoorUrl: '' });
const auditSpec = specs.find((spec) => spec.create.TableName === 'audit');
const employeesSpec = specs.find((spec) => spec.create.TableName === 'employees');
if (!auditSpec || !employeesSpec) throw new Error('no audit or employees table in infra/spec/tables.ts');
const tables = await createTestTables('provision', { audit: auditSpec, employees: employeesSpec });
afterAll(() => tables.drop());

// Clients and config load at import: the environment must be complete before the handlers are imported.
Object.assign(process.env, localFunctionEnv({ tablePrefix: tables.prefix, frontDoorUrl: 'http://127.0.0.1:1' }), {
  AWS_ENDPOINT_URL_IDENTITYSTORE: identityUrl,
  AWS_ENDPOINT_URL_EC2: ec2Url,
  AWS_ENDPOINT_URL_DYNAMODB: tables.endpoint,
});
const { handler: provisionIdentity } = await import('../../functions/provision-identity/handler.ts');
const { handler: launchWorkstation } = await import('../../functions/launch-workstation/handler.ts');
const { handler: checkWorkstation } = await import('../../functions/check-workstation/handler.ts');
const { handler: attachStorage } = await import('../../functions/attach-storage/handler.ts');
const { handler: compensateJoiner } = await import('../../functions/compensate-provisioning/handler.ts');

/** Independent clients to look at what the handlers did. */
const identityStore = new IdentitystoreClient(clientConfig(identityUrl));
const ec2 = new EC2Client(clientConfig(ec2Url));
const audit = createAuditStore({ client: tables.client, tableName: tables.names.audit, clock: { now: () => new Date() } });
const doc = DynamoDBDocumentClient.from(tables.client);
const STORE = LOCAL_IDENTITY_STORE_ID;

// Groups are the administrators' job; Sales exists but no engineer gets it, DataScience does not exist.
const groupIds = new Map<string, string>();
for (const displayName of ['AllStaff', 'Engineering', 'ProdReadOnly', 'Sales']) {
  const out = await identityStore.send(new CreateGroupCommand({ IdentityStoreId: STORE, DisplayName: displayName }));
  groupIds.set(displayName, out.GroupId ?? '');
}

afterEach(() => {
  faults.set([]);
  lostCreateUserResponses = 0;
  createUserCarriedOut = false;
});

// ---- invoking handlers like Lambda and Step Functions do -------------------------------------

type Catcher = { ErrorEquals: string[]; Next: string };
const asl = JSON.parse(readFileSync(new URL('../../statemachines/joiner.asl.json', import.meta.url), 'utf8')) as {
  States: Record<string, { Retry?: JsonValue; Catch?: Catcher[]; Next?: string; Parameters?: { FunctionName?: string } }>;
};
/** Errors a state catches into an EC2 event wait that comes back to it ("Wait For Workstation To Run"). */
const waitsOn = (state: string): string[] =>
  (asl.States[state]?.Catch ?? [])
    .filter((c) => asl.States[c.Next]?.Parameters?.FunctionName === '${AwaitEc2EventFunctionArn}' && asl.States[c.Next]?.Next === state)
    .flatMap((c) => c.ErrorEquals);
/** Stands in for the EC2 notification that would end such a wait: look again this often, this many times. */
const EVENT_WAIT = { everyMs: 20, times: 500 };
/** ASL seconds become this many ms, so a 3 s poll interval takes 30 ms here. */
const MS_PER_ASL_SECOND = 10;

/** Errors each state retried, by name: the throttle test proves TransientError reached the ASL's Retry. */
const retried = new Map<string, number>();

/**
 * Runs a Task under the state's own Retry from joiner.asl.json, decided by the local Step Functions'
 * retry policy (`local/sfn/retry.ts`: first matching retrier, States.ALL / States.TaskFailed,
 * MaxAttempts, backoff, MaxDelaySeconds, full jitter), so this test cannot drift from the ASL or
 * from what the local cloud runs; only the clock is compressed.
 */
async function runState<R>(state: string, call: () => Promise<R>): Promise<R> {
  const retriers = parseRetriers(asl.States[state]?.Retry);
  if (retriers.length === 0) throw new Error(`state ${state} has no Retry in joiner.asl.json`);
  const counts = retriers.map(() => 0);
  let waits = 0;
  for (;;) {
    try {
      return await call();
    } catch (error) {
      const name = error instanceof Error ? error.name : 'States.Runtime';
      if (waitsOn(state).includes(name) && waits < EVENT_WAIT.times) {
        waits += 1;
        await sleep(EVENT_WAIT.everyMs);
        continue;
      }
      const decision = decideRetry(retriers, counts, name, true);
      if (!decision.retry) throw error;
      counts[decision.retrier] = (counts[decision.retrier] ?? 0) + 1;
      retried.set(name, (retried.get(name) ?? 0) + 1);
      await sleep((decision.delayMs / 1000) * MS_PER_ASL_SECOND);
    }
  }
}

// ---- fixtures ----------------------------------------------------------------------------------

let runs = 0;
/** A hire as Prepare Request leaves it: the employees item exists before Create Identity Center User runs. */
async function aJoiner(role = 'engineer') {
  runs += 1;
  const tag = `${Date.now().toString(36)}${runs}`;
  const employee: Employee = {
    employeeId: `E${tag}`,
    email: `joiner.${tag}@example.com`,
    firstName: 'Ana',
    lastName: 'Silva',
    role,
    employmentType: 'employee',
    startDate: '2026-03-02',
  };
  const entitlements = resolveEntitlements(roleCatalogue, role);
  await doc.send(
    new PutCommand({
      TableName: tables.names.employees,
      Item: { employeeId: employee.employeeId, status: 'active', role, email: employee.email, emailLower: employee.email },
    }),
  );
  const ids = {
    requestId: `req-${tag}`,
    employeeId: employee.employeeId,
    executionId: `arn:aws:states:us-east-1:000000000000:execution:gatehouse-joiner:dlv-${tag}`,
    executionName: `dlv-${tag}`,
  };
  return { ids, employee, entitlements, workstation: entitlements.find((entitlement) => entitlement.kind === 'workstation') };
}
type Joiner = Awaited<ReturnType<typeof aJoiner>>;

const identityEvent = (j: Joiner) => ({ ...j.ids, employee: j.employee, entitlements: j.entitlements });
const launchEvent = (j: Joiner) => ({ ...j.ids, workstation: j.workstation });

/** Create Identity Center User -> Launch Workstation -> Wait For Workstation -> Attach Storage. */
async function provision(j: Joiner) {
  const identity = await runState('Create Identity Center User', () => invoke(provisionIdentity, identityEvent(j)));
  const workstation = await runState('Launch Workstation', () => invoke(launchWorkstation, launchEvent(j)));
  const workstationState = await runState('Wait For Workstation', () =>
    invoke(checkWorkstation, { requestId: j.ids.requestId, employeeId: j.ids.employeeId, instanceId: workstation.instanceId }),
  );
  const storage = await runState('Attach Storage', () =>
    invoke(attachStorage, { ...launchEvent(j), instanceId: workstation.instanceId, availabilityZone: workstation.availabilityZone }),
  );
  return { identity, workstation, workstationState, storage };
}

const compensationEvent = (j: Joiner, results: object) => ({
  ...j.ids,
  employee: j.employee,
  entitlements: j.entitlements,
  error: { Error: 'States.TaskFailed', Cause: '{}' },
  results,
});

// ---- what exists -------------------------------------------------------------------------------

async function usersNamed(userName: string): Promise<string[]> {
  const out = await identityStore.send(
    new ListUsersCommand({ IdentityStoreId: STORE, Filters: [{ AttributePath: 'UserName', AttributeValue: userName }] }),
  );
  return (out.Users ?? []).map((user) => user.UserId ?? '');
}

async function groupsOfUser(userId: string): Promise<string[]> {
  const out = await identityStore.send(new ListGroupMembershipsForMemberCommand({ IdentityStoreId: STORE, MemberId: { UserId: userId } }));
  const names = new Map([...groupIds].map(([name, id]) => [id, name]));
  return (out.GroupMemberships ?? []).map((m) => names.get(m.GroupId ?? '') ?? '?').sort();
}

const byRequest = (requestId: string) => [{ Name: 'tag:gatehouse:request-id', Values: [requestId] }];

async function instancesOf(requestId: string): Promise<Instance[]> {
  const out = await ec2.send(new DescribeInstancesCommand({ Filters: byRequest(requestId) }));
  return (out.Reservations ?? []).flatMap((reservation) => reservation.Instances ?? []);
}

async function volumesOf(requestId: string): Promise<Volume[]> {
  return (await ec2.send(new DescribeVolumesCommand({ Filters: byRequest(requestId) }))).Volumes ?? [];
}

async function expectFullyProvisioned(j: Joiner, result: Awaited<ReturnType<typeof provision>>): Promise<void> {
  expect(await usersNamed(j.employee.email)).toEqual([result.identity.userId]);
  expect(await groupsOfUser(result.identity.userId)).toEqual(['AllStaff', 'Engineering', 'ProdReadOnly']);
  expect(result.identity.memberships.map((m) => m.entitlementId)).toEqual(['group:AllStaff', 'group:Engineering', 'group:ProdReadOnly']);
  expect(result.workstationState).toEqual({ state: 'running' });

  const instances = await instancesOf(j.ids.requestId);
  expect(instances).toHaveLength(1);
  expect(instances[0]).toMatchObject({
    InstanceId: result.workstation.instanceId,
    InstanceType: 'm7g.large',
    State: { Name: 'running' },
    SubnetId: process.env.WORKSTATION_SUBNET_ID,
    Placement: { AvailabilityZone: result.workstation.availabilityZone },
  });
  expect(instances[0]?.ImageId).toMatch(/^ami-[0-9a-f]{17}$/);
  expect(instances[0]?.Tags).toEqual(
    expect.arrayContaining([
      { Key: 'gatehouse:employee-id', Value: j.ids.employeeId },
      { Key: 'gatehouse:request-id', Value: j.ids.requestId },
      { Key: 'gatehouse:managed', Value: 'true' },
      { Key: 'Name', Value: `gatehouse-dev-arm-${j.ids.employeeId}` },
    ]),
  );

  const volumes = await volumesOf(j.ids.requestId);
  expect(volumes).toHaveLength(1);
  expect(volumes[0]).toMatchObject({
    VolumeId: result.storage.volumeId,
    Size: 100,
    VolumeType: 'gp3',
    Encrypted: true,
    AvailabilityZone: result.workstation.availabilityZone,
    Attachments: [{ InstanceId: result.workstation.instanceId, Device: '/dev/sdf', State: 'attached' }],
  });
}

// ---- the tests ---------------------------------------------------------------------------------

describe('joiner provisioning against the emulators', () => {
  it('provisions an engineer: user, memberships, a running instance and an attached data volume', async () => {
    const j = await aJoiner();

    const result = await provision(j);

    expect(result.identity.userCreated).toBe(true);
    await expectFullyProvisioned(j, result);
  });

  it('changes nothing when every step runs a second time', async () => {
    const j = await aJoiner();
    const first = await provision(j);

    const again = {
      identity: await invoke(provisionIdentity, identityEvent(j)),
      workstation: await invoke(launchWorkstation, launchEvent(j)),
      workstationState: await invoke(checkWorkstation, { ...j.ids, instanceId: first.workstation.instanceId }),
      storage: await invoke(attachStorage, { ...launchEvent(j), instanceId: first.workstation.instanceId, availabilityZone: first.workstation.availabilityZone }),
    };

    // Still this request's user: a rerun of the request that created it says so (user-ownership.ts).
    expect(again).toEqual(first);
    await expectFullyProvisioned(j, first);
  });

  it('fails with GroupNotFoundError before creating a user when a catalogue group is missing', async () => {
    const j = await aJoiner('data-scientist');

    await expect(invoke(provisionIdentity, identityEvent(j))).rejects.toMatchObject({ name: 'GroupNotFoundError', displayNames: ['DataScience'] });
    expect(await usersNamed(j.employee.email)).toEqual([]);
  });

  it('compensation removes everything the request created, and running it again is harmless', async () => {
    const j = await aJoiner();
    const results = await provision(j);

    const first = await invoke(compensateJoiner, compensationEvent(j, results));
    const auditAfterFirst = await audit.listBySubject(j.ids.employeeId);
    const second = await invoke(compensateJoiner, compensationEvent(j, results));

    expect(first.actions.map((a) => `${a.action}:${a.outcome}`)).toEqual([
      'delete-volume:undone',
      'terminate-instance:undone',
      'remove-membership:undone',
      'remove-membership:undone',
      'remove-membership:undone',
      'delete-user:undone',
    ]);
    expect(second.actions.every((a) => a.outcome === 'already-gone')).toBe(true);
    expect(second.actions).toHaveLength(6);
    expect(await usersNamed(j.employee.email)).toEqual([]);
    expect(await volumesOf(j.ids.requestId)).toEqual([]);
    const [instance] = await until(
      () => instancesOf(j.ids.requestId),
      (found) => found[0]?.State?.Name === 'terminated',
      { timeoutMs: 5_000, everyMs: 25 },
    );
    expect(instance?.InstanceId).toBe(results.workstation.instanceId);

    const auditAfterSecond = await audit.listBySubject(j.ids.employeeId);
    expect(auditAfterFirst.map((entry) => entry.kind)).toEqual(Array(6).fill('compensation.applied'));
    expect(auditAfterSecond).toEqual(auditAfterFirst);
    expect(verifyChain(auditAfterSecond)).toEqual({ ok: true });
  });

  it('without identity results, compensation finds the user and tagged instance, removes only this request\'s access and keeps a user that existed before', async () => {
    const j = await aJoiner();
    await identityStore.send(
      new CreateUserCommand({ IdentityStoreId: STORE, UserName: j.employee.email, DisplayName: 'Ana Silva', Name: { GivenName: 'Ana', FamilyName: 'Silva' } }),
    );
    const identity = await runState('Create Identity Center User', () => invoke(provisionIdentity, identityEvent(j)));
    expect(identity.userCreated).toBe(false);
    await runState('Launch Workstation', () => invoke(launchWorkstation, launchEvent(j)));
    // Access an administrator gave by hand, which this request does not cover.
    await identityStore.send(
      new CreateGroupMembershipCommand({ IdentityStoreId: STORE, GroupId: groupIds.get('Sales'), MemberId: { UserId: identity.userId } }),
    );

    const summary = await invoke(compensateJoiner, compensationEvent(j, {}));

    expect(summary.actions.map((a) => `${a.action}:${a.outcome}`)).toEqual([
      // The data volume launched with the instance carries the request's tags too.
      'delete-volume:undone',
      'terminate-instance:undone',
      'remove-membership:undone',
      'remove-membership:undone',
      'remove-membership:undone',
      'keep-user:kept',
    ]);
    expect(await groupsOfUser(identity.userId)).toEqual(['Sales']);
    const user = await identityStore.send(
      new GetUserIdCommand({ IdentityStoreId: STORE, AlternateIdentifier: { UniqueAttribute: { AttributePath: 'userName', AttributeValue: j.employee.email } } }),
    );
    expect(user.UserId).toBe(identity.userId);
    await until(
      () => instancesOf(j.ids.requestId),
      (found) => found.length === 1 && found[0]?.State?.Name === 'terminated',
      { timeoutMs: 5_000, everyMs: 25 },
    );
  });

  it('a retry after the invocation failed past CreateUser still reports userCreated, and compensation deletes that user', async () => {
    const j = await aJoiner();
    lostCreateUserResponses = 8; // every SDK attempt of the first invocation (the bulk client: maxAttempts 8) loses its answer; the first one created the user
    retried.clear();

    const identity = await runState('Create Identity Center User', () => invoke(provisionIdentity, identityEvent(j)));
    const summary = await invoke(compensateJoiner, compensationEvent(j, { identity }));

    expect(createUserCarriedOut).toBe(true);
    expect(retried.get('TransientError')).toBe(1);
    expect(identity.userCreated).toBe(true);
    expect(summary.actions.at(-1)).toEqual({ action: 'delete-user', resourceId: identity.userId, outcome: 'undone' });
    expect(await usersNamed(j.employee.email)).toEqual([]);
    const { Item } = await doc.send(new GetCommand({ TableName: tables.names.employees, Key: { employeeId: j.ids.employeeId } }));
    expect(Item).toMatchObject({ identityUserCreatedBy: j.ids.requestId, identityUserId: identity.userId });
    expect(Item?.identityUserIntent).toBeUndefined();
  });

  it('reports userCreated when the SDK retried a CreateUser whose answer was lost (ConflictException on its own user)', async () => {
    const j = await aJoiner();
    lostCreateUserResponses = 1;

    const identity = await invoke(provisionIdentity, identityEvent(j));

    expect(createUserCarriedOut).toBe(true);
    expect(identity.userCreated).toBe(true);
    expect(await usersNamed(j.employee.email)).toEqual([identity.userId]);
  });

  it('without identity results, compensation deletes the user the failed attempt of this request created', async () => {
    const j = await aJoiner();
    // Create Identity Center User created the user, then failed for good: the Catch passes no results.identity.
    lostCreateUserResponses = 8; // all 8 attempts of the bulk client (adapters/aws/clients/identitystore.ts)
    await expect(invoke(provisionIdentity, identityEvent(j))).rejects.toMatchObject({ name: 'TransientError' });
    const [userId] = await usersNamed(j.employee.email);

    const summary = await invoke(compensateJoiner, compensationEvent(j, {}));

    expect(userId).toBeDefined();
    expect(summary.actions).toEqual([{ action: 'delete-user', resourceId: userId, outcome: 'undone' }]);
    expect(await usersNamed(j.employee.email)).toEqual([]);
  });

  it('another request for the same employee reports userCreated false and its compensation keeps the user', async () => {
    const j = await aJoiner();
    const first = await invoke(provisionIdentity, identityEvent(j));
    const grant = { ...j, ids: { ...j.ids, requestId: `${j.ids.requestId}-grant` } };

    const second = await invoke(provisionIdentity, identityEvent(grant));
    const summary = await invoke(compensateJoiner, compensationEvent(grant, {}));

    expect(first.userCreated).toBe(true);
    expect(second).toMatchObject({ userId: first.userId, userCreated: false });
    expect(summary.actions.at(-1)).toEqual({ action: 'keep-user', resourceId: first.userId, outcome: 'kept' });
    expect(await usersNamed(j.employee.email)).toEqual([first.userId]);
  });

  it('refuses to create a user for an employee the employees table does not know', async () => {
    const j = await aJoiner();
    const stranger = { ...j, ids: { ...j.ids, employeeId: 'E-unknown-1' } };

    await expect(invoke(provisionIdentity, identityEvent(stranger))).rejects.toMatchObject({ name: 'NotFoundError' });
    expect(await usersNamed(j.employee.email)).toEqual([]);
  });

  it('converges under 50 % throttling of every Identity Store and EC2 call when retried like the ASL', { timeout: 120_000 }, async () => {
    const j = await aJoiner();
    faults.set([
      { service: 'identitystore', operation: '*', throttle: 0.5, latencyMs: 0 },
      { service: 'ec2', operation: '*', throttle: 0.5, latencyMs: 0 },
    ]);
    faults.throttled.clear();
    retried.clear();

    const result = await provision(j);
    faults.set([]);

    await expectFullyProvisioned(j, result);
    const throttledCalls = [...faults.throttled.values()].reduce((sum, n) => sum + n, 0);
    expect(throttledCalls).toBeGreaterThan(10);
    expect(retried.get('TransientError') ?? 0).toBeGreaterThan(0);
  });
});
