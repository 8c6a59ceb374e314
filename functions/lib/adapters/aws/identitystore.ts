import {
  CreateGroupMembershipCommand,
  CreateUserCommand,
  DeleteGroupMembershipCommand,
  DeleteUserCommand,
  DescribeUserCommand,
  GetGroupIdCommand,
  GetGroupMembershipIdCommand,
  GetUserIdCommand,
  UpdateUserCommand,
  type AttributeOperation,
  type IdentitystoreClient,
} from '@aws-sdk/client-identitystore';
import { TransientError, ValidationError } from '../../domain/shared/errors.ts';

import { logger } from '../../runtime/logger.ts';
import { callAws, isAwsError } from './call-aws.ts';
import { GroupNotFoundError, UserNotFoundError } from '../../domain/provision/errors.ts';
import type { GroupRef, MembershipResult } from '../../domain/provision/schemas.ts';
import { linkedEmployeeOf, linkExtensions } from './identity-link.ts';
import { IdentityConflictError } from '../../domain/identity/identity-conflict.ts';
import type { UndoOutcome, UserRef, ResolvedGroup, EnsuredUser, IdentityStorePort } from '../../domain/provision/ports.ts';

export interface IdentityStoreDeps {
  client: Pick<IdentitystoreClient, 'send'>;
  identityStoreId: string;
  /** How long a group id found by display name is reused (default GROUP_ID_TTL_MS; 0: look it up every time). */
  groupIdTtlMs?: number;
  now?: () => number;
}

/**
 * Group ids change only when an administrator deletes a group and makes another of the same name;
 * a warm container reuses each id it found for this long instead of a GetGroupId per person. An
 * id that has gone stale is noticed by the next call that names it (ResourceNotFoundException of
 * type GROUP), which forgets it and looks the name up again once.
 */
export const GROUP_ID_TTL_MS = 5 * 60 * 1000;

/** Identity Store user names are at most 128 characters. */
const MAX_USER_NAME = 128;

const isResolved = (group: GroupRef | ResolvedGroup): group is ResolvedGroup => typeof group.groupId === 'string';

type ResourceType = 'USER' | 'GROUP' | 'GROUP_MEMBERSHIP';

/**
 * A ResourceNotFoundException about `type`. One naming the identity store itself (a wrong
 * IDENTITY_STORE_ID) is not "the user is missing" and must propagate.
 */
function isNotFound(error: unknown, type: ResourceType): boolean {
  if (!isAwsError(error, 'ResourceNotFoundException')) return false;
  const resourceType = (error as { ResourceType?: unknown }).ResourceType;
  return resourceType === undefined || resourceType === type;
}

export function createIdentityStore({ client, identityStoreId: IdentityStoreId, groupIdTtlMs = GROUP_ID_TTL_MS, now = Date.now }: IdentityStoreDeps): IdentityStorePort {
  const groupIds = new Map<string, { groupId: string; until: number }>();
  /** The user by name, if it is not linked to an employee other than `employeeId`. */
  async function findOwnUserId(userName: string, employeeId?: string): Promise<string | undefined> {
    const userId = await findUserId(userName);
    if (userId === undefined || employeeId === undefined) return userId;
    const linked = await linkedEmployeeOf(client, IdentityStoreId, userId);
    if (linked === undefined || linked === employeeId) return userId;
    logger.warn('identity store user belongs to another employee', { userId, employeeId, linkedEmployeeId: linked });
    return undefined;
  }

  async function findUserId(userName: string): Promise<string | undefined> {
    try {
      const out = await callAws('GetUserId', () =>
        client.send(
          new GetUserIdCommand({
            IdentityStoreId,
            AlternateIdentifier: { UniqueAttribute: { AttributePath: 'userName', AttributeValue: userName } },
          }),
        ),
      );
      return out.UserId;
    } catch (error) {
      if (isNotFound(error, 'USER')) return undefined;
      throw error;
    }
  }

  /** The group's id by display name: from the warm container's memory while GROUP_ID_TTL_MS lasts, else GetGroupId. */
  async function findGroupId(displayName: string): Promise<string | undefined> {
    const known = groupIds.get(displayName);
    if (known && known.until > now()) return known.groupId;
    groupIds.delete(displayName);
    try {
      const out = await callAws('GetGroupId', () =>
        client.send(
          new GetGroupIdCommand({
            IdentityStoreId,
            AlternateIdentifier: { UniqueAttribute: { AttributePath: 'displayName', AttributeValue: displayName } },
          }),
        ),
      );
      if (out.GroupId && groupIdTtlMs > 0) groupIds.set(displayName, { groupId: out.GroupId, until: now() + groupIdTtlMs });
      return out.GroupId;
    } catch (error) {
      if (isNotFound(error, 'GROUP')) return undefined;
      throw error;
    }
  }

  /**
   * Runs `use` with the id `group` was resolved to here; when the call says that group is gone
   * (GroupNotFoundError) the id may be a remembered, stale one: forget it and, if the name now
   * names another group, run once more with that id.
   */
  async function againIfStale<T>(group: GroupRef | ResolvedGroup, resolved: ResolvedGroup, use: (resolved: ResolvedGroup) => Promise<T>): Promise<T> {
    try {
      return await use(resolved);
    } catch (error) {
      if (!(error instanceof GroupNotFoundError) || isResolved(group)) throw error;
      groupIds.delete(group.displayName);
      const fresh = await findGroupId(group.displayName);
      if (!fresh || fresh === resolved.groupId) throw error;
      return use({ ...resolved, groupId: fresh });
    }
  }

  async function findMembershipId(groupId: string, userId: string, displayName: string): Promise<string | undefined> {
    try {
      const out = await callAws('GetGroupMembershipId', () =>
        client.send(new GetGroupMembershipIdCommand({ IdentityStoreId, GroupId: groupId, MemberId: { UserId: userId } })),
      );
      return out.MembershipId;
    } catch (error) {
      if (isAwsError(error, 'ResourceNotFoundException') && (error as { ResourceType?: unknown }).ResourceType === 'GROUP') {
        throw new GroupNotFoundError([displayName], { cause: error });
      }
      if (isNotFound(error, 'GROUP_MEMBERSHIP')) return undefined;
      throw error;
    }
  }

  async function createUser(employee: UserRef): Promise<string | undefined> {
    try {
      const out = await callAws('CreateUser', () =>
        client.send(
          new CreateUserCommand({
            IdentityStoreId,
            UserName: employee.email,
            DisplayName: `${employee.firstName} ${employee.lastName}`,
            Name: { GivenName: employee.firstName, FamilyName: employee.lastName },
            Emails: [{ Value: employee.email, Type: 'work', Primary: true }],
            UserType: employee.employmentType,
            ...(employee.employeeId ? { Extensions: linkExtensions(employee.employeeId) } : {}),
          }),
        ),
      );
      return out.UserId;
    } catch (error) {
      // A concurrent create of the same user name won; the caller re-reads it.
      if (isAwsError(error, 'ConflictException')) return undefined;
      throw error;
    }
  }

  async function ensureUser(employee: UserRef, beforeCreate?: () => Promise<void>): Promise<EnsuredUser> {
    if (employee.email.length > MAX_USER_NAME) {
      throw new ValidationError(`employee.email: longer than the ${MAX_USER_NAME} characters an Identity Store user name allows`);
    }
    const existing = await findUserId(employee.email);
    if (existing) return { userId: await ownedBy(existing, employee), origin: 'existing' };
    await beforeCreate?.();
    const created = await createUser(employee);
    if (created) {
      logger.info('identity store user created', { userId: created });
      return { userId: created, origin: 'created' };
    }
    const winner = await findUserId(employee.email);
    if (!winner) throw new TransientError('CreateUser conflicted but the user is not readable yet');
    return { userId: await ownedBy(winner, employee), origin: 'concurrent' };
  }

  /** The user, unless it is linked to another employee: IdentityConflictError, never a merge. */
  async function ownedBy(userId: string, employee: UserRef): Promise<string> {
    if (employee.employeeId === undefined) return userId;
    const linked = await linkedEmployeeOf(client, IdentityStoreId, userId);
    if (linked !== undefined && linked !== employee.employeeId) throw new IdentityConflictError(employee.email, employee.employeeId, linked);
    return userId;
  }

  async function findGroups(groups: readonly GroupRef[]): Promise<ResolvedGroup[]> {
    const resolved: ResolvedGroup[] = [];
    const missing: string[] = [];
    for (const group of groups) {
      const groupId = await findGroupId(group.displayName);
      if (groupId) resolved.push({ ...group, groupId });
      else missing.push(group.displayName);
    }
    if (missing.length > 0) throw new GroupNotFoundError(missing);
    return resolved;
  }

  /**
   * Create first, read only on a conflict: a membership Gatehouse adds is almost always new, so
   * the usual cost is one CreateGroupMembership. A user already in the group is a ConflictException
   * ("would violate an existing uniqueness claim"), after which GetGroupMembershipId returns the
   * existing id; a missing group or user is a ResourceNotFoundException naming its ResourceType.
   * https://docs.aws.amazon.com/singlesignon/latest/IdentityStoreAPIReference/API_CreateGroupMembership.html
   * https://docs.aws.amazon.com/singlesignon/latest/IdentityStoreAPIReference/API_GetGroupMembershipId.html
   */
  async function ensureMembership(userId: string, group: ResolvedGroup): Promise<MembershipResult> {
    const result = (membershipId: string): MembershipResult => ({ entitlementId: group.id, groupId: group.groupId, membershipId });
    try {
      const out = await callAws('CreateGroupMembership', () =>
        client.send(new CreateGroupMembershipCommand({ IdentityStoreId, GroupId: group.groupId, MemberId: { UserId: userId } })),
      );
      if (out.MembershipId) {
        logger.info('group membership created', { groupId: group.groupId, membershipId: out.MembershipId });
        return result(out.MembershipId);
      }
    } catch (error) {
      if (isAwsError(error, 'ResourceNotFoundException')) {
        const resourceType = (error as { ResourceType?: unknown }).ResourceType;
        if (resourceType === 'GROUP') throw new GroupNotFoundError([group.displayName], { cause: error });
        if (resourceType === 'USER') throw new UserNotFoundError(userId, { cause: error });
      }
      // Already a member (an earlier attempt, or a concurrent call, made it): read its id below.
      if (!isAwsError(error, 'ConflictException')) throw error;
    }
    const existing = await findMembershipId(group.groupId, userId, group.displayName);
    if (!existing) throw new TransientError(`CreateGroupMembership for group ${group.groupId} conflicted but the membership is not readable yet`);
    return result(existing);
  }

  async function ensureMemberships(userId: string, groups: readonly (GroupRef | ResolvedGroup)[]): Promise<MembershipResult[]> {
    // Every group is checked before any membership is made, so a missing one leaves nothing to undo
    // (one remembered from an earlier call is checked by its own CreateGroupMembership).
    const found = new Map((await findGroups(groups.filter((group) => !isResolved(group)))).map((group) => [group.id, group]));
    const memberships: MembershipResult[] = [];
    for (const group of groups) {
      const resolved = isResolved(group) ? group : found.get(group.id);
      if (resolved) memberships.push(await againIfStale(group, resolved, (current) => ensureMembership(userId, current)));
    }
    return memberships;
  }

  async function findMembership(userId: string, group: GroupRef): Promise<MembershipResult | undefined> {
    const groupId = await findGroupId(group.displayName);
    if (!groupId) return undefined;
    try {
      return await againIfStale(group, { ...group, groupId }, async (current) => {
        const membershipId = await findMembershipId(current.groupId, userId, group.displayName);
        return membershipId ? { entitlementId: group.id, groupId: current.groupId, membershipId } : undefined;
      });
    } catch (error) {
      if (error instanceof GroupNotFoundError) return undefined;
      throw error;
    }
  }

  async function removeMembership(membershipId: string): Promise<UndoOutcome> {
    try {
      await callAws('DeleteGroupMembership', () => client.send(new DeleteGroupMembershipCommand({ IdentityStoreId, MembershipId: membershipId })));
      return 'undone';
    } catch (error) {
      if (isNotFound(error, 'GROUP_MEMBERSHIP')) return 'already-gone';
      throw error;
    }
  }

  async function deleteUser(userId: string): Promise<UndoOutcome> {
    try {
      await callAws('DeleteUser', () => client.send(new DeleteUserCommand({ IdentityStoreId, UserId: userId })));
      return 'undone';
    } catch (error) {
      if (isNotFound(error, 'USER')) return 'already-gone';
      throw error;
    }
  }

  /** One UpdateUser call; `attributes` names what changed for the log (never the values). */
  async function updateUser(userId: string, attributes: string[], Operations: AttributeOperation[]): Promise<void> {
    await callAws('UpdateUser', () => client.send(new UpdateUserCommand({ IdentityStoreId, UserId: userId, Operations })));
    logger.info('identity store user updated', { userId, attributes });
  }

  /**
   * UpdateUser replaces each attribute named by an AttributePath; `emails` is multi-valued, so it
   * takes the full replacement list (a sub-path like `emails[0].value` is refused). Setting the
   * same values again is a no-op, so a retry is safe. User names are unique per identity store:
   * a ConflictException means another user holds the new one.
   * https://docs.aws.amazon.com/singlesignon/latest/IdentityStoreAPIReference/API_UpdateUser.html
   * https://docs.aws.amazon.com/singlesignon/latest/IdentityStoreAPIReference/API_AttributeOperation.html
   */
  async function updateUserEmail(userId: string, email: string, employeeId: string): Promise<'updated' | 'gone'> {
    if (email.length > MAX_USER_NAME) throw new ValidationError(`employee.email: longer than the ${MAX_USER_NAME} characters an Identity Store user name allows`);
    try {
      await updateUser(userId, ['userName', 'emails'], [
        { AttributePath: 'userName', AttributeValue: email },
        { AttributePath: 'emails', AttributeValue: [{ Value: email, Type: 'work', Primary: true }] },
      ]);
      return 'updated';
    } catch (error) {
      if (isNotFound(error, 'USER')) return 'gone';
      if (isAwsError(error, 'ConflictException')) {
        const holder = await findUserId(email);
        const linked = holder === undefined ? undefined : await linkedEmployeeOf(client, IdentityStoreId, holder);
        throw new IdentityConflictError(email, employeeId, linked ?? `(none: user ${holder ?? 'not readable'} is not linked)`, { cause: error });
      }
      throw error;
    }
  }

  /**
   * The user's display name and name as the joiner sets them (`<first> <last>`, given and family
   * name), when they differ from what DescribeUser returns: a renamed person keeps their user. Each
   * AttributePath replaces one attribute (`displayName`, `name.givenName`, `name.familyName`).
   * https://docs.aws.amazon.com/singlesignon/latest/IdentityStoreAPIReference/API_UpdateUser.html
   */
  async function updateUserNames(userId: string, firstName: string, lastName: string): Promise<'updated' | 'unchanged' | 'gone'> {
    const displayName = `${firstName} ${lastName}`;
    try {
      const user = await callAws('DescribeUser', () => client.send(new DescribeUserCommand({ IdentityStoreId, UserId: userId })));
      if (user.DisplayName === displayName && user.Name?.GivenName === firstName && user.Name.FamilyName === lastName) return 'unchanged';
      await updateUser(userId, ['displayName', 'name'], [
        { AttributePath: 'displayName', AttributeValue: displayName },
        { AttributePath: 'name.givenName', AttributeValue: firstName },
        { AttributePath: 'name.familyName', AttributeValue: lastName },
      ]);
      return 'updated';
    } catch (error) {
      if (isNotFound(error, 'USER')) return 'gone';
      throw error;
    }
  }

  return { ensureUser, findGroups, ensureMemberships, findUserId: findOwnUserId, findMembership, removeMembership, deleteUser, updateUserEmail, updateUserNames };
}
