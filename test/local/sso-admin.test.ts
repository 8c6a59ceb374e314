import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  ConflictException,
  CreateAccountAssignmentCommand,
  DeleteAccountAssignmentCommand,
  DescribeAccountAssignmentCreationStatusCommand,
  DescribeAccountAssignmentDeletionStatusCommand,
  DescribePermissionSetCommand,
  ListAccountAssignmentsCommand,
  ListAccountAssignmentsForPrincipalCommand,
  ListInstancesCommand,
  ListPermissionSetsCommand,
  ResourceNotFoundException,
  SSOAdminClient,
  ThrottlingException,
  ValidationException,
} from '@aws-sdk/client-sso-admin';
import { describe, expect, it, onTestFinished } from 'vitest';
import { FaultInjector } from '../../local/core/faults.ts';
import { startHttpServer } from '../../local/core/http.ts';
import { createSsoAdminEmulator, type SsoAdminOptions } from '../../local/emulators/sso-admin.ts';
import { MAX_OUTSTANDING_OPERATIONS } from '../../local/emulators/sso-admin-model.ts';
import { clientConfig } from '../support/emulator.ts';

const INSTANCE = 'arn:aws:sso:::instance/ssoins-0123456789abcdef';
const PROD = '111122223333';
const user = (): string => `1234567890-${randomUUID()}`;

/** An emulator on its own port for one test, with a clock the test moves. */
async function emulator(overrides: Partial<SsoAdminOptions> & { faults?: FaultInjector; stateDir?: string } = {}) {
  const clock = { now: 1_000_000 };
  const { faults = new FaultInjector(), stateDir, ...rest } = overrides;
  const emu = createSsoAdminEmulator(
    { faults, ...(stateDir ? { stateDir } : {}) },
    { instanceArn: INSTANCE, identityStoreId: 'd-1234567890', permissionSets: ['AdministratorAccess', 'ReadOnlyAccess'], delayMs: 500, now: () => clock.now, ...rest },
  );
  const server = await startHttpServer(0, emu.handler);
  const client = new SSOAdminClient(clientConfig(server.url, 1));
  onTestFinished(async () => {
    client.destroy();
    await server.close();
  });
  const arnOf = async (name: string): Promise<string> => {
    const { PermissionSets = [] } = await client.send(new ListPermissionSetsCommand({ InstanceArn: INSTANCE }));
    for (const arn of PermissionSets) {
      const { PermissionSet } = await client.send(new DescribePermissionSetCommand({ InstanceArn: INSTANCE, PermissionSetArn: arn }));
      if (PermissionSet?.Name === name) return arn;
    }
    throw new Error(`no permission set ${name}`);
  };
  return { client, clock, arnOf };
}

const assignment = (PermissionSetArn: string, PrincipalId: string, TargetId = PROD) =>
  ({ InstanceArn: INSTANCE, TargetId, TargetType: 'AWS_ACCOUNT', PermissionSetArn, PrincipalType: 'USER', PrincipalId }) as const;

async function rejection(call: Promise<unknown>): Promise<unknown> {
  return call.then(
    () => {
      throw new Error('expected the call to be rejected');
    },
    (error: unknown) => error,
  );
}

describe('sso-admin emulator through @aws-sdk/client-sso-admin', () => {
  it('lists the instance and describes its permission sets by ARN', async () => {
    const { client, arnOf } = await emulator();
    const { Instances } = await client.send(new ListInstancesCommand({}));
    expect(Instances).toEqual([expect.objectContaining({ InstanceArn: INSTANCE, IdentityStoreId: 'd-1234567890', Status: 'ACTIVE' })]);
    const admin = await arnOf('AdministratorAccess');
    expect(admin).toMatch(/^arn:aws:sso:::permissionSet\/ssoins-0123456789abcdef\/ps-[0-9a-f]{16}$/);
    const { PermissionSet } = await client.send(new DescribePermissionSetCommand({ InstanceArn: INSTANCE, PermissionSetArn: admin }));
    expect(PermissionSet?.CreatedDate).toBeInstanceOf(Date);
  });

  it('creates an assignment IN_PROGRESS that SUCCEEDS after the delay, then deletes it the same way', async () => {
    const { client, clock, arnOf } = await emulator();
    const admin = await arnOf('AdministratorAccess');
    const principal = user();
    const created = await client.send(new CreateAccountAssignmentCommand(assignment(admin, principal)));
    const requestId = created.AccountAssignmentCreationStatus?.RequestId ?? '';
    expect(created.AccountAssignmentCreationStatus).toMatchObject({ Status: 'IN_PROGRESS', TargetId: PROD, PrincipalId: principal });
    const listed = () => client.send(new ListAccountAssignmentsCommand({ InstanceArn: INSTANCE, AccountId: PROD, PermissionSetArn: admin }));
    expect((await listed()).AccountAssignments).toEqual([]);

    clock.now += 499;
    const early = await client.send(new DescribeAccountAssignmentCreationStatusCommand({ InstanceArn: INSTANCE, AccountAssignmentCreationRequestId: requestId }));
    expect(early.AccountAssignmentCreationStatus?.Status).toBe('IN_PROGRESS');
    clock.now += 1;
    const done = await client.send(new DescribeAccountAssignmentCreationStatusCommand({ InstanceArn: INSTANCE, AccountAssignmentCreationRequestId: requestId }));
    expect(done.AccountAssignmentCreationStatus?.Status).toBe('SUCCEEDED');
    expect((await listed()).AccountAssignments).toEqual([{ AccountId: PROD, PermissionSetArn: admin, PrincipalType: 'USER', PrincipalId: principal }]);
    const forPrincipal = await client.send(new ListAccountAssignmentsForPrincipalCommand({ InstanceArn: INSTANCE, PrincipalType: 'USER', PrincipalId: principal }));
    expect(forPrincipal.AccountAssignments).toEqual([expect.objectContaining({ AccountId: PROD, PermissionSetArn: admin })]);

    const deleted = await client.send(new DeleteAccountAssignmentCommand(assignment(admin, principal)));
    const deletionId = deleted.AccountAssignmentDeletionStatus?.RequestId ?? '';
    expect(deleted.AccountAssignmentDeletionStatus?.Status).toBe('IN_PROGRESS');
    clock.now += 500;
    const gone = await client.send(new DescribeAccountAssignmentDeletionStatusCommand({ InstanceArn: INSTANCE, AccountAssignmentDeletionRequestId: deletionId }));
    expect(gone.AccountAssignmentDeletionStatus?.Status).toBe('SUCCEEDED');
    expect((await listed()).AccountAssignments).toEqual([]);
  });

  it('ends a request FAILED with a FailureReason under a fail rule, and assigns nothing', async () => {
    const faults = new FaultInjector([{ service: 'sso-admin', operation: 'CreateAccountAssignment', fail: 1 }]);
    const { client, clock, arnOf } = await emulator({ faults });
    const admin = await arnOf('AdministratorAccess');
    const principal = user();
    const created = await client.send(new CreateAccountAssignmentCommand(assignment(admin, principal)));
    expect(created.AccountAssignmentCreationStatus?.Status).toBe('IN_PROGRESS');
    clock.now += 500;
    const { AccountAssignmentCreationStatus: status } = await client.send(
      new DescribeAccountAssignmentCreationStatusCommand({ InstanceArn: INSTANCE, AccountAssignmentCreationRequestId: created.AccountAssignmentCreationStatus?.RequestId }),
    );
    expect(status).toMatchObject({ Status: 'FAILED', FailureReason: expect.stringContaining('injected') });
    const { AccountAssignments } = await client.send(new ListAccountAssignmentsForPrincipalCommand({ InstanceArn: INSTANCE, PrincipalType: 'USER', PrincipalId: principal }));
    expect(AccountAssignments).toEqual([]);
    expect(faults.failed.get('sso-admin:CreateAccountAssignment')).toBe(1);
  });

  it(`throttles the write after ${MAX_OUTSTANDING_OPERATIONS} outstanding requests, and accepts again once they settle`, async () => {
    const { client, clock, arnOf } = await emulator();
    const admin = await arnOf('AdministratorAccess');
    for (let i = 0; i < MAX_OUTSTANDING_OPERATIONS; i++) await client.send(new CreateAccountAssignmentCommand(assignment(admin, user())));
    const error = await rejection(client.send(new CreateAccountAssignmentCommand(assignment(admin, user()))));
    expect(error).toBeInstanceOf(ThrottlingException);
    clock.now += 500;
    await expect(client.send(new CreateAccountAssignmentCommand(assignment(admin, user())))).resolves.toBeDefined();
  });

  it('answers ConflictException while the same assignment has a request in progress', async () => {
    const { client, arnOf } = await emulator();
    const admin = await arnOf('AdministratorAccess');
    const principal = user();
    await client.send(new CreateAccountAssignmentCommand(assignment(admin, principal)));
    expect(await rejection(client.send(new CreateAccountAssignmentCommand(assignment(admin, principal))))).toBeInstanceOf(ConflictException);
  });

  it('refuses bad input with ValidationException and unknown things with ResourceNotFoundException', async () => {
    const { client, arnOf } = await emulator();
    const admin = await arnOf('AdministratorAccess');
    const badAccount = await rejection(client.send(new CreateAccountAssignmentCommand(assignment(admin, user(), '12345'))));
    expect(badAccount).toBeInstanceOf(ValidationException);
    expect((badAccount as Error).message).toContain('TargetId');
    const badPrincipal = await rejection(client.send(new CreateAccountAssignmentCommand(assignment(admin, 'not-a-guid'))));
    expect(badPrincipal).toBeInstanceOf(ValidationException);
    const unknownSet = await rejection(client.send(new CreateAccountAssignmentCommand(assignment(`${admin.slice(0, -4)}ffff`, user()))));
    expect(unknownSet).toBeInstanceOf(ResourceNotFoundException);
    const otherInstance = await rejection(client.send(new ListPermissionSetsCommand({ InstanceArn: 'arn:aws:sso:::instance/ssoins-ffffffffffffffff' })));
    expect(otherInstance).toBeInstanceOf(ResourceNotFoundException);
    const neverAssigned = await rejection(client.send(new DeleteAccountAssignmentCommand(assignment(admin, user()))));
    expect(neverAssigned).toBeInstanceOf(ResourceNotFoundException);
    const unknownRequest = await rejection(
      client.send(new DescribeAccountAssignmentCreationStatusCommand({ InstanceArn: INSTANCE, AccountAssignmentCreationRequestId: randomUUID() })),
    );
    expect(unknownRequest).toBeInstanceOf(ResourceNotFoundException);
  });

  it('throttles under an injected throttle rule', async () => {
    const { client } = await emulator({ faults: new FaultInjector([{ service: 'sso-admin', operation: '*', throttle: 1 }]) });
    expect(await rejection(client.send(new ListInstancesCommand({})))).toBeInstanceOf(ThrottlingException);
  });

  it('pages ListAccountAssignments with MaxResults and NextToken', async () => {
    const { client, clock, arnOf } = await emulator({ delayMs: 0 });
    const admin = await arnOf('AdministratorAccess');
    for (let i = 0; i < 3; i++) await client.send(new CreateAccountAssignmentCommand(assignment(admin, user())));
    clock.now += 1;
    const first = await client.send(new ListAccountAssignmentsCommand({ InstanceArn: INSTANCE, AccountId: PROD, PermissionSetArn: admin, MaxResults: 2 }));
    expect(first.AccountAssignments).toHaveLength(2);
    const second = await client.send(new ListAccountAssignmentsCommand({ InstanceArn: INSTANCE, AccountId: PROD, PermissionSetArn: admin, NextToken: first.NextToken }));
    expect(second.AccountAssignments).toHaveLength(1);
    expect(second.NextToken).toBeUndefined();
  });

  it('keeps permission sets, assignments and in-flight requests across a restart', async () => {
    const stateDir = await mkdtemp(join(tmpdir(), 'sso-admin-'));
    onTestFinished(() => rm(stateDir, { recursive: true, force: true }));
    const before = await emulator({ stateDir });
    const admin = await before.arnOf('AdministratorAccess');
    const principal = user();
    const created = await before.client.send(new CreateAccountAssignmentCommand(assignment(admin, principal)));

    const after = await emulator({ stateDir });
    expect(await after.arnOf('AdministratorAccess')).toBe(admin);
    after.clock.now += 500;
    const { AccountAssignmentCreationStatus } = await after.client.send(
      new DescribeAccountAssignmentCreationStatusCommand({ InstanceArn: INSTANCE, AccountAssignmentCreationRequestId: created.AccountAssignmentCreationStatus?.RequestId }),
    );
    expect(AccountAssignmentCreationStatus?.Status).toBe('SUCCEEDED');
    const { AccountAssignments } = await after.client.send(new ListAccountAssignmentsForPrincipalCommand({ InstanceArn: INSTANCE, PrincipalType: 'USER', PrincipalId: principal }));
    expect(AccountAssignments).toHaveLength(1);
  });
});
