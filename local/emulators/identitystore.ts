import type { z } from 'zod';
import { validationError } from '../core/aws-error.ts';
import { stateFile, type Emulator, type EmulatorContext } from '../core/emulator.ts';
import { awsJsonService, type Operation } from '../core/protocols.ts';
import { paginate as pageOf, type Page } from '../core/pagination.ts';
import { JsonStore } from '../core/store.ts';
import { emptyIdentityStoreData, IdentityStoreModel, notFound, type UserRecord } from './identitystore-model.ts';
import { parseOrThrow, requests, type AlternateIdentifier, type ExternalId, type Filters } from './identitystore-schemas.ts';

/**
 * AWS IAM Identity Center's Identity Store API (awsJson 1.1, `AWSIdentityStore.<Op>`):
 * users, groups and group memberships, with AWS's error codes. State lives in
 * `identitystore.json` under the state folder, saved after every mutation.
 */

export interface IdentityStoreOptions {
  /** The identity stores that exist (e.g. `d-1234567890`); any other id is ResourceNotFoundException. */
  identityStoreIds: string[];
}

/** One page of a listing; a NextToken minted for another listing is a ValidationException. */
function paginate<T>(scope: string, items: T[], maxResults: number | undefined, nextToken: string | undefined): Page<T> {
  return pageOf(items, { scope, maxResults, nextToken, invalidToken: () => validationError('NextToken is invalid') });
}

/** The single filter value for `path`, or undefined; any other AttributePath is a ValidationException. */
function filterValue(given: Filters | undefined, path: string): string | undefined {
  for (const filter of given ?? []) {
    if (filter.AttributePath !== path) throw validationError(`Filters AttributePath '${filter.AttributePath}' is not supported (use ${path})`);
  }
  return given?.[0]?.AttributeValue;
}

const lookup = (alternate: AlternateIdentifier): { path: string; value: unknown } | ExternalId =>
  alternate.ExternalId ?? { path: alternate.UniqueAttribute?.AttributePath ?? '', value: alternate.UniqueAttribute?.AttributeValue };

/** A user as DescribeUser / ListUsers answer: extensions only when the request names them. */
function userView(user: UserRecord, extensions?: readonly string[]) {
  const { Extensions, ...attributes } = user;
  const wanted = Extensions && extensions ? Object.fromEntries(Object.entries(Extensions).filter(([name]) => extensions.includes(name))) : {};
  return { ...attributes, UserStatus: 'ENABLED', ...(Object.keys(wanted).length > 0 ? { Extensions: wanted } : {}) };
}

export function createIdentityStoreEmulator(ctx: EmulatorContext, options: IdentityStoreOptions): Emulator {
  const store = new JsonStore(stateFile(ctx, 'identitystore'), emptyIdentityStoreData);
  const model = new IdentityStoreModel(store.data);
  const known = new Set(options.identityStoreIds);

  /** Validates the input, checks the identity store exists, runs, and saves after a mutation. */
  const op =
    <S extends z.ZodType<{ IdentityStoreId: string }>>(schema: S, run: (input: z.output<S>) => unknown, mutates = false): Operation =>
    (raw) => {
      const input = parseOrThrow(schema, raw);
      if (!known.has(input.IdentityStoreId)) throw notFound('IDENTITY_STORE', input.IdentityStoreId);
      const output = run(input);
      if (mutates) store.save();
      return output;
    };

  const handler = awsJsonService({
    service: 'identitystore',
    targetPrefix: 'AWSIdentityStore',
    jsonVersion: '1.1',
    faults: ctx.faults,
    operations: {
      CreateUser: op(
        requests.createUser,
        ({ IdentityStoreId, ...attributes }) => ({ IdentityStoreId, UserId: model.createUser(IdentityStoreId, attributes).UserId }),
        true,
      ),
      DescribeUser: op(requests.describeUser, (i) => userView(model.user(i.IdentityStoreId, i.UserId), i.Extensions)),
      ListUsers: op(requests.listUsers, (i) => {
        const page = paginate(`ListUsers:${i.IdentityStoreId}`, model.users(i.IdentityStoreId, filterValue(i.Filters, 'UserName')), i.MaxResults, i.NextToken);
        return { Users: page.items.map((user) => userView(user, i.Extensions)), NextToken: page.nextToken };
      }),
      GetUserId: op(requests.alternate, (i) => ({
        IdentityStoreId: i.IdentityStoreId,
        UserId: model.findUser(i.IdentityStoreId, lookup(i.AlternateIdentifier)).UserId,
      })),
      UpdateUser: op(requests.updateUser, (i) => model.updateUser(i.IdentityStoreId, i.UserId, i.Operations), true),
      DeleteUser: op(requests.user, (i) => model.deleteUser(i.IdentityStoreId, i.UserId), true),
      CreateGroup: op(
        requests.createGroup,
        ({ IdentityStoreId, ...attributes }) => ({ IdentityStoreId, GroupId: model.createGroup(IdentityStoreId, attributes).GroupId }),
        true,
      ),
      DescribeGroup: op(requests.group, (i) => model.group(i.IdentityStoreId, i.GroupId)),
      GetGroupId: op(requests.alternate, (i) => ({
        IdentityStoreId: i.IdentityStoreId,
        GroupId: model.findGroup(i.IdentityStoreId, lookup(i.AlternateIdentifier)).GroupId,
      })),
      ListGroups: op(requests.listGroups, (i) => {
        const page = paginate(`ListGroups:${i.IdentityStoreId}`, model.groups(i.IdentityStoreId, filterValue(i.Filters, 'DisplayName')), i.MaxResults, i.NextToken);
        return { Groups: page.items, NextToken: page.nextToken };
      }),
      UpdateGroup: op(requests.updateGroup, (i) => model.updateGroup(i.IdentityStoreId, i.GroupId, i.Operations), true),
      DeleteGroup: op(requests.group, (i) => model.deleteGroup(i.IdentityStoreId, i.GroupId), true),
      CreateGroupMembership: op(
        requests.membershipOf,
        (i) => ({
          IdentityStoreId: i.IdentityStoreId,
          MembershipId: model.createMembership(i.IdentityStoreId, i.GroupId, i.MemberId.UserId).MembershipId,
        }),
        true,
      ),
      DescribeGroupMembership: op(requests.membership, (i) => model.membership(i.IdentityStoreId, i.MembershipId)),
      GetGroupMembershipId: op(requests.membershipOf, (i) => {
        model.group(i.IdentityStoreId, i.GroupId);
        const found = model.findMembership(i.IdentityStoreId, i.GroupId, i.MemberId.UserId);
        if (!found) throw notFound('GROUP_MEMBERSHIP', `${i.GroupId}/${i.MemberId.UserId}`);
        return { IdentityStoreId: i.IdentityStoreId, MembershipId: found.MembershipId };
      }),
      ListGroupMemberships: op(requests.listMemberships, (i) => {
        model.group(i.IdentityStoreId, i.GroupId);
        const page = paginate(`ListGroupMemberships:${i.GroupId}`, model.membershipsOfGroup(i.IdentityStoreId, i.GroupId), i.MaxResults, i.NextToken);
        return { GroupMemberships: page.items, NextToken: page.nextToken };
      }),
      ListGroupMembershipsForMember: op(requests.listForMember, (i) => {
        model.user(i.IdentityStoreId, i.MemberId.UserId);
        const page = paginate(`ListGroupMembershipsForMember:${i.MemberId.UserId}`, model.membershipsOfUser(i.IdentityStoreId, i.MemberId.UserId), i.MaxResults, i.NextToken);
        return { GroupMemberships: page.items, NextToken: page.nextToken };
      }),
      DeleteGroupMembership: op(requests.membership, (i) => model.deleteMembership(i.IdentityStoreId, i.MembershipId), true),
    },
  });

  return { service: 'identitystore', handler };
}
