import { z } from 'zod';
import { validationError } from '../core/aws-error.ts';

/** Identity Store shapes as the wire carries them (AWS member names), validated with zod. */

const text = z.string().min(1).max(1024);
const multiValued = { Value: text.optional(), Type: text.optional(), Primary: z.boolean().optional() };

export const nameSchema = z.strictObject({
  Formatted: text.optional(),
  FamilyName: text.optional(),
  GivenName: text.optional(),
  MiddleName: text.optional(),
  HonorificPrefix: text.optional(),
  HonorificSuffix: text.optional(),
});
export const externalIdSchema = z.strictObject({ Issuer: z.string().min(1).max(100), Id: z.string().min(1).max(256) });
const addressSchema = z.strictObject({
  StreetAddress: text.optional(),
  Locality: text.optional(),
  Region: text.optional(),
  PostalCode: text.optional(),
  Country: text.optional(),
  Formatted: text.optional(),
  Type: text.optional(),
  Primary: z.boolean().optional(),
});
const photoSchema = z.strictObject({ ...multiValued, Value: text, Display: text.optional() });
const single = <T extends z.ZodType>(item: T) => z.array(item).length(1).optional();

/** SCIM's enterprise user extension (RFC 7643 section 4.3), as the Identity Store's `aws:identitystore:enterprise`. */
const enterpriseExtensionSchema = z.strictObject({
  employeeNumber: text.optional(),
  costCenter: text.optional(),
  organization: text.optional(),
  division: text.optional(),
  department: text.optional(),
  manager: z.strictObject({ value: text.optional() }).optional(),
});

/** A user's attributes as IAM Identity Center stores them (it requires user name, display name, given and family name). */
export const userAttributesSchema = z.object({
  UserName: z.string().min(1).max(128),
  DisplayName: text,
  Name: nameSchema.extend({ GivenName: text, FamilyName: text }),
  NickName: text.optional(),
  ProfileUrl: text.optional(),
  Emails: single(z.strictObject(multiValued)),
  Addresses: single(addressSchema),
  PhoneNumbers: single(z.strictObject(multiValued)),
  UserType: text.optional(),
  Title: text.optional(),
  PreferredLanguage: text.optional(),
  Locale: text.optional(),
  Timezone: text.optional(),
  Photos: z.array(photoSchema).min(1).max(3).optional(),
  Website: text.optional(),
  Birthdate: text.optional(),
  Roles: z.array(z.strictObject(multiValued)).min(1).max(3).optional(),
  /** Not settable through AWS's CreateUser (SCIM sync sets it); accepted here so local data can be seeded. */
  ExternalIds: z.array(externalIdSchema).min(1).max(10).optional(),
  /**
   * Attribute extensions (API of 2025-12): `aws:identitystore:enterprise` is the only name AWS
   * supports, holding SCIM's enterprise user attributes (employeeNumber, costCenter, organization,
   * division, department, manager). DescribeUser and ListUsers return it only when asked by name.
   */
  Extensions: z.record(z.literal('aws:identitystore:enterprise'), enterpriseExtensionSchema).optional(),
});
export const groupAttributesSchema = z.object({
  DisplayName: text,
  Description: text.optional(),
  ExternalIds: z.array(externalIdSchema).min(1).max(10).optional(),
});

export type UserAttributes = z.infer<typeof userAttributesSchema>;
export type GroupAttributes = z.infer<typeof groupAttributesSchema>;
export type ExternalId = z.infer<typeof externalIdSchema>;
export type Name = z.infer<typeof nameSchema>;
export type AttributeOperation = { AttributePath: string; AttributeValue?: unknown };

/** Parses with zod; a failure becomes a ValidationException naming the offending member. */
export function parseOrThrow<S extends z.ZodType>(schema: S, input: unknown, context = ''): z.output<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const issues = result.error.issues;
  const details = issues.map((issue) => {
    const member = issue.path.length > 0 ? issue.path.join('.') : 'request';
    return `Value at '${context}${member}' failed to satisfy constraint: ${issue.message}`;
  });
  throw validationError(`${issues.length} validation error(s) detected: ${details.join('; ')}`);
}

// ------------------------------------------------------------------ requests

const storeId = z.string().min(1).max(36);
const resourceId = z
  .string()
  .regex(
    /^([0-9a-f]{10}-|)[A-Fa-f0-9]{8}-[A-Fa-f0-9]{4}-[A-Fa-f0-9]{4}-[A-Fa-f0-9]{4}-[A-Fa-f0-9]{12}$/,
    'Member must be an identity store resource id',
  );
const memberId = z.strictObject({ UserId: resourceId });
export const alternateIdentifier = z
  .object({
    UniqueAttribute: z.strictObject({ AttributePath: z.string().min(1).max(255), AttributeValue: z.unknown() }).optional(),
    ExternalId: externalIdSchema.optional(),
  })
  .refine((id) => (id.UniqueAttribute === undefined) !== (id.ExternalId === undefined), {
    message: 'exactly one of UniqueAttribute or ExternalId must be set',
  });
const paging = {
  MaxResults: z.number().int().min(1).max(100).optional(),
  NextToken: z.string().min(1).max(65535).optional(),
};
export const filters = z.array(z.strictObject({ AttributePath: z.string().min(1).max(255), AttributeValue: z.string().min(1) })).max(10);
const operations = z
  .array(z.strictObject({ AttributePath: z.string().min(1).max(255), AttributeValue: z.unknown().optional() }))
  .min(1)
  .max(100);

/** Which extensions DescribeUser / ListUsers return; AWS knows only `aws:identitystore:enterprise`. */
const extensionNames = z
  .array(z.string().regex(/^aws:identitystore:[a-z]{1,20}$/, 'Member must satisfy regular expression pattern: aws:identitystore:[a-z]{1,20}'))
  .min(1)
  .max(10)
  .refine((names) => names.every((name) => name === 'aws:identitystore:enterprise'), 'aws:identitystore:enterprise is the only supported extension name')
  .optional();

const inStore = <T extends z.ZodRawShape>(shape: T) => z.object({ IdentityStoreId: storeId, ...shape });
export const requests = {
  createUser: userAttributesSchema.extend({ IdentityStoreId: storeId }),
  user: inStore({ UserId: resourceId }),
  describeUser: inStore({ UserId: resourceId, Extensions: extensionNames }),
  listUsers: inStore({ ...paging, Filters: filters.optional(), Extensions: extensionNames }),
  alternate: inStore({ AlternateIdentifier: alternateIdentifier }),
  updateUser: inStore({ UserId: resourceId, Operations: operations }),
  createGroup: groupAttributesSchema.extend({ IdentityStoreId: storeId }),
  group: inStore({ GroupId: resourceId }),
  listGroups: inStore({ ...paging, Filters: filters.optional() }),
  updateGroup: inStore({ GroupId: resourceId, Operations: operations }),
  membershipOf: inStore({ GroupId: resourceId, MemberId: memberId }),
  membership: inStore({ MembershipId: resourceId }),
  listMemberships: inStore({ GroupId: resourceId, ...paging }),
  listForMember: inStore({ MemberId: memberId, ...paging }),
};

export type AlternateIdentifier = z.infer<typeof alternateIdentifier>;
export type Filters = z.infer<typeof filters>;
