import { DescribeInstancesCommand, EC2Client, RunInstancesCommand, TerminateInstancesCommand } from '@aws-sdk/client-ec2';
import {
  CreateGroupCommand,
  CreateGroupMembershipCommand,
  CreateUserCommand,
  DeleteUserCommand,
  IdentitystoreClient,
  ListGroupMembershipsForMemberCommand,
  ListUsersCommand,
} from '@aws-sdk/client-identitystore';
import { DeleteCommand, DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll } from 'vitest';
import { FaultInjector } from '../../local/core/faults.ts';
import { createEc2Emulator } from '../../local/emulators/ec2.ts';
import { createIdentityStoreEmulator } from '../../local/emulators/identitystore.ts';
import { createSsoAdminEmulator } from '../../local/emulators/sso-admin.ts';
import { CreateAccountAssignmentCommand, DeleteAccountAssignmentCommand, ListAccountAssignmentsForPrincipalCommand, ListPermissionSetsCommand, DescribePermissionSetCommand, SSOAdminClient } from '@aws-sdk/client-sso-admin';
import { LOCAL_IDENTITY_STORE_ID, LOCAL_SSO_INSTANCE_ARN, localFunctionEnv } from '../../local/function-env.ts';
import { startSesLocal } from '../../local/ses-local.ts';
import { localTableSpecs } from '../../local/tables.ts';
import { createTestTables } from '../support/dynamodb.ts';
import { clientConfig, serve } from '../support/emulator.ts';

/**
 * What the reconcile integration tests run against: the Identity Store and EC2 emulators, SES
 * local and DynamoDB Local, with the environment the handler parses at import, plus fixtures
 * that plant people, users, memberships and instances, and a reset between tests.
 */
export const STORE = LOCAL_IDENTITY_STORE_ID;
export const ENGINEER = ['group:AllStaff', 'group:Engineering', 'group:ProdReadOnly', 'workstation:dev-arm'];

export async function reconcileWorld(env: Record<string, string>) {
  const faults = new FaultInjector([], Math.random);
  const identityUrl = await serve(createIdentityStoreEmulator({ faults }, { identityStoreIds: [STORE] }));
  const ec2Url = await serve(createEc2Emulator({ faults }, { pendingMs: 10 }));
  // Assignments settle at once here (delay 0): reconciliation reads them, it never waits on them.
  const ssoUrl = await serve(createSsoAdminEmulator({ faults }, { instanceArn: LOCAL_SSO_INSTANCE_ARN, identityStoreId: STORE, permissionSets: ['AdministratorAccess', 'ReadOnlyAccess'], delayMs: 0 }));
  const ses = await startSesLocal({ port: 0 });
  afterAll(() => ses.stop());
  const specOf = (name: string) => {
    const spec = localTableSpecs({ tablePrefix: '', frontDoorUrl: '' }).find((candidate) => candidate.create.TableName === name);
    if (!spec) throw new Error(`no ${name} table in infra/spec/tables.ts`);
    return spec;
  };
  const tables = await createTestTables('reconcile', { employees: specOf('employees'), grants: specOf('grants'), audit: specOf('audit') });
  afterAll(() => tables.drop());
  Object.assign(process.env, localFunctionEnv({ tablePrefix: tables.prefix, frontDoorUrl: 'http://127.0.0.1:1' }), {
    AWS_ENDPOINT_URL_IDENTITYSTORE: identityUrl,
    AWS_ENDPOINT_URL_EC2: ec2Url,
    AWS_ENDPOINT_URL_SSO_ADMIN: ssoUrl,
    AWS_ENDPOINT_URL_DYNAMODB: tables.endpoint,
    AWS_ENDPOINT_URL_SESV2: ses.endpoint,
    ...env,
  });

  const identityStore = new IdentitystoreClient(clientConfig(identityUrl));
  const ec2 = new EC2Client(clientConfig(ec2Url));
  const sso = new SSOAdminClient(clientConfig(ssoUrl));
  const permissionSetArn = async (name: string): Promise<string> => {
    for (const arn of (await sso.send(new ListPermissionSetsCommand({ InstanceArn: LOCAL_SSO_INSTANCE_ARN }))).PermissionSets ?? []) {
      if ((await sso.send(new DescribePermissionSetCommand({ InstanceArn: LOCAL_SSO_INSTANCE_ARN, PermissionSetArn: arn }))).PermissionSet?.Name === name) return arn;
    }
    throw new Error(`no permission set ${name}`);
  };
  const assignmentOf = async (userId: string, accountId: string, permissionSet: string) =>
    ({ InstanceArn: LOCAL_SSO_INSTANCE_ARN, TargetId: accountId, TargetType: 'AWS_ACCOUNT', PermissionSetArn: await permissionSetArn(permissionSet), PrincipalType: 'USER', PrincipalId: userId }) as const;
  /** An assignment made behind Gatehouse's back (an administrator in the console). */
  async function anAssignment(userId: string, accountId: string, permissionSet: string): Promise<void> {
    await sso.send(new CreateAccountAssignmentCommand(await assignmentOf(userId, accountId, permissionSet)));
  }
  const doc = DynamoDBDocumentClient.from(tables.client);
  const planted: { employeeId: string; grantKeys: string[] }[] = [];

  // Groups are the administrators' job; Printers is not in the catalogue, so nobody's membership of it is reconciled.
  const groupIds = new Map<string, string>();
  for (const displayName of ['AllStaff', 'Engineering', 'ProdReadOnly', 'ProdAdmin', 'Printers']) {
    const out = await identityStore.send(new CreateGroupCommand({ IdentityStoreId: STORE, DisplayName: displayName }));
    groupIds.set(displayName, out.GroupId ?? '');
  }

  async function anEmployee(employeeId: string, status: 'active' | 'left', entitlements: string[] = []): Promise<string> {
    const email = `${employeeId.toLowerCase()}@example.com`;
    await doc.send(new PutCommand({ TableName: tables.names.employees, Item: { employeeId, email, status, role: 'engineer' } }));
    const grantKeys = entitlements.map((entitlementId) => `${entitlementId}#role#engineer`);
    for (const [i, entitlementId] of entitlements.entries()) {
      const Item = { employeeId, grantKey: grantKeys[i], entitlementId, source: 'role:engineer', status: 'active' };
      await doc.send(new PutCommand({ TableName: tables.names.grants, Item }));
    }
    planted.push({ employeeId, grantKeys });
    return email;
  }

  async function aUser(userName: string, groups: string[]): Promise<{ userId: string; memberships: Map<string, string> }> {
    const user = await identityStore.send(new CreateUserCommand({ IdentityStoreId: STORE, UserName: userName, DisplayName: 'Test User', Name: { GivenName: 'Test', FamilyName: 'User' } }));
    const userId = user.UserId ?? '';
    const memberships = new Map<string, string>();
    for (const group of groups) {
      const out = await identityStore.send(new CreateGroupMembershipCommand({ IdentityStoreId: STORE, GroupId: groupIds.get(group) ?? '', MemberId: { UserId: userId } }));
      memberships.set(group, out.MembershipId ?? '');
    }
    return { userId, memberships };
  }

  async function aManagedInstance(employeeId: string): Promise<string> {
    const Tags = [
      { Key: 'gatehouse:managed', Value: 'true' },
      { Key: 'gatehouse:employee-id', Value: employeeId },
      { Key: 'gatehouse:entitlement-id', Value: 'workstation:dev-arm' },
    ];
    const out = await ec2.send(
      new RunInstancesCommand({ ImageId: 'ami-0123456789abcdef0', InstanceType: 'm7g.large', MinCount: 1, MaxCount: 1, TagSpecifications: [{ ResourceType: 'instance', Tags }] }),
    );
    return out.Instances?.[0]?.InstanceId ?? '';
  }

  async function userNames(): Promise<string[]> {
    return ((await identityStore.send(new ListUsersCommand({ IdentityStoreId: STORE }))).Users ?? []).map((user) => user.UserName ?? '').sort();
  }

  async function groupsOf(userId: string): Promise<string[]> {
    const out = await identityStore.send(new ListGroupMembershipsForMemberCommand({ IdentityStoreId: STORE, MemberId: { UserId: userId } }));
    const names = new Map([...groupIds].map(([name, id]) => [id, name]));
    return (out.GroupMemberships ?? []).map((membership) => names.get(membership.GroupId ?? '') ?? '?').sort();
  }

  async function instance(instanceId: string): Promise<{ state: string; tags: Record<string, string> }> {
    const out = await ec2.send(new DescribeInstancesCommand({ InstanceIds: [instanceId] }));
    const found = out.Reservations?.[0]?.Instances?.[0];
    return { state: found?.State?.Name ?? 'missing', tags: Object.fromEntries((found?.Tags ?? []).map((tag) => [tag.Key ?? '', tag.Value ?? ''])) };
  }

  /** Removes every planted person, user and instance, so each test starts from nothing. */
  async function reset(): Promise<void> {
    for (const user of (await identityStore.send(new ListUsersCommand({ IdentityStoreId: STORE }))).Users ?? []) {
      const held = await sso.send(new ListAccountAssignmentsForPrincipalCommand({ InstanceArn: LOCAL_SSO_INSTANCE_ARN, PrincipalType: 'USER', PrincipalId: user.UserId ?? '' }));
      for (const a of held.AccountAssignments ?? []) {
        await sso.send(new DeleteAccountAssignmentCommand({ InstanceArn: LOCAL_SSO_INSTANCE_ARN, TargetId: a.AccountId ?? '', TargetType: 'AWS_ACCOUNT', PermissionSetArn: a.PermissionSetArn ?? '', PrincipalType: 'USER', PrincipalId: user.UserId ?? '' }));
      }
      await identityStore.send(new DeleteUserCommand({ IdentityStoreId: STORE, UserId: user.UserId ?? '' }));
    }
    const reservations = (await ec2.send(new DescribeInstancesCommand({}))).Reservations ?? [];
    const ids = reservations.flatMap((r) => r.Instances ?? []).flatMap((i) => (i.InstanceId && i.State?.Name !== 'terminated' ? [i.InstanceId] : []));
    if (ids.length > 0) await ec2.send(new TerminateInstancesCommand({ InstanceIds: ids }));
    for (const { employeeId, grantKeys } of planted.splice(0)) {
      await doc.send(new DeleteCommand({ TableName: tables.names.employees, Key: { employeeId } }));
      for (const grantKey of grantKeys) await doc.send(new DeleteCommand({ TableName: tables.names.grants, Key: { employeeId, grantKey } }));
    }
  }

  return { tables, ses, anEmployee, aUser, aManagedInstance, anAssignment, userNames, groupsOf, instance, reset };
}
