import { z } from 'zod';
import { accountAssignmentEntitlementSchema, groupEntitlementSchema } from '../domain/catalogue/schema.ts';
import { catalogueVersionSchema } from '../domain/catalogue/version.ts';
import { assignmentTargetSchema } from '../domain/account-assignments/targets.ts';
import { employeeIdSchema } from '../domain/events/employee-events.ts';
import { policyDecisionSchema } from '../domain/policy/schema.ts';
import { groupRefSchema, identityResultSchema } from '../domain/provision/schemas.ts';
import { executionIds } from '../domain/shared/ids.ts';
import { revocationPlanSchema } from '../domain/mover/schemas.ts';

/**
 * The task contracts of `functions/converge-catalogue`, one function serving five Task states of
 * statemachines/catalogue-convergence.asl.json, told apart by `action`:
 *
 * | action    | state                       | reads                           | writes                                  | returns ($.…)          |
 * |-----------|-----------------------------|---------------------------------|-----------------------------------------|------------------------|
 * | plan      | Plan Convergence            | employees (Scan), grants (Scan) | nothing                                 | ConvergencePlan        |
 * | segment   | List People To Converge     | employees (Scan segment), grants| nothing                                 | { employeeIds }        |
 * | employee  | Prepare Employee            | employees, grants, requests     | requests (once), audit (keyed)          | PreparedConvergence    |
 * | grant     | Grant Added Memberships     | Identity Store                  | Identity Store memberships (get-or-create) | IdentityResult      |
 *
 * Account assignments (Assign Added Accounts, Remove Old Account Assignments and their checks) are
 * functions/account-assignments' tasks, with the targets Prepare Employee planned.
 * | summarise | Count Segment / Summarise   | its input                       | nothing                                 | ConvergenceCounts      |
 *
 * Everything a later step acts on is found again from the tables (the grants table, the user's
 * link), so a retried or resumed step sees what is really there.
 */

export const fingerprintSchema = z.string().regex(/^[0-9a-f]{16}$/, 'confirm must be the 16 hex digits of the plan fingerprint');

export const planInputSchema = z.object({
  action: z.literal('plan'),
  catalogueVersion: catalogueVersionSchema,
  /** The reviewed plan's fingerprint; empty (the state machine's default) confirms nothing. */
  confirm: z.union([fingerprintSchema, z.literal('')]).transform((value) => value || undefined).optional(),
  ...executionIds,
});

export const segmentSchema = z.object({ segment: z.int().min(0).max(999_999), totalSegments: z.int().min(1).max(1_000_000) }).refine((part) => part.segment < part.totalSegments, {
  message: 'segment must be below totalSegments',
});

export const segmentInputSchema = z.object({
  action: z.literal('segment'),
  catalogueVersion: catalogueVersionSchema,
  part: segmentSchema,
});

export const employeeInputSchema = z.object({
  action: z.literal('employee'),
  catalogueVersion: catalogueVersionSchema,
  employeeId: employeeIdSchema,
  ...executionIds,
});

export const grantInputSchema = z.object({
  action: z.literal('grant'),
  requestId: z.string().regex(/^[\x21-\x7e]{1,128}$/),
  employeeId: employeeIdSchema,
  userName: z.string().min(1).max(128),
  groups: z.array(groupRefSchema),
});

/** One person's outcome, as the per-person iteration ends (converged, unchanged or failed). */
export const personOutcomeSchema = z.looseObject({
  employeeId: employeeIdSchema,
  outcome: z.enum(['converged', 'unchanged', 'failed']),
  added: z.int().min(0).optional(),
  revoked: z.int().min(0).optional(),
  error: z.string().optional(),
});

export const countsSchema = z.object({
  people: z.int().min(0),
  converged: z.int().min(0),
  unchanged: z.int().min(0),
  failed: z.int().min(0),
  added: z.int().min(0),
  revoked: z.int().min(0),
});
export type ConvergenceCounts = z.infer<typeof countsSchema>;

export const summariseInputSchema = z.object({
  action: z.literal('summarise'),
  /** Per-person outcomes (a segment) or per-segment counts (the whole run). */
  outcomes: z.array(personOutcomeSchema).optional(),
  segments: z.array(countsSchema).optional(),
});

export const convergeCatalogueInputSchema = z.discriminatedUnion('action', [planInputSchema, segmentInputSchema, employeeInputSchema, grantInputSchema, summariseInputSchema]);
export type ConvergeCatalogueInput = z.infer<typeof convergeCatalogueInputSchema>;
export type PlanInput = z.infer<typeof planInputSchema>;
export type SegmentInput = z.infer<typeof segmentInputSchema>;
export type EmployeeInput = z.infer<typeof employeeInputSchema>;
export type GrantInput = z.infer<typeof grantInputSchema>;
export type SummariseInput = z.infer<typeof summariseInputSchema>;

/** $.request of one person: what the Choice, approval Map and later Tasks read. Optional keys are absent, never null. */
export const preparedConvergenceSchema = z.object({
  requestId: z.string(),
  employeeId: employeeIdSchema,
  role: z.string(),
  changed: z.boolean(),
  userName: z.string().optional(),
  /** Groups and account assignments the role now grants (Record Grants records them; approvers see them). */
  added: z.array(z.discriminatedUnion('kind', [groupEntitlementSchema, accountAssignmentEntitlementSchema])),
  /** The groups among them (Grant Added Memberships). */
  addedGroups: z.array(groupEntitlementSchema),
  /** The account assignments among them, one per account (Assign Added Accounts, before Record Grants). */
  accountTargets: z.array(assignmentTargetSchema).max(200),
  decision: policyDecisionSchema,
  approvalTimeoutSeconds: z.int(),
  revokes: z.boolean(),
  revocation: revocationPlanSchema,
});
export type PreparedConvergence = z.infer<typeof preparedConvergenceSchema>;

/** Plan Convergence's result ($.plan): domain/convergence/converge.ts ConvergencePlan. */
export const convergencePlanSchema = z.object({
  catalogueVersion: catalogueVersionSchema,
  totals: z.object({ employees: z.int().min(0), changing: z.int().min(0), additions: z.int().min(0), revocations: z.int().min(0), activeRoleGrants: z.int().min(0) }),
  fingerprint: fingerprintSchema,
  guard: z.discriminatedUnion('outcome', [z.object({ outcome: z.literal('passed'), confirmed: z.boolean() }), z.object({ outcome: z.literal('blocked'), message: z.string() })]),
  findingCounts: z.record(z.string(), z.int().min(0)),
  findings: z.array(z.looseObject({ kind: z.string() })),
  segments: z.array(z.object({ segment: z.int().min(0), totalSegments: z.int().min(1) })),
});

/**
 * What the function returns, one shape per `action`: plan ($.plan), segment ($.people), employee
 * ($.request), grant (Grant Added Memberships' ResultSelector reads the identity result), summarise
 * ($.counts). test/unit/architecture/task-outputs.test.ts checks the ASL's reads against this union.
 */
export const convergeCatalogueOutputSchema = z.union([
  convergencePlanSchema,
  z.object({ employeeIds: z.array(employeeIdSchema) }),
  preparedConvergenceSchema,
  identityResultSchema,
  countsSchema,
]);

/**
 * What `functions/converge-catalogue` does (its Lambda description, read by infra/spec/functions) and the ASL
 * Task states that run it (test/unit/architecture/task-contracts.test.ts checks both against the ASL).
 */
export const TASK = {
  description:
    'Catalogue convergence: plan (whole company, guard, fingerprint), list a segment, prepare a person (request, audit), grant added memberships, count.',
  states: [
    'Plan Convergence',
    'List People To Converge',
    'Prepare Employee',
    'Grant Added Memberships',
    'Count Segment',
    'Summarise Convergence',
  ],
} as const;
