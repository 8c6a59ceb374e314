import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  ConflictException,
  CreateGroupCommand,
  CreateGroupMembershipCommand,
  CreateUserCommand,
  DeleteGroupCommand,
  DeleteGroupMembershipCommand,
  DeleteUserCommand,
  DescribeGroupCommand,
  DescribeGroupMembershipCommand,
  DescribeUserCommand,
  GetGroupIdCommand,
  GetGroupMembershipIdCommand,
  GetUserIdCommand,
  IdentitystoreClient,
  ListGroupMembershipsCommand,
  ListGroupMembershipsForMemberCommand,
  ListGroupsCommand,
  ListUsersCommand,
  ResourceNotFoundException,
  ThrottlingException,
  UpdateGroupCommand,
  UpdateUserCommand,
  ValidationException,
  type CreateUserRequest,
} from '@aws-sdk/client-identitystore';
import { describe, expect, it, onTestFinished } from 'vitest';
import type { Emulator } from '../../local/core/emulator.ts';
import { FaultInjector } from '../../local/core/faults.ts';
import { startHttpServer } from '../../local/core/http.ts';
import { createIdentityStoreEmulator } from '../../local/emulators/identitystore.ts';
import { clientConfig, noFaults, serve } from '../support/emulator.ts';

const STORE = 'd-1234567890';
const OTHER_STORE = 'd-abcdef0123';
const ID_IN_STORE = /^1234567890-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

const endpoint = await serve(createIdentityStoreEmulator({ faults: noFaults() }, { identityStoreIds: [STORE, OTHER_STORE] }));
const client = new IdentitystoreClient(clientConfig(endpoint));

/** The error a call rejects with; a call that succeeds fails the test. */
async function rejection(call: Promise<unknown>): Promise<unknown> {
  return call.then(
    () => {
      throw new Error('expected the call to be rejected');
    },
    (error: unknown) => error,
  );
}

/** Like `serve`, but for an emulator a single test builds (a restart): closed when that test ends. */
async function serveForThisTest(emulator: Emulator): Promise<string> {
  const server = await startHttpServer(0, emulator.handler);
  onTestFinished(async () => {
    await emulator.stop?.();
    await server.close();
  });
  return server.url;
}

const unique = (prefix: string): string => `${prefix}-${randomUUID().slice(0, 8)}`;

function userInput(overrides: Partial<CreateUserRequest> = {}): CreateUserRequest {
  const userName = unique('jane');
  return {
    IdentityStoreId: STORE,
    UserName: userName,
    DisplayName: 'Jane Doe',
    Name: { GivenName: 'Jane', FamilyName: 'Doe' },
    Emails: [{ Value: `${userName}@example.com`, Type: 'work', Primary: true }],
    ...overrides,
  };
}

async function createUser(overrides: Partial<CreateUserRequest> = {}): Promise<string> {
  const { UserId } = await client.send(new CreateUserCommand(userInput(overrides)));
  if (!UserId) throw new Error('CreateUser returned no UserId');
  return UserId;
}

async function createGroup(displayName = unique('engineers'), store = STORE): Promise<string> {
  const { GroupId } = await client.send(new CreateGroupCommand({ IdentityStoreId: store, DisplayName: displayName }));
  if (!GroupId) throw new Error('CreateGroup returned no GroupId');
  return GroupId;
}

async function addMember(groupId: string, userId: string): Promise<string> {
  const { MembershipId } = await client.send(
    new CreateGroupMembershipCommand({ IdentityStoreId: STORE, GroupId: groupId, MemberId: { UserId: userId } }),
  );
  if (!MembershipId) throw new Error('CreateGroupMembership returned no MembershipId');
  return MembershipId;
}

describe('identity store emulator: users', () => {
  it('creates a user and describes it with every attribute and timestamps', async () => {
    const input = userInput({ Title: 'Engineer', Locale: 'en-GB' });
    const { UserId, IdentityStoreId } = await client.send(new CreateUserCommand(input));

    expect(IdentityStoreId).toBe(STORE);
    expect(UserId).toMatch(ID_IN_STORE);
    const user = await client.send(new DescribeUserCommand({ IdentityStoreId: STORE, UserId }));
    expect(user).toMatchObject({
      IdentityStoreId: STORE,
      UserId,
      UserName: input.UserName,
      DisplayName: 'Jane Doe',
      Name: { GivenName: 'Jane', FamilyName: 'Doe' },
      Emails: input.Emails,
      Title: 'Engineer',
      Locale: 'en-GB',
      UserStatus: 'ENABLED',
    });
    expect(user.CreatedAt).toBeInstanceOf(Date);
    expect(Math.abs((user.CreatedAt?.getTime() ?? 0) - Date.now())).toBeLessThan(60_000);
  });

  it('refuses a second user whose UserName differs only in case', async () => {
    const userName = unique('Dup');
    await createUser({ UserName: userName });

    const error = await rejection(client.send(new CreateUserCommand(userInput({ UserName: userName.toUpperCase() }))));

    expect(error).toBeInstanceOf(ConflictException);
    expect((error as ConflictException).Reason).toBe('UNIQUENESS_CONSTRAINT_VIOLATION');
  });

  it.each([
    ['DisplayName', { DisplayName: undefined }],
    ['Name.GivenName', { Name: { FamilyName: 'Doe' } }],
    ['UserName', { UserName: undefined }],
    ['Title', { Title: 42 as unknown as string }],
    ['Emails', { Emails: [{ Value: 'a@example.com' }, { Value: 'b@example.com' }] }],
  ])('rejects a CreateUser with a missing or ill-typed %s, naming it', async (member, overrides) => {
    const error = await rejection(client.send(new CreateUserCommand(userInput(overrides))));

    expect(error).toBeInstanceOf(ValidationException);
    expect((error as ValidationException).message).toContain(`'${member}'`);
  });

  it('answers ResourceNotFoundException IDENTITY_STORE for an identity store that does not exist', async () => {
    const error = await rejection(client.send(new CreateUserCommand(userInput({ IdentityStoreId: 'd-0000000000' }))));

    expect(error).toBeInstanceOf(ResourceNotFoundException);
    expect(error).toMatchObject({ ResourceType: 'IDENTITY_STORE', ResourceId: 'd-0000000000' });
  });

  it('answers ResourceNotFoundException USER for an unknown user and for a user of another store', async () => {
    const missing = randomUUID();
    const other = await createUser();

    const unknown = await rejection(client.send(new DescribeUserCommand({ IdentityStoreId: STORE, UserId: missing })));
    const elsewhere = await rejection(client.send(new DescribeUserCommand({ IdentityStoreId: OTHER_STORE, UserId: other })));

    expect(unknown).toBeInstanceOf(ResourceNotFoundException);
    expect(unknown).toMatchObject({ ResourceType: 'USER', ResourceId: missing });
    expect(elsewhere).toBeInstanceOf(ResourceNotFoundException);
  });

  it('lists users filtered by UserName, matching case-insensitively', async () => {
    const userName = unique('filter');
    const userId = await createUser({ UserName: userName });
    await createUser();

    const { Users } = await client.send(
      new ListUsersCommand({ IdentityStoreId: STORE, Filters: [{ AttributePath: 'UserName', AttributeValue: userName.toUpperCase() }] }),
    );

    expect(Users?.map((user) => user.UserId)).toEqual([userId]);
    expect(Users?.[0]).toMatchObject({ UserName: userName, UserStatus: 'ENABLED' });
  });

  it('rejects a ListUsers filter on an unsupported attribute', async () => {
    const call = client.send(new ListUsersCommand({ IdentityStoreId: STORE, Filters: [{ AttributePath: 'Title', AttributeValue: 'x' }] }));

    await expect(call).rejects.toBeInstanceOf(ValidationException);
  });

  it('pages through users with MaxResults and NextToken', async () => {
    const created: string[] = [];
    for (let i = 0; i < 5; i++) created.push(await createUser({ IdentityStoreId: OTHER_STORE }));

    const pages: string[][] = [];
    let nextToken: string | undefined;
    for (let page = 0; page < 10; page++) {
      const out = await client.send(new ListUsersCommand({ IdentityStoreId: OTHER_STORE, MaxResults: 2, NextToken: nextToken }));
      pages.push((out.Users ?? []).map((user) => user.UserId ?? ''));
      nextToken = out.NextToken;
      if (!nextToken) break;
    }

    expect(pages.map((page) => page.length)).toEqual([2, 2, 1]);
    expect(pages.flat()).toEqual(created);
  });

  it('rejects a NextToken it did not issue', async () => {
    const call = client.send(new ListUsersCommand({ IdentityStoreId: STORE, NextToken: 'not-a-token' }));

    await expect(call).rejects.toBeInstanceOf(ValidationException);
  });

  it('finds a user id by userName (any case) and by emails.value', async () => {
    const input = userInput();
    const userName = input.UserName ?? '';
    const userId = await createUser(input);

    const byName = await client.send(
      new GetUserIdCommand({
        IdentityStoreId: STORE,
        AlternateIdentifier: { UniqueAttribute: { AttributePath: 'userName', AttributeValue: userName.toUpperCase() } },
      }),
    );
    const byEmail = await client.send(
      new GetUserIdCommand({
        IdentityStoreId: STORE,
        AlternateIdentifier: { UniqueAttribute: { AttributePath: 'emails.value', AttributeValue: input.Emails?.[0]?.Value } },
      }),
    );

    expect(byName).toMatchObject({ IdentityStoreId: STORE, UserId: userId });
    expect(byEmail.UserId).toBe(userId);
  });

  it('answers GetUserId for an unknown userName or ExternalId with ResourceNotFoundException USER', async () => {
    const byName = await rejection(
      client.send(
        new GetUserIdCommand({
          IdentityStoreId: STORE,
          AlternateIdentifier: { UniqueAttribute: { AttributePath: 'userName', AttributeValue: unique('nobody') } },
        }),
      ),
    );
    const byExternalId = await rejection(
      client.send(new GetUserIdCommand({ IdentityStoreId: STORE, AlternateIdentifier: { ExternalId: { Issuer: 'scim', Id: 'nobody' } } })),
    );

    expect(byName).toBeInstanceOf(ResourceNotFoundException);
    expect(byName).toMatchObject({ ResourceType: 'USER' });
    expect(byExternalId).toBeInstanceOf(ResourceNotFoundException);
  });

  it('finds a user seeded with ExternalIds (as SCIM sync would) by its ExternalId', async () => {
    const seeded = await fetch(endpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'AWSIdentityStore.CreateUser' },
      body: JSON.stringify({ ...userInput(), ExternalIds: [{ Issuer: 'https://idp.example.com', Id: 'emp-42' }] }),
    });
    const { UserId } = (await seeded.json()) as { UserId: string };

    const found = await client.send(
      new GetUserIdCommand({
        IdentityStoreId: STORE,
        AlternateIdentifier: { ExternalId: { Issuer: 'https://idp.example.com', Id: 'emp-42' } },
      }),
    );

    expect(seeded.status).toBe(200);
    expect(found.UserId).toBe(UserId);
  });

  it('keeps the enterprise extension CreateUser sets and returns it only when DescribeUser or ListUsers name it (API of 2025-12)', async () => {
    const extensions = { 'aws:identitystore:enterprise': { employeeNumber: 'E-4242', department: 'R&D' } };
    const UserId = await createUser({ Extensions: extensions });

    const plain = await client.send(new DescribeUserCommand({ IdentityStoreId: STORE, UserId }));
    const asked = await client.send(new DescribeUserCommand({ IdentityStoreId: STORE, UserId, Extensions: ['aws:identitystore:enterprise'] }));
    const listed = await client.send(new ListUsersCommand({ IdentityStoreId: STORE, Extensions: ['aws:identitystore:enterprise'] }));
    const unknown = await rejection(client.send(new DescribeUserCommand({ IdentityStoreId: STORE, UserId, Extensions: ['aws:identitystore:custom'] })));
    const badCreate = await rejection(client.send(new CreateUserCommand(userInput({ Extensions: { 'aws:identitystore:custom': {} } }))));

    expect(plain.Extensions).toBeUndefined();
    expect(asked.Extensions).toEqual(extensions);
    expect(listed.Users?.find((user) => user.UserId === UserId)?.Extensions).toEqual(extensions);
    expect(unknown).toBeInstanceOf(ValidationException);
    expect(badCreate).toBeInstanceOf(ValidationException);
  });

  it('rejects GetUserId on an attribute that is not unique', async () => {
    const call = client.send(
      new GetUserIdCommand({
        IdentityStoreId: STORE,
        AlternateIdentifier: { UniqueAttribute: { AttributePath: 'title', AttributeValue: 'Engineer' } },
      }),
    );

    await expect(call).rejects.toBeInstanceOf(ValidationException);
  });

  it('updates displayName, name parts, emails and title, and removes an attribute given no value', async () => {
    const userId = await createUser({ Title: 'Engineer', NickName: 'JD' });

    await client.send(
      new UpdateUserCommand({
        IdentityStoreId: STORE,
        UserId: userId,
        Operations: [
          { AttributePath: 'displayName', AttributeValue: 'Jane Q. Smith' },
          { AttributePath: 'name.givenName', AttributeValue: 'Janet' },
          { AttributePath: 'name.familyName', AttributeValue: 'Smith' },
          { AttributePath: 'emails', AttributeValue: [{ Value: 'janet.smith@example.com', Type: 'work', Primary: true }] },
          { AttributePath: 'title', AttributeValue: 'Staff Engineer' },
          { AttributePath: 'nickName' },
        ],
      }),
    );
    const user = await client.send(new DescribeUserCommand({ IdentityStoreId: STORE, UserId: userId }));

    expect(user).toMatchObject({
      DisplayName: 'Jane Q. Smith',
      Name: { GivenName: 'Janet', FamilyName: 'Smith' },
      Emails: [{ Value: 'janet.smith@example.com', Type: 'work', Primary: true }],
      Title: 'Staff Engineer',
    });
    expect(user.NickName).toBeUndefined();
    expect(user.UpdatedAt?.getTime()).toBeGreaterThanOrEqual(user.CreatedAt?.getTime() ?? Infinity);
  });

  it('refuses an UpdateUser that takes another user\'s UserName', async () => {
    const taken = unique('taken');
    await createUser({ UserName: taken });
    const userId = await createUser();

    const error = await rejection(
      client.send(
        new UpdateUserCommand({ IdentityStoreId: STORE, UserId: userId, Operations: [{ AttributePath: 'userName', AttributeValue: taken }] }),
      ),
    );

    expect(error).toBeInstanceOf(ConflictException);
    expect((error as ConflictException).Reason).toBe('UNIQUENESS_CONSTRAINT_VIOLATION');
  });

  it.each([
    ['removes a required attribute', { AttributePath: 'displayName' }, 'DisplayName'],
    ['edits inside a multi-value attribute', { AttributePath: 'emails[0].value', AttributeValue: 'x@example.com' }, 'multi-value'],
    ['names an unknown attribute', { AttributePath: 'shoeSize', AttributeValue: '42' }, 'shoeSize'],
    ['gives a value of the wrong type', { AttributePath: 'title', AttributeValue: 7 }, 'Title'],
  ])('rejects an UpdateUser that %s and changes nothing', async (_case, operation, mentioned) => {
    const userId = await createUser();
    const before = await client.send(new DescribeUserCommand({ IdentityStoreId: STORE, UserId: userId }));

    const error = await rejection(
      client.send(
        new UpdateUserCommand({
          IdentityStoreId: STORE,
          UserId: userId,
          Operations: [{ AttributePath: 'name.givenName', AttributeValue: 'Changed' }, operation],
        }),
      ),
    );
    const after = await client.send(new DescribeUserCommand({ IdentityStoreId: STORE, UserId: userId }));

    expect(error).toBeInstanceOf(ValidationException);
    expect((error as ValidationException).message).toContain(mentioned);
    expect(after.Name).toEqual(before.Name);
  });

  it('deletes a user together with its group memberships', async () => {
    const userId = await createUser();
    const groupId = await createGroup();
    const membershipId = await addMember(groupId, userId);

    await client.send(new DeleteUserCommand({ IdentityStoreId: STORE, UserId: userId }));

    await expect(client.send(new DescribeUserCommand({ IdentityStoreId: STORE, UserId: userId }))).rejects.toBeInstanceOf(
      ResourceNotFoundException,
    );
    const membership = await rejection(client.send(new DescribeGroupMembershipCommand({ IdentityStoreId: STORE, MembershipId: membershipId })));
    expect(membership).toMatchObject({ ResourceType: 'GROUP_MEMBERSHIP', ResourceId: membershipId });
    const { GroupMemberships } = await client.send(new ListGroupMembershipsCommand({ IdentityStoreId: STORE, GroupId: groupId }));
    expect(GroupMemberships).toEqual([]);
  });
});

describe('identity store emulator: groups', () => {
  it('creates, describes, finds and lists a group by DisplayName', async () => {
    const displayName = unique('platform');
    const { GroupId } = await client.send(
      new CreateGroupCommand({ IdentityStoreId: STORE, DisplayName: displayName, Description: 'Platform team' }),
    );
    await createGroup();

    const described = await client.send(new DescribeGroupCommand({ IdentityStoreId: STORE, GroupId }));
    const found = await client.send(
      new GetGroupIdCommand({
        IdentityStoreId: STORE,
        AlternateIdentifier: { UniqueAttribute: { AttributePath: 'displayName', AttributeValue: displayName } },
      }),
    );
    const listed = await client.send(
      new ListGroupsCommand({ IdentityStoreId: STORE, Filters: [{ AttributePath: 'DisplayName', AttributeValue: displayName }] }),
    );

    expect(GroupId).toMatch(ID_IN_STORE);
    expect(described).toMatchObject({ GroupId, IdentityStoreId: STORE, DisplayName: displayName, Description: 'Platform team' });
    expect(described.CreatedAt).toBeInstanceOf(Date);
    expect(found).toMatchObject({ GroupId, IdentityStoreId: STORE });
    expect(listed.Groups?.map((group) => group.GroupId)).toEqual([GroupId]);
  });

  it('pages through groups', async () => {
    for (let i = 0; i < 3; i++) await createGroup(unique('paged'), OTHER_STORE);

    const first = await client.send(new ListGroupsCommand({ IdentityStoreId: OTHER_STORE, MaxResults: 2 }));
    const second = await client.send(new ListGroupsCommand({ IdentityStoreId: OTHER_STORE, MaxResults: 2, NextToken: first.NextToken }));

    expect(first.Groups).toHaveLength(2);
    expect(first.NextToken).toEqual(expect.any(String));
    expect(second.Groups?.length).toBeGreaterThanOrEqual(1);
    expect(second.Groups?.map((group) => group.GroupId)).not.toContain(first.Groups?.[0]?.GroupId);
  });

  it('refuses a second group with the same DisplayName', async () => {
    const displayName = unique('dup-group');
    await createGroup(displayName);

    const error = await rejection(client.send(new CreateGroupCommand({ IdentityStoreId: STORE, DisplayName: displayName })));

    expect(error).toBeInstanceOf(ConflictException);
    expect((error as ConflictException).Reason).toBe('UNIQUENESS_CONSTRAINT_VIOLATION');
  });

  it('rejects a CreateGroup without DisplayName, naming it', async () => {
    const error = await rejection(client.send(new CreateGroupCommand({ IdentityStoreId: STORE })));

    expect(error).toBeInstanceOf(ValidationException);
    expect((error as ValidationException).message).toContain('DisplayName');
  });

  it('answers GetGroupId for an unknown displayName with ResourceNotFoundException GROUP', async () => {
    const error = await rejection(
      client.send(
        new GetGroupIdCommand({
          IdentityStoreId: STORE,
          AlternateIdentifier: { UniqueAttribute: { AttributePath: 'displayName', AttributeValue: unique('none') } },
        }),
      ),
    );

    expect(error).toBeInstanceOf(ResourceNotFoundException);
    expect(error).toMatchObject({ ResourceType: 'GROUP' });
  });

  it('updates a group description', async () => {
    const groupId = await createGroup();

    await client.send(
      new UpdateGroupCommand({ IdentityStoreId: STORE, GroupId: groupId, Operations: [{ AttributePath: 'description', AttributeValue: 'On call' }] }),
    );
    const group = await client.send(new DescribeGroupCommand({ IdentityStoreId: STORE, GroupId: groupId }));

    expect(group.Description).toBe('On call');
  });

  it('deletes a group and its memberships', async () => {
    const groupId = await createGroup();
    const userId = await createUser();
    await addMember(groupId, userId);

    await client.send(new DeleteGroupCommand({ IdentityStoreId: STORE, GroupId: groupId }));

    const error = await rejection(client.send(new DescribeGroupCommand({ IdentityStoreId: STORE, GroupId: groupId })));
    expect(error).toBeInstanceOf(ResourceNotFoundException);
    expect(error).toMatchObject({ ResourceType: 'GROUP', ResourceId: groupId });
    const { GroupMemberships } = await client.send(
      new ListGroupMembershipsForMemberCommand({ IdentityStoreId: STORE, MemberId: { UserId: userId } }),
    );
    expect(GroupMemberships).toEqual([]);
  });
});

describe('identity store emulator: group memberships', () => {
  it('creates, describes, finds and lists a membership from both sides', async () => {
    const groupId = await createGroup();
    const userId = await createUser();

    const membershipId = await addMember(groupId, userId);
    const described = await client.send(new DescribeGroupMembershipCommand({ IdentityStoreId: STORE, MembershipId: membershipId }));
    const found = await client.send(
      new GetGroupMembershipIdCommand({ IdentityStoreId: STORE, GroupId: groupId, MemberId: { UserId: userId } }),
    );
    const ofGroup = await client.send(new ListGroupMembershipsCommand({ IdentityStoreId: STORE, GroupId: groupId }));
    const ofUser = await client.send(new ListGroupMembershipsForMemberCommand({ IdentityStoreId: STORE, MemberId: { UserId: userId } }));

    expect(membershipId).toMatch(ID_IN_STORE);
    expect(described).toMatchObject({ IdentityStoreId: STORE, MembershipId: membershipId, GroupId: groupId, MemberId: { UserId: userId } });
    expect(found).toMatchObject({ IdentityStoreId: STORE, MembershipId: membershipId });
    expect(ofGroup.GroupMemberships).toEqual([expect.objectContaining({ MembershipId: membershipId, MemberId: { UserId: userId } })]);
    expect(ofUser.GroupMemberships).toEqual([expect.objectContaining({ MembershipId: membershipId, GroupId: groupId })]);
  });

  it('pages through a group\'s memberships', async () => {
    const groupId = await createGroup();
    for (let i = 0; i < 3; i++) await addMember(groupId, await createUser());

    const first = await client.send(new ListGroupMembershipsCommand({ IdentityStoreId: STORE, GroupId: groupId, MaxResults: 2 }));
    const second = await client.send(
      new ListGroupMembershipsCommand({ IdentityStoreId: STORE, GroupId: groupId, MaxResults: 2, NextToken: first.NextToken }),
    );

    expect(first.GroupMemberships).toHaveLength(2);
    expect(second.GroupMemberships).toHaveLength(1);
    expect(second.NextToken).toBeUndefined();
  });

  it('refuses a membership that already exists', async () => {
    const groupId = await createGroup();
    const userId = await createUser();
    await addMember(groupId, userId);

    const error = await rejection(addMember(groupId, userId));

    expect(error).toBeInstanceOf(ConflictException);
    expect((error as ConflictException).Reason).toBe('UNIQUENESS_CONSTRAINT_VIOLATION');
  });

  it('refuses a membership of an unknown group or an unknown user', async () => {
    const groupId = await createGroup();
    const userId = await createUser();
    const missing = randomUUID();

    const noGroup = await rejection(addMember(missing, userId));
    const noUser = await rejection(addMember(groupId, missing));

    expect(noGroup).toBeInstanceOf(ResourceNotFoundException);
    expect(noGroup).toMatchObject({ ResourceType: 'GROUP', ResourceId: missing });
    expect(noUser).toBeInstanceOf(ResourceNotFoundException);
    expect(noUser).toMatchObject({ ResourceType: 'USER', ResourceId: missing });
  });

  it('deletes a membership, after which it cannot be found', async () => {
    const groupId = await createGroup();
    const userId = await createUser();
    const membershipId = await addMember(groupId, userId);

    await client.send(new DeleteGroupMembershipCommand({ IdentityStoreId: STORE, MembershipId: membershipId }));

    const lookup = await rejection(
      client.send(new GetGroupMembershipIdCommand({ IdentityStoreId: STORE, GroupId: groupId, MemberId: { UserId: userId } })),
    );
    const again = await rejection(client.send(new DeleteGroupMembershipCommand({ IdentityStoreId: STORE, MembershipId: membershipId })));
    expect(lookup).toBeInstanceOf(ResourceNotFoundException);
    expect(lookup).toMatchObject({ ResourceType: 'GROUP_MEMBERSHIP' });
    expect(again).toBeInstanceOf(ResourceNotFoundException);
  });
});

describe('identity store emulator: persistence and faults', () => {
  it('keeps users, groups and memberships in its state folder across restarts', async () => {
    const stateDir = await mkdtemp(join(tmpdir(), 'gatehouse-identitystore-'));
    onTestFinished(() => rm(stateDir, { recursive: true, force: true }));
    const options = { identityStoreIds: [STORE] };
    const first = new IdentitystoreClient(clientConfig(await serveForThisTest(createIdentityStoreEmulator({ stateDir, faults: noFaults() }, options))));
    const { UserId } = await first.send(new CreateUserCommand(userInput()));
    const { GroupId } = await first.send(new CreateGroupCommand({ IdentityStoreId: STORE, DisplayName: 'Persisted' }));
    const { MembershipId } = await first.send(
      new CreateGroupMembershipCommand({ IdentityStoreId: STORE, GroupId, MemberId: { UserId: UserId ?? '' } }),
    );

    const second = new IdentitystoreClient(clientConfig(await serveForThisTest(createIdentityStoreEmulator({ stateDir, faults: noFaults() }, options))));
    const user = await second.send(new DescribeUserCommand({ IdentityStoreId: STORE, UserId }));
    const group = await second.send(new DescribeGroupCommand({ IdentityStoreId: STORE, GroupId }));
    const membership = await second.send(new DescribeGroupMembershipCommand({ IdentityStoreId: STORE, MembershipId }));

    expect(existsSync(join(stateDir, 'identitystore.json'))).toBe(true);
    expect(user.UserId).toBe(UserId);
    expect(group.DisplayName).toBe('Persisted');
    expect(membership).toMatchObject({ GroupId, MemberId: { UserId } });
  });

  it('surfaces an injected throttle as ThrottlingException', async () => {
    const faults = new FaultInjector([{ service: 'identitystore', operation: '*', throttle: 1, latencyMs: 0 }]);
    const throttled = new IdentitystoreClient(
      clientConfig(await serveForThisTest(createIdentityStoreEmulator({ faults }, { identityStoreIds: [STORE] })), 1),
    );

    await expect(throttled.send(new ListUsersCommand({ IdentityStoreId: STORE }))).rejects.toBeInstanceOf(ThrottlingException);
    expect(faults.throttled.get('identitystore:ListUsers')).toBe(1);
  });
});
