import { CreateGroupCommand, CreateGroupMembershipCommand, CreateUserCommand, DescribeUserCommand, IdentitystoreClient, ListUsersCommand } from '@aws-sdk/client-identitystore';
import { afterAll, describe, expect, it } from 'vitest';
import { readIdentityUsers } from '../../functions/lib/adapters/aws/adoption-inventory.ts';
import { createIdentityStore } from '../../functions/lib/adapters/aws/identitystore.ts';
import { linkExtensions } from '../../functions/lib/adapters/aws/identity-link.ts';
import { createIdentityStoreEmulator } from '../../local/emulators/identitystore.ts';
import { clientConfig, noFaults, serve } from '../support/emulator.ts';

/**
 * The Identity Store adapters of issue #14 against the emulator, which keeps AWS's rules:
 * adoption reads every page at the documented maximum of 100 (ListUsers with 250 users takes three
 * pages; 101 is refused), with the enterprise link and every membership; a mover's new name is
 * UpdateUser on display name and name, and nothing at all when it already matches.
 */
const STORE = 'd-5550000000';
const endpoint = await serve(createIdentityStoreEmulator({ faults: noFaults() }, { identityStoreIds: [STORE] }));
const client = new IdentitystoreClient(clientConfig(endpoint));
afterAll(() => client.destroy());

let counter = 0;
async function user(linkedTo?: string, names = { first: 'Jane', last: 'Doe' }): Promise<string> {
  counter += 1;
  const userName = `user-${counter}@example.com`;
  const out = await client.send(
    new CreateUserCommand({
      IdentityStoreId: STORE,
      UserName: userName,
      DisplayName: `${names.first} ${names.last}`,
      Name: { GivenName: names.first, FamilyName: names.last },
      Emails: [{ Value: userName, Type: 'work', Primary: true }],
      ...(linkedTo ? { Extensions: linkExtensions(linkedTo) } : {}),
    }),
  );
  return out.UserId ?? '';
}

describe('readIdentityUsers (adoption)', () => {
  it('reads 250 users over pages of at most 100, with links and memberships', { timeout: 30_000 }, async () => {
    const sent: number[] = [];
    const counting = { send: (command: unknown) => (command instanceof ListUsersCommand && sent.push(command.input.MaxResults ?? 0), client.send(command as never)) } as Pick<IdentitystoreClient, 'send'>;
    const ids: string[] = [];
    for (let i = 0; i < 250; i += 1) ids.push(await user(i === 7 ? 'E-7' : undefined));
    const group = await client.send(new CreateGroupCommand({ IdentityStoreId: STORE, DisplayName: 'Engineering' }));
    const membership = await client.send(new CreateGroupMembershipCommand({ IdentityStoreId: STORE, GroupId: group.GroupId, MemberId: { UserId: ids[7] ?? '' } }));

    const users = await readIdentityUsers({ client: counting, identityStoreId: STORE });

    expect(users).toHaveLength(250);
    expect(sent).toEqual([100, 100, 100]);
    const linked = users.find((u) => u.userId === ids[7]);
    expect(linked).toMatchObject({ employeeNumber: 'E-7', emails: [linked?.userName], memberships: [{ membershipId: membership.MembershipId, groupId: group.GroupId, groupName: 'Engineering' }] });
    expect(users.filter((u) => u.employeeNumber !== undefined)).toHaveLength(1);
    await expect(client.send(new ListUsersCommand({ IdentityStoreId: STORE, MaxResults: 101 }))).rejects.toMatchObject({ name: 'ValidationException' });
  });
});

describe('updateUserNames (mover)', () => {
  const identity = createIdentityStore({ client, identityStoreId: STORE });

  it('sets display name, given and family name; a second call finds them equal and writes nothing', async () => {
    const userId = await user('E-1');

    await expect(identity.updateUserNames(userId, 'Samira', 'Rivers')).resolves.toBe('updated');
    const after = await client.send(new DescribeUserCommand({ IdentityStoreId: STORE, UserId: userId }));
    expect(after).toMatchObject({ DisplayName: 'Samira Rivers', Name: { GivenName: 'Samira', FamilyName: 'Rivers' } });
    await expect(identity.updateUserNames(userId, 'Samira', 'Rivers')).resolves.toBe('unchanged');
  });

  it('a user that no longer exists is gone', async () => {
    await expect(identity.updateUserNames('5550000000-11111111-2222-3333-4444-555555555555', 'A', 'B')).resolves.toBe('gone');
  });
});
