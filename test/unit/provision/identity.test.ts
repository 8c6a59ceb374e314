import {
  ConflictException,
  CreateGroupMembershipCommand,
  CreateUserCommand,
  DeleteGroupMembershipCommand,
  DeleteUserCommand,
  DescribeUserCommand,
  GetGroupIdCommand,
  GetGroupMembershipIdCommand,
  GetUserIdCommand,
  IdentitystoreClient,
  InternalServerException,
  ResourceNotFoundException,
  ThrottlingException,
  type ResourceType,
} from '@aws-sdk/client-identitystore';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { TransientError, ValidationError } from '#lib/domain/shared/errors';
import { GroupNotFoundError } from '#lib/domain/provision/errors';
import { createIdentityStore, GROUP_ID_TTL_MS } from '#lib/adapters/aws/identitystore';
import { provisionIdentity } from '#lib/domain/provision/provision-identity';
import { groupsOf } from '#lib/domain/provision/schemas';
import { IdentityConflictError } from '#lib/domain/identity/identity-conflict';
import { anEmployee, engineerEntitlements, groupIdOf, memoryOwnership, USER_ID } from './factories.ts';

const STORE = 'd-9067000000';
const client = new IdentitystoreClient({ region: 'us-east-1' });
const sdk = mockClient(client);
/** A fresh adapter per test: it remembers group ids (GROUP_ID_TTL_MS) as a warm container does. */
let identity = createIdentityStore({ client, identityStoreId: STORE });

const notFound = (type: ResourceType) => new ResourceNotFoundException({ message: `${type} not found`, $metadata: {}, ResourceType: type });
const conflict = () => new ConflictException({ message: 'exists', $metadata: {}, Reason: 'UNIQUENESS_CONSTRAINT_VIOLATION' });
const throttled = () => new ThrottlingException({ message: 'Rate exceeded', $metadata: {} });
const groups = () => groupsOf(engineerEntitlements());

/** Every catalogue group exists; group ids derive from display names. */
function groupsExist(): void {
  sdk.on(GetGroupIdCommand).callsFake((input: { AlternateIdentifier: { UniqueAttribute: { AttributeValue: string } } }) => ({
    IdentityStoreId: STORE,
    GroupId: groupIdOf(input.AlternateIdentifier.UniqueAttribute.AttributeValue),
  }));
}

beforeEach(() => {
  sdk.reset();
  identity = createIdentityStore({ client, identityStoreId: STORE });
  // A user nobody linked, unless a test says otherwise.
  sdk.on(DescribeUserCommand).resolves({ IdentityStoreId: STORE, UserId: USER_ID });
});

const linkedTo = (employeeId: string) =>
  sdk.on(DescribeUserCommand).resolves({ IdentityStoreId: STORE, UserId: USER_ID, Extensions: { 'aws:identitystore:enterprise': { employeeNumber: employeeId } } });

describe('ensureUser', () => {
  it('returns an existing user by user name (the email) and creates nothing', async () => {
    sdk.on(GetUserIdCommand).resolves({ IdentityStoreId: STORE, UserId: USER_ID });

    await expect(identity.ensureUser(anEmployee())).resolves.toEqual({ userId: USER_ID, origin: 'existing' });
    expect(sdk.commandCalls(GetUserIdCommand)[0]?.args[0].input).toEqual({
      IdentityStoreId: STORE,
      AlternateIdentifier: { UniqueAttribute: { AttributePath: 'userName', AttributeValue: 'ana.silva@example.com' } },
    });
    expect(sdk.commandCalls(CreateUserCommand)).toHaveLength(0);
  });

  it('creates a missing user with name, display name and work email, after running beforeCreate', async () => {
    sdk.on(GetUserIdCommand).rejects(notFound('USER'));
    sdk.on(CreateUserCommand).resolves({ IdentityStoreId: STORE, UserId: USER_ID });
    const order: string[] = [];
    const beforeCreate = async () => {
      order.push(`beforeCreate after ${sdk.commandCalls(CreateUserCommand).length} CreateUser`);
      return Promise.resolve();
    };

    await expect(identity.ensureUser(anEmployee(), beforeCreate)).resolves.toEqual({ userId: USER_ID, origin: 'created' });
    expect(order).toEqual(['beforeCreate after 0 CreateUser']);
    expect(sdk.commandCalls(CreateUserCommand)[0]?.args[0].input).toEqual({
      IdentityStoreId: STORE,
      UserName: 'ana.silva@example.com',
      DisplayName: 'Ana Silva',
      Name: { GivenName: 'Ana', FamilyName: 'Silva' },
      Emails: [{ Value: 'ana.silva@example.com', Type: 'work', Primary: true }],
      UserType: 'employee',
      Extensions: { 'aws:identitystore:enterprise': { employeeNumber: anEmployee().employeeId } },
    });
  });

  it('keeps an existing user linked to this employee, asking DescribeUser for the enterprise extension', async () => {
    sdk.on(GetUserIdCommand).resolves({ IdentityStoreId: STORE, UserId: USER_ID });
    linkedTo(anEmployee().employeeId);

    await expect(identity.ensureUser(anEmployee())).resolves.toEqual({ userId: USER_ID, origin: 'existing' });
    expect(sdk.commandCalls(DescribeUserCommand)[0]?.args[0].input).toEqual({ IdentityStoreId: STORE, UserId: USER_ID, Extensions: ['aws:identitystore:enterprise'] });
  });

  it('refuses a user whose e-mail belongs to the user linked to another employee (issue #11): IdentityConflictError, never a merge', async () => {
    sdk.on(GetUserIdCommand).resolves({ IdentityStoreId: STORE, UserId: USER_ID });
    linkedTo('E-OTHER');

    const ensured = identity.ensureUser(anEmployee());

    await expect(ensured).rejects.toBeInstanceOf(IdentityConflictError);
    await expect(ensured).rejects.toMatchObject({ name: 'IdentityConflictError', retryable: false, linkedEmployeeId: 'E-OTHER', userName: 'ana.silva@example.com' });
    expect(sdk.commandCalls(CreateUserCommand)).toHaveLength(0);
  });

  it('finds a person\'s user only when it is not linked to someone else', async () => {
    sdk.on(GetUserIdCommand).resolves({ IdentityStoreId: STORE, UserId: USER_ID });
    linkedTo('E-OTHER');

    await expect(identity.findUserId('ana.silva@example.com', anEmployee().employeeId)).resolves.toBeUndefined();
    await expect(identity.findUserId('ana.silva@example.com', 'E-OTHER')).resolves.toBe(USER_ID);
    await expect(identity.findUserId('ana.silva@example.com')).resolves.toBe(USER_ID);
  });

  it('re-reads the user when a concurrent create won the race (ConflictException)', async () => {
    sdk.on(GetUserIdCommand).rejectsOnce(notFound('USER')).resolves({ IdentityStoreId: STORE, UserId: USER_ID });
    sdk.on(CreateUserCommand).rejects(conflict());

    await expect(identity.ensureUser(anEmployee())).resolves.toEqual({ userId: USER_ID, origin: 'concurrent' });
    expect(sdk.commandCalls(GetUserIdCommand)).toHaveLength(2);
  });

  it('is a TransientError when the conflicting user cannot be read back yet', async () => {
    sdk.on(GetUserIdCommand).rejects(notFound('USER'));
    sdk.on(CreateUserCommand).rejects(conflict());

    await expect(identity.ensureUser(anEmployee())).rejects.toBeInstanceOf(TransientError);
  });

  it('does not mistake a missing identity store for a missing user', async () => {
    sdk.on(GetUserIdCommand).rejects(notFound('IDENTITY_STORE'));

    await expect(identity.ensureUser(anEmployee())).rejects.toMatchObject({ name: 'ResourceNotFoundException', ResourceType: 'IDENTITY_STORE' });
    expect(sdk.commandCalls(CreateUserCommand)).toHaveLength(0);
  });

  it.each([
    ['ThrottlingException', throttled()],
    ['InternalServerException', new InternalServerException({ message: 'boom', $metadata: { httpStatusCode: 500 } })],
  ])('maps %s to a retryable TransientError that keeps the cause', async (_name, error) => {
    sdk.on(GetUserIdCommand).rejects(error);

    const failure = await identity.ensureUser(anEmployee()).then(
      () => undefined,
      (caught: unknown) => caught,
    );

    expect(failure).toBeInstanceOf(TransientError);
    expect(failure).toMatchObject({ name: 'TransientError', retryable: true, cause: error });
  });

  it('refuses an email longer than an Identity Store user name, before calling AWS', async () => {
    const email = `${'a'.repeat(120)}@example.com`;

    await expect(identity.ensureUser(anEmployee({ email }))).rejects.toBeInstanceOf(ValidationError);
    expect(sdk.calls()).toHaveLength(0);
  });
});

describe('group memberships', () => {
  it('names every missing group in one non-retryable GroupNotFoundError', async () => {
    sdk.on(GetGroupIdCommand).rejects(notFound('GROUP'));
    sdk.on(GetGroupIdCommand, { AlternateIdentifier: { UniqueAttribute: { AttributePath: 'displayName', AttributeValue: 'AllStaff' } } }).resolves({
      IdentityStoreId: STORE,
      GroupId: groupIdOf('AllStaff'),
    });

    const failure = await identity.ensureMemberships(USER_ID, groups()).then(
      () => undefined,
      (caught: unknown) => caught,
    );

    expect(failure).toBeInstanceOf(GroupNotFoundError);
    expect(failure).toMatchObject({ name: 'GroupNotFoundError', retryable: false, displayNames: ['Engineering', 'ProdReadOnly'] });
    expect(sdk.commandCalls(CreateGroupMembershipCommand)).toHaveLength(0);
  });

  it('creates each membership with one call and reads the id back only for a group the user is already in', async () => {
    groupsExist();
    sdk.on(CreateGroupMembershipCommand).callsFake((input: { GroupId: string }) => ({ MembershipId: `m-${input.GroupId.slice(11, 19)}` }));
    sdk.on(CreateGroupMembershipCommand, { GroupId: groupIdOf('AllStaff') }).rejects(conflict());
    sdk.on(GetGroupMembershipIdCommand, { GroupId: groupIdOf('AllStaff') }).resolves({ MembershipId: 'm-allstaff' });

    const memberships = await identity.ensureMemberships(USER_ID, groups());

    expect(memberships).toEqual([
      { entitlementId: 'group:AllStaff', groupId: groupIdOf('AllStaff'), membershipId: 'm-allstaff' },
      { entitlementId: 'group:Engineering', groupId: groupIdOf('Engineering'), membershipId: `m-${groupIdOf('Engineering').slice(11, 19)}` },
      { entitlementId: 'group:ProdReadOnly', groupId: groupIdOf('ProdReadOnly'), membershipId: `m-${groupIdOf('ProdReadOnly').slice(11, 19)}` },
    ]);
    expect(sdk.commandCalls(CreateGroupMembershipCommand)).toHaveLength(3);
    expect(sdk.commandCalls(GetGroupMembershipIdCommand).map((call) => call.args[0].input.GroupId)).toEqual([groupIdOf('AllStaff')]);
  });

  it('treats ConflictException on CreateGroupMembership as success and returns the existing id', async () => {
    groupsExist();
    sdk.on(GetGroupMembershipIdCommand).resolves({ MembershipId: 'm-winner' });
    sdk.on(CreateGroupMembershipCommand).rejects(conflict());

    const [membership] = await identity.ensureMemberships(USER_ID, groups().slice(0, 1));

    expect(membership).toEqual({ entitlementId: 'group:AllStaff', groupId: groupIdOf('AllStaff'), membershipId: 'm-winner' });
  });

  it('is a TransientError when the conflicting membership cannot be read back yet', async () => {
    groupsExist();
    sdk.on(CreateGroupMembershipCommand).rejects(conflict());
    sdk.on(GetGroupMembershipIdCommand).rejects(notFound('GROUP_MEMBERSHIP'));

    await expect(identity.ensureMemberships(USER_ID, groups().slice(0, 1))).rejects.toBeInstanceOf(TransientError);
  });

  it('maps a throttled CreateGroupMembership to TransientError', async () => {
    groupsExist();
    sdk.on(CreateGroupMembershipCommand).rejects(throttled());

    await expect(identity.ensureMemberships(USER_ID, groups())).rejects.toMatchObject({ name: 'TransientError' });
  });

  it('reports a group deleted between lookup and membership as GroupNotFoundError', async () => {
    groupsExist();
    sdk.on(CreateGroupMembershipCommand).rejects(notFound('GROUP'));

    await expect(identity.ensureMemberships(USER_ID, groups().slice(1, 2))).rejects.toMatchObject({
      name: 'GroupNotFoundError',
      displayNames: ['Engineering'],
    });
  });

  it('reports a user id that no longer exists as UserNotFoundError, so the caller can look the person up again', async () => {
    groupsExist();
    sdk.on(CreateGroupMembershipCommand).rejects(notFound('USER'));

    await expect(identity.ensureMemberships(USER_ID, groups().slice(0, 1))).rejects.toMatchObject({ name: 'UserNotFoundError', userId: USER_ID });
  });

  it('looks a group up once per warm container, and again after GROUP_ID_TTL_MS', async () => {
    let now = 0;
    identity = createIdentityStore({ client, identityStoreId: STORE, now: () => now });
    groupsExist();
    sdk.on(CreateGroupMembershipCommand).resolves({ MembershipId: 'm-new' });

    await identity.ensureMemberships(USER_ID, groups().slice(1, 2));
    await identity.ensureMemberships('user-2', groups().slice(1, 2));
    now = GROUP_ID_TTL_MS + 1;
    await identity.ensureMemberships('user-3', groups().slice(1, 2));

    expect(sdk.commandCalls(GetGroupIdCommand)).toHaveLength(2);
    expect(sdk.commandCalls(CreateGroupMembershipCommand)).toHaveLength(3);
  });

  it('forgets a remembered group id the Identity Store no longer knows and uses the group now holding the name', async () => {
    let generation = 'old';
    sdk.on(GetGroupIdCommand).callsFake(() => ({ IdentityStoreId: STORE, GroupId: groupIdOf(`${generation}-Engineering`) }));
    sdk.on(CreateGroupMembershipCommand).callsFake((input: { GroupId: string }) => {
      if (input.GroupId !== groupIdOf(`${generation}-Engineering`)) throw notFound('GROUP');
      return { MembershipId: `m-${generation}` };
    });
    await identity.ensureMemberships(USER_ID, groups().slice(1, 2));
    generation = 'new';

    const [membership] = await identity.ensureMemberships('user-2', groups().slice(1, 2));

    expect(membership).toEqual({ entitlementId: 'group:Engineering', groupId: groupIdOf('new-Engineering'), membershipId: 'm-new' });
    expect(sdk.commandCalls(GetGroupIdCommand)).toHaveLength(2);
  });
});

describe('provisionIdentity', () => {
  const aRequest = () => ({ requestId: 'req-1', employeeId: 'E1001', employee: anEmployee(), entitlements: engineerEntitlements() });

  it('checks the groups before creating the user, so a missing group leaves nothing to undo', async () => {
    sdk.on(GetGroupIdCommand).rejects(notFound('GROUP'));
    sdk.on(GetUserIdCommand).rejects(notFound('USER'));

    const ownership = memoryOwnership();

    await expect(provisionIdentity({ identity, ownership: ownership.port }, aRequest())).rejects.toBeInstanceOf(GroupNotFoundError);
    expect(sdk.commandCalls(GetUserIdCommand)).toHaveLength(0);
    expect(sdk.commandCalls(CreateUserCommand)).toHaveLength(0);
    expect(ownership.calls).toEqual([]);
  });

  it('looks each group up once and returns the user, whether it was created, and the memberships', async () => {
    groupsExist();
    sdk.on(GetUserIdCommand).rejects(notFound('USER'));
    sdk.on(CreateUserCommand).resolves({ UserId: USER_ID });
    sdk.on(CreateGroupMembershipCommand).resolves({ MembershipId: 'm-new' });

    const ownership = memoryOwnership();

    const result = await provisionIdentity({ identity, ownership: ownership.port }, aRequest());

    expect(result).toMatchObject({ userId: USER_ID, userCreated: true });
    expect(ownership.calls).toEqual(['recordIntent req-1', `recordCreator req-1 ${USER_ID}`]);
    expect(ownership.records.get('E1001')).toEqual({ createdBy: 'req-1', userId: USER_ID });
    expect(result.memberships.map((m) => m.entitlementId)).toEqual(['group:AllStaff', 'group:Engineering', 'group:ProdReadOnly']);
    expect(sdk.commandCalls(GetGroupIdCommand)).toHaveLength(3);
  });
});

describe('undo', () => {
  it('removes a membership, and an already removed one is success', async () => {
    sdk.on(DeleteGroupMembershipCommand).resolvesOnce({}).rejects(notFound('GROUP_MEMBERSHIP'));

    await expect(identity.removeMembership('m-1')).resolves.toBe('undone');
    await expect(identity.removeMembership('m-1')).resolves.toBe('already-gone');
  });

  it('deletes a user, and an already deleted one is success', async () => {
    sdk.on(DeleteUserCommand).resolvesOnce({}).rejects(notFound('USER'));

    await expect(identity.deleteUser(USER_ID)).resolves.toBe('undone');
    await expect(identity.deleteUser(USER_ID)).resolves.toBe('already-gone');
    expect(sdk.commandCalls(DeleteUserCommand)[0]?.args[0].input).toEqual({ IdentityStoreId: STORE, UserId: USER_ID });
  });

  it('maps a throttled delete to TransientError rather than calling it gone', async () => {
    sdk.on(DeleteUserCommand).rejects(throttled());

    await expect(identity.deleteUser(USER_ID)).rejects.toBeInstanceOf(TransientError);
  });

  it('finds a membership by user and group name for compensation without results', async () => {
    groupsExist();
    sdk.on(GetGroupMembershipIdCommand).resolves({ MembershipId: 'm-eng' });

    await expect(identity.findMembership(USER_ID, groups()[1]!)).resolves.toEqual({
      entitlementId: 'group:Engineering',
      groupId: groupIdOf('Engineering'),
      membershipId: 'm-eng',
    });
  });
});
