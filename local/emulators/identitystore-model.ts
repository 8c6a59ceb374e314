import { randomUUID } from 'node:crypto';
import { AwsError, validationError } from '../core/aws-error.ts';
import {
  parseOrThrow,
  userAttributesSchema,
  groupAttributesSchema,
  type AttributeOperation,
  type ExternalId,
  type GroupAttributes,
  type Name,
  type UserAttributes,
} from './identitystore-schemas.ts';

/**
 * The Identity Store's data and rules, without the wire: users, groups and memberships
 * per identity store, AWS's uniqueness rules, and UpdateUser's attribute paths. Every
 * method throws the AwsError AWS would answer with; the caller persists after mutations.
 */

type Stamps = {
  /** Epoch seconds, as awsJson timestamps travel. */
  CreatedAt: number;
  UpdatedAt: number;
};
export type UserRecord = UserAttributes & Stamps & { IdentityStoreId: string; UserId: string };
export type GroupRecord = GroupAttributes & Stamps & { IdentityStoreId: string; GroupId: string };
export type MembershipRecord = Stamps & {
  IdentityStoreId: string;
  MembershipId: string;
  GroupId: string;
  MemberId: { UserId: string };
};

export interface IdentityStoreData {
  users: Record<string, UserRecord>;
  groups: Record<string, GroupRecord>;
  memberships: Record<string, MembershipRecord>;
}
export const emptyIdentityStoreData = (): IdentityStoreData => ({ users: {}, groups: {}, memberships: {} });

export type ResourceType = 'IDENTITY_STORE' | 'USER' | 'GROUP' | 'GROUP_MEMBERSHIP';

export const notFound = (type: ResourceType, id: string): AwsError =>
  new AwsError('ResourceNotFoundException', `${type} ${id} does not exist`, 400, { ResourceType: type, ResourceId: id });

const conflict = (message: string): AwsError =>
  new AwsError('ConflictException', message, 400, { Reason: 'UNIQUENESS_CONSTRAINT_VIOLATION' });

/** AWS ids look like `<10 hex of the store>-<uuid>` for `d-…` stores, a bare UUID otherwise. */
function newId(identityStoreId: string): string {
  const hex = /^d-([0-9a-f]{10})$/.exec(identityStoreId)?.[1];
  return hex ? `${hex}-${randomUUID()}` : randomUUID();
}

const sameUserName = (a: string, b: string): boolean => a.toLowerCase() === b.toLowerCase();
const hasExternalId = (ids: ExternalId[] | undefined, wanted: ExternalId): boolean =>
  (ids ?? []).some((id) => id.Issuer === wanted.Issuer && id.Id === wanted.Id);

/** UpdateUser attribute paths (AWS's camelCase) and the member each one sets. */
const USER_PATHS: Record<string, keyof UserAttributes> = {
  userName: 'UserName',
  displayName: 'DisplayName',
  name: 'Name',
  nickName: 'NickName',
  profileUrl: 'ProfileUrl',
  emails: 'Emails',
  addresses: 'Addresses',
  phoneNumbers: 'PhoneNumbers',
  userType: 'UserType',
  title: 'Title',
  preferredLanguage: 'PreferredLanguage',
  locale: 'Locale',
  timezone: 'Timezone',
  photos: 'Photos',
  website: 'Website',
  birthdate: 'Birthdate',
  roles: 'Roles',
};
const NAME_PATHS: Record<string, keyof Name> = {
  'name.formatted': 'Formatted',
  'name.familyName': 'FamilyName',
  'name.givenName': 'GivenName',
  'name.middleName': 'MiddleName',
  'name.honorificPrefix': 'HonorificPrefix',
  'name.honorificSuffix': 'HonorificSuffix',
};
const MULTI_VALUED = /^(emails|addresses|phoneNumbers|photos|roles)[.[]/;
const GROUP_PATHS: Record<string, keyof GroupAttributes> = { displayName: 'DisplayName', description: 'Description' };

/** Sets (or, for a null/absent value, removes) one member of a plain attribute object. */
function assign(target: Record<string, unknown>, key: string, value: unknown): void {
  if (value === undefined || value === null) delete target[key];
  else target[key] = value;
}

function unsupportedPath(path: string): AwsError {
  const multi = MULTI_VALUED.exec(path)?.[1];
  return validationError(
    multi
      ? `Unsupported update operation on multi-value attribute ${multi}, please provide full replacement of Multi-Value attribute types`
      : `AttributePath '${path}' is not a supported attribute`,
  );
}

export class IdentityStoreModel {
  constructor(
    private readonly data: IdentityStoreData,
    private readonly now: () => number = () => Date.now() / 1000,
  ) {}

  // ------------------------------------------------------------------ users

  createUser(storeId: string, attributes: UserAttributes): UserRecord {
    this.assertUserNameFree(storeId, attributes.UserName);
    const at = this.now();
    const user: UserRecord = { ...attributes, IdentityStoreId: storeId, UserId: newId(storeId), CreatedAt: at, UpdatedAt: at };
    this.data.users[user.UserId] = user;
    return user;
  }

  user(storeId: string, userId: string): UserRecord {
    const user = this.data.users[userId];
    if (!user || user.IdentityStoreId !== storeId) throw notFound('USER', userId);
    return user;
  }

  users(storeId: string, userName?: string): UserRecord[] {
    return Object.values(this.data.users).filter(
      (user) => user.IdentityStoreId === storeId && (userName === undefined || sameUserName(user.UserName, userName)),
    );
  }

  findUser(storeId: string, by: { path: string; value: unknown } | ExternalId): UserRecord {
    const users = this.users(storeId);
    let found: UserRecord | undefined;
    if ('Issuer' in by) {
      found = users.find((user) => hasExternalId(user.ExternalIds, by));
    } else if (typeof by.value !== 'string') {
      throw validationError(`AttributeValue for ${by.path} must be a string`);
    } else if (by.path === 'userName') {
      found = users.find((user) => sameUserName(user.UserName, by.value as string));
    } else if (by.path === 'emails.value') {
      found = users.find((user) => (user.Emails ?? []).some((email) => email.Value?.toLowerCase() === (by.value as string).toLowerCase()));
    } else {
      throw validationError(`UniqueAttribute AttributePath '${by.path}' is not supported for users (use userName or emails.value)`);
    }
    if (!found) throw notFound('USER', 'Issuer' in by ? `${by.Issuer}:${by.Id}` : by.value as string);
    return found;
  }

  updateUser(storeId: string, userId: string, operations: AttributeOperation[]): void {
    const user = this.user(storeId, userId);
    // The schema strips the ids and timestamps, keeping only attributes.
    const next: Record<string, unknown> = structuredClone(user);
    for (const { AttributePath: path, AttributeValue: value } of operations) {
      const member = USER_PATHS[path];
      const nameMember = NAME_PATHS[path];
      if (member) {
        assign(next, member, value);
      } else if (nameMember) {
        const name: Record<string, unknown> = { ...(next.Name as Record<string, unknown> | undefined) };
        assign(name, nameMember, value);
        next.Name = name;
      } else {
        throw unsupportedPath(path);
      }
    }
    const updated = parseOrThrow(userAttributesSchema, next, 'the updated user: ');
    this.assertUserNameFree(storeId, updated.UserName, userId);
    this.data.users[userId] = { ...updated, IdentityStoreId: storeId, UserId: userId, CreatedAt: user.CreatedAt, UpdatedAt: this.now() };
  }

  deleteUser(storeId: string, userId: string): void {
    this.user(storeId, userId);
    delete this.data.users[userId];
    for (const membership of this.membershipsOfUser(storeId, userId)) delete this.data.memberships[membership.MembershipId];
  }

  private assertUserNameFree(storeId: string, userName: string, exceptUserId?: string): void {
    if (this.users(storeId, userName).some((user) => user.UserId !== exceptUserId)) {
      throw conflict(`A user with UserName ${userName} already exists in ${storeId}`);
    }
  }

  // ------------------------------------------------------------------ groups

  createGroup(storeId: string, attributes: GroupAttributes): GroupRecord {
    this.assertGroupNameFree(storeId, attributes.DisplayName);
    const at = this.now();
    const group: GroupRecord = { ...attributes, IdentityStoreId: storeId, GroupId: newId(storeId), CreatedAt: at, UpdatedAt: at };
    this.data.groups[group.GroupId] = group;
    return group;
  }

  group(storeId: string, groupId: string): GroupRecord {
    const group = this.data.groups[groupId];
    if (!group || group.IdentityStoreId !== storeId) throw notFound('GROUP', groupId);
    return group;
  }

  groups(storeId: string, displayName?: string): GroupRecord[] {
    return Object.values(this.data.groups).filter(
      (group) => group.IdentityStoreId === storeId && (displayName === undefined || group.DisplayName === displayName),
    );
  }

  findGroup(storeId: string, by: { path: string; value: unknown } | ExternalId): GroupRecord {
    let found: GroupRecord | undefined;
    if ('Issuer' in by) {
      found = this.groups(storeId).find((group) => hasExternalId(group.ExternalIds, by));
    } else if (by.path !== 'displayName') {
      throw validationError(`UniqueAttribute AttributePath '${by.path}' is not supported for groups (use displayName)`);
    } else if (typeof by.value !== 'string') {
      throw validationError('AttributeValue for displayName must be a string');
    } else {
      found = this.groups(storeId, by.value)[0];
    }
    if (!found) throw notFound('GROUP', 'Issuer' in by ? `${by.Issuer}:${by.Id}` : String(by.value));
    return found;
  }

  updateGroup(storeId: string, groupId: string, operations: AttributeOperation[]): void {
    const group = this.group(storeId, groupId);
    const next: Record<string, unknown> = { DisplayName: group.DisplayName, Description: group.Description, ExternalIds: group.ExternalIds };
    for (const { AttributePath: path, AttributeValue: value } of operations) {
      const member = GROUP_PATHS[path];
      if (!member) throw unsupportedPath(path);
      assign(next, member, value);
    }
    const updated = parseOrThrow(groupAttributesSchema, next, 'the updated group: ');
    if (updated.DisplayName !== group.DisplayName) this.assertGroupNameFree(storeId, updated.DisplayName);
    this.data.groups[groupId] = { ...updated, IdentityStoreId: storeId, GroupId: groupId, CreatedAt: group.CreatedAt, UpdatedAt: this.now() };
  }

  deleteGroup(storeId: string, groupId: string): void {
    this.group(storeId, groupId);
    delete this.data.groups[groupId];
    for (const membership of this.membershipsOfGroup(storeId, groupId)) delete this.data.memberships[membership.MembershipId];
  }

  private assertGroupNameFree(storeId: string, displayName: string): void {
    if (this.groups(storeId, displayName).length > 0) {
      throw conflict(`A group with DisplayName ${displayName} already exists in ${storeId}`);
    }
  }

  // ------------------------------------------------------------------ memberships

  createMembership(storeId: string, groupId: string, userId: string): MembershipRecord {
    this.group(storeId, groupId);
    this.user(storeId, userId);
    if (this.findMembership(storeId, groupId, userId)) {
      throw conflict(`User ${userId} is already a member of group ${groupId}`);
    }
    const at = this.now();
    const membership: MembershipRecord = {
      IdentityStoreId: storeId,
      MembershipId: newId(storeId),
      GroupId: groupId,
      MemberId: { UserId: userId },
      CreatedAt: at,
      UpdatedAt: at,
    };
    this.data.memberships[membership.MembershipId] = membership;
    return membership;
  }

  membership(storeId: string, membershipId: string): MembershipRecord {
    const membership = this.data.memberships[membershipId];
    if (!membership || membership.IdentityStoreId !== storeId) throw notFound('GROUP_MEMBERSHIP', membershipId);
    return membership;
  }

  findMembership(storeId: string, groupId: string, userId: string): MembershipRecord | undefined {
    return this.membershipsOfGroup(storeId, groupId).find((membership) => membership.MemberId.UserId === userId);
  }

  membershipsOfGroup(storeId: string, groupId: string): MembershipRecord[] {
    return Object.values(this.data.memberships).filter((m) => m.IdentityStoreId === storeId && m.GroupId === groupId);
  }

  membershipsOfUser(storeId: string, userId: string): MembershipRecord[] {
    return Object.values(this.data.memberships).filter((m) => m.IdentityStoreId === storeId && m.MemberId.UserId === userId);
  }

  deleteMembership(storeId: string, membershipId: string): void {
    this.membership(storeId, membershipId);
    delete this.data.memberships[membershipId];
  }
}
