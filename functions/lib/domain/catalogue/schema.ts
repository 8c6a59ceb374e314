import { z } from 'zod';
import { employeeSchema } from '#lib/domain/events/employee-events';
import { durationSchema, toMinutes } from '#lib/domain/catalogue/duration';
import { assignmentRuleSchema, checkAssignments, unassignedSchema } from '#lib/domain/catalogue/assignments';

/**
 * The role catalogue: what each role is granted. `config/role-catalogue.json` is the one
 * instance; these schemas are its contract and the source of every catalogue type.
 */

export const riskSchema = z.enum(['low', 'high']);
export type Risk = z.infer<typeof riskSchema>;

const lowerCase = (email: string): string => email.trim().toLowerCase();

/** Who may count in a quorum: a mailbox, the subject's `manager`, or the entitlement's `owners` (its ownerGroupEmail). */
const anEmail = z.email();
export const quorumMemberSchema = z
  .string()
  .max(254)
  .refine((member) => member === 'manager' || member === 'owners' || anEmail.safeParse(member).success, {
    error: (issue) => `a quorum approver is an e-mail address, "manager" or "owners"; got ${JSON.stringify(String(issue.input).slice(0, 80))}`,
  });
export type QuorumMember = z.infer<typeof quorumMemberSchema>;

/**
 * N of M (issue #17, domain/policy/quorum.ts): any `required` of `approvers` approve, each person
 * once; e.g. `{ "approvers": ["security-lead@example.com", "owners", "manager"], "required": 2 }`.
 */
export const quorumPolicySchema = z
  .strictObject({
    /** 2-10 approvers, none twice: mailboxes, `manager` (the subject's manager), `owners` (ownerGroupEmail). */
    approvers: z
      .array(quorumMemberSchema)
      .min(2)
      .max(10)
      .refine((members) => new Set(members.map(lowerCase)).size === members.length, 'approvers must not repeat an approver'),
    /** How many distinct approvers must approve: 1 up to the number named. */
    required: z.int().min(1),
  })
  .refine((policy) => policy.required <= policy.approvers.length, { message: 'required must be at most the number of approvers', path: ['required'] });
export type QuorumPolicy = z.infer<typeof quorumPolicySchema>;

/**
 * Who approves this entitlement, when the default (the subject's manager, then `ownerGroupEmail`,
 * for high-risk entitlements only) is not what its owner wants: named approvers in order (each one
 * must approve), or a quorum (any N of M), without the manager, or for a low-risk entitlement too.
 */
export const approvalPolicySchema = z
  .strictObject({
    /** Approvers in order, each one an approval the grant needs; default: the owner group alone. */
    approvers: z
      .array(z.email().max(254))
      .min(1)
      .max(5)
      .refine((emails) => new Set(emails.map((email) => email.toLowerCase())).size === emails.length, 'approvers must not repeat an approver')
      .optional(),
    /** Any `required` of these approve, in one step (instead of `approvers`, each in turn). */
    quorum: quorumPolicySchema.optional(),
    /** Whether the subject's manager approves first; default true (false, too, when the quorum names `manager`). */
    manager: z.boolean().default(true),
    /** Ask even though the entitlement is low risk; default false (low risk is auto-approved). */
    always: z.boolean().default(false),
  })
  .refine((policy) => !(policy.approvers && policy.quorum), {
    message: 'give either approvers (each must approve, in order) or quorum (any N of M), not both',
    path: ['quorum'],
  });
export type ApprovalPolicy = z.infer<typeof approvalPolicySchema>;

/** Break-glass grants are short: at most this long, whatever the entitlement says. */
export const MAX_BREAK_GLASS_MINUTES = 60;

/**
 * Break-glass: an emergency grant the holder asks for themself, applied at once without approval,
 * for at most `maxDuration` (1 hour at most), with a mandatory reason, audited as break-glass.
 */
export const breakGlassSchema = z.strictObject({
  maxDuration: durationSchema.refine((duration) => toMinutes(duration) <= MAX_BREAK_GLASS_MINUTES, `maxDuration must be at most ${MAX_BREAK_GLASS_MINUTES} minutes (PT1H)`),
});

/** Fields every entitlement carries, whatever it grants. */
const common = {
  /** Stable id `<kind>:<name>`; roles, grants and audit entries refer to it. */
  id: z.string(),
  description: z.string().min(1).max(500),
  risk: riskSchema,
  /** Who approves this entitlement when it is high risk (a group mailbox). */
  ownerGroupEmail: z.email().max(254),
  /** Longest just-in-time grant; absent means it cannot be requested just-in-time. */
  maxTimeBoundDuration: durationSchema.optional(),
  /** Who approves it (policy/approval-chain.ts); absent: the manager, then the owner group, when high risk. */
  approval: approvalPolicySchema.optional(),
  /** Requestable as break-glass (immediate, unapproved, short); absent: never. */
  breakGlass: breakGlassSchema.optional(),
};

const RESERVED_GROUP_NAMES: ReadonlySet<string> = new Set(['Administrator', 'AWSAdministrators']);

/** Membership of an IAM Identity Center group, found by its display name. */
export const groupEntitlementSchema = z.strictObject({
  ...common,
  kind: z.literal('group'),
  displayName: z
    .string()
    .regex(/^[A-Za-z0-9][A-Za-z0-9._+=@-]{0,127}$/, 'displayName must be 1-128 of A-Z a-z 0-9 . _ + = @ -')
    // Identity Store CreateGroup: "Administrator and AWSAdministrators are reserved names and can't be
    // used for users or groups" (https://docs.aws.amazon.com/singlesignon/latest/IdentityStoreAPIReference/API_CreateGroup.html).
    .refine((name) => !RESERVED_GROUP_NAMES.has(name), { error: (issue) => `displayName '${String(issue.input)}' is reserved by Identity Center` }),
});

/** An EC2 workstation with a separate data volume. */
export const workstationEntitlementSchema = z.strictObject({
  ...common,
  kind: z.literal('workstation'),
  profile: z.string().regex(/^[a-z0-9][a-z0-9-]{0,63}$/, 'profile must be 1-64 of a-z 0-9 -'),
  instanceType: z.string().regex(/^[a-z][a-z0-9-]*\.[a-z0-9-]+$/, 'instanceType must look like m7g.large'),
  /** SSM parameter holding the AMI id, e.g. /aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-arm64. */
  amiParameter: z.string().regex(/^\/[A-Za-z0-9_.\-/]{1,2047}$/, 'amiParameter must be an SSM parameter name starting with /'),
  /** Size of the data volume (gp3) attached next to the root volume. */
  volumeSizeGiB: z.int().min(1).max(16_384),
});

// Patterns of IAM Identity Center's CreateAccountAssignment (PermissionSetArn, TargetId) and CreatePermissionSet (Name):
// https://docs.aws.amazon.com/singlesignon/latest/APIReference/API_CreateAccountAssignment.html
export const PERMISSION_SET_ARN = /^arn:(aws|aws-us-gov|aws-cn|aws-iso|aws-iso-b):sso:::permissionSet\/(sso)?ins-[a-zA-Z0-9-.]{16}\/ps-[a-zA-Z0-9-./]{16}$/;
const PERMISSION_SET_NAME = /^[\w+=,.@-]{1,32}$/;

/**
 * A permission set on AWS accounts, assigned to the user themself (never a group), so that each
 * grant is one assignment Gatehouse can count per source and remove exactly.
 */
export const accountAssignmentEntitlementSchema = z.strictObject({
  ...common,
  kind: z.literal('account-assignment'),
  /** The entitlement's own name: its id is `account-assignment:<name>`. */
  name: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, 'name must be 1-64 of A-Z a-z 0-9 . _ -'),
  /** The permission set, by its name in Identity Center or by its ARN. */
  permissionSet: z
    .string()
    .refine((value) => PERMISSION_SET_ARN.test(value) || PERMISSION_SET_NAME.test(value), {
      error: (issue) =>
        String(issue.input).startsWith('arn:')
          ? `permissionSet '${String(issue.input).slice(0, 200)}' is not a permission set ARN (arn:aws:sso:::permissionSet/ssoins-<16 characters>/ps-<16 characters>)`
          : 'permissionSet must be a permission set name (1-32 of A-Z a-z 0-9 _ + = , . @ -) or ARN',
    }),
  /** The accounts it is assigned on: one or a list of 12-digit account ids. */
  accountIds: z
    .array(z.string().regex(/^\d{12}$/, 'an account id is 12 digits'))
    .min(1)
    .max(100)
    .refine((ids) => new Set(ids).size === ids.length, 'accountIds must not repeat an account'),
});

export const entitlementSchema = z.discriminatedUnion('kind', [groupEntitlementSchema, workstationEntitlementSchema, accountAssignmentEntitlementSchema]);
export type Entitlement = z.infer<typeof entitlementSchema>;
export type EntitlementKind = Entitlement['kind'];

export type AccountAssignmentEntitlement = z.infer<typeof accountAssignmentEntitlementSchema>;

/** The id an entitlement must carry: `group:<displayName>`, `workstation:<profile>` or `account-assignment:<name>`. */
export function expectedEntitlementId(entitlement: Entitlement): string {
  switch (entitlement.kind) {
    case 'group':
      return `group:${entitlement.displayName}`;
    case 'workstation':
      return `workstation:${entitlement.profile}`;
    case 'account-assignment':
      return `account-assignment:${entitlement.name}`;
  }
}

/** Longest just-in-time grant in minutes, or undefined when not requestable just-in-time. */
export function maxTimeBoundMinutes(entitlement: Entitlement): number | undefined {
  return entitlement.maxTimeBoundDuration === undefined ? undefined : toMinutes(entitlement.maxTimeBoundDuration);
}

export const roleIdSchema = employeeSchema.shape.role;

export const roleSchema = z.strictObject({
  /** 'no-role' is reserved: the role of people no rule assigns under `unassigned: birthright-only`. */
  id: z.string().regex(/^(?!no-role$)[a-z0-9-]{1,64}$/, "role must be a catalogue role id (a-z 0-9 -); 'no-role' is reserved for people no rule assigns"),
  displayName: z.string().min(1).max(100),
  description: z.string().max(500).optional(),
  /** Entitlement ids, in the order they are provisioned. */
  entitlements: z.array(z.string()),
});
export type Role = z.infer<typeof roleSchema>;

export const catalogueSchema = z
  .strictObject({
    /** Editors validate against this (config/role-catalogue.schema.json); not part of the content. */
    $schema: z.string().optional(),
    version: z.literal(1),
    /** Entitlement ids every employee gets, whatever their role; low risk only. */
    birthright: z.array(z.string()),
    entitlements: z.array(entitlementSchema).min(1),
    roles: z.array(roleSchema).min(1),
    /** Ordered role-assignment rules from HRIS attributes (domain/catalogue/assignments.ts). */
    assignments: z.array(assignmentRuleSchema).max(1000).default([]),
    /** What happens to a person no rule matches and whose HRIS sent no role. */
    unassigned: unassignedSchema.default('refuse'),
  })
  .superRefine((catalogue, ctx) => {
    const issue = (path: (string | number)[], message: string): void => ctx.addIssue({ code: 'custom', path, message });
    const byId = new Map<string, Entitlement>();
    catalogue.entitlements.forEach((entitlement, i) => {
      const expected = expectedEntitlementId(entitlement);
      if (entitlement.id !== expected) issue(['entitlements', i, 'id'], `id must be '${expected}', got '${entitlement.id}'`);
      if (byId.has(entitlement.id)) issue(['entitlements', i, 'id'], `duplicate entitlement id '${entitlement.id}'`);
      byId.set(entitlement.id, entitlement);
    });
    const checkRefs = (ids: readonly string[], path: (string | number)[]): void => {
      const seen = new Set<string>();
      ids.forEach((id, i) => {
        if (!byId.has(id)) issue([...path, i], `unknown entitlement id '${id}'`);
        if (seen.has(id)) issue([...path, i], `duplicate entitlement id '${id}'`);
        seen.add(id);
      });
    };
    checkRefs(catalogue.birthright, ['birthright']);
    catalogue.birthright.forEach((id, i) => {
      if (byId.get(id)?.risk === 'high') issue(['birthright', i], `birthright entitlement '${id}' must be low risk`);
    });
    const roleIds = new Set<string>();
    catalogue.roles.forEach((role, i) => {
      if (roleIds.has(role.id)) issue(['roles', i, 'id'], `duplicate role id '${role.id}'`);
      roleIds.add(role.id);
      checkRefs(role.entitlements, ['roles', i, 'entitlements']);
    });
    checkAssignments(catalogue, issue);
  });
export type Catalogue = z.infer<typeof catalogueSchema>;
