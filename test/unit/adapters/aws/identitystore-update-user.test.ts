import { ConflictException, DescribeUserCommand, GetUserIdCommand, IdentitystoreClient, ResourceNotFoundException, UpdateUserCommand } from '@aws-sdk/client-identitystore';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { createIdentityStore } from '#lib/adapters/aws/identitystore';
import { IdentityConflictError } from '#lib/domain/identity/identity-conflict';
import { ValidationError } from '#lib/domain/shared/errors';
import { USER_ID } from '../../provision/factories.ts';

/** updateUserEmail: the mover's new work e-mail as UpdateUser operations (issue #14). */

const STORE = 'd-9067000000';
const client = new IdentitystoreClient({ region: 'us-east-1' });
const sdk = mockClient(client);
const identity = createIdentityStore({ client, identityStoreId: STORE });
const NEW = 'sam.rivers@example.com';

beforeEach(() => sdk.reset());

describe('updateUserEmail', () => {
  it('sends userName and the full emails list (a multi-valued attribute takes a full replacement)', async () => {
    sdk.on(UpdateUserCommand).resolves({});

    await expect(identity.updateUserEmail(USER_ID, NEW, 'E-2001')).resolves.toBe('updated');

    expect(sdk.commandCalls(UpdateUserCommand)[0]?.args[0].input).toEqual({
      IdentityStoreId: STORE,
      UserId: USER_ID,
      Operations: [
        { AttributePath: 'userName', AttributeValue: NEW },
        { AttributePath: 'emails', AttributeValue: [{ Value: NEW, Type: 'work', Primary: true }] },
      ],
    });
  });

  it('a user that no longer exists is gone', async () => {
    sdk.on(UpdateUserCommand).rejects(new ResourceNotFoundException({ message: 'no user', $metadata: {}, ResourceType: 'USER' }));

    await expect(identity.updateUserEmail(USER_ID, NEW, 'E-2001')).resolves.toBe('gone');
  });

  it('a missing identity store (a wrong IDENTITY_STORE_ID) is not "the user is gone"', async () => {
    sdk.on(UpdateUserCommand).rejects(new ResourceNotFoundException({ message: 'no store', $metadata: {}, ResourceType: 'IDENTITY_STORE' }));

    await expect(identity.updateUserEmail(USER_ID, NEW, 'E-2001')).rejects.toThrow(/no store/);
  });

  it('a user name another user holds is an IdentityConflictError naming that user\'s employee', async () => {
    sdk.on(UpdateUserCommand).rejects(new ConflictException({ message: 'exists', $metadata: {}, Reason: 'UNIQUENESS_CONSTRAINT_VIOLATION' }));
    sdk.on(GetUserIdCommand).resolves({ IdentityStoreId: STORE, UserId: 'other-user' });
    sdk.on(DescribeUserCommand).resolves({ IdentityStoreId: STORE, UserId: 'other-user', Extensions: { 'aws:identitystore:enterprise': { employeeNumber: 'E-3003' } } });

    const error: unknown = await identity.updateUserEmail(USER_ID, NEW, 'E-2001').catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(IdentityConflictError);
    expect((error as IdentityConflictError).linkedEmployeeId).toBe('E-3003');
  });

  it('refuses an address longer than a user name allows, before calling AWS', async () => {
    await expect(identity.updateUserEmail(USER_ID, `${'a'.repeat(120)}@example.com`, 'E-2001')).rejects.toThrow(ValidationError);
    expect(sdk.commandCalls(UpdateUserCommand)).toHaveLength(0);
  });
});
