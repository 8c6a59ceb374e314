import { z } from 'zod';
import { employeeIdSchema } from '../domain/events/employee-events.ts';
import { requestIdSchema } from '../domain/grants/grants.ts';
import { groupRefSchema, identityResultSchema } from '../domain/provision/schemas.ts';
import { executionIds } from '../domain/shared/ids.ts';

/**
 * functions/record-time-bound-grants, time-bound "Record Time-Bound Grants": expiresAt fixed once,
 * grant items with source time-bound:<requestId>, grant.applied (basis time-bound), the
 * time-bound-granted notice; for break-glass, security told and the review opened. Returns $.results.grants; "Schedule Expiry" reads `expiresAt`.
 */
export const recordTimeBoundGrantsInputSchema = z.object({
  requestId: requestIdSchema,
  employeeId: employeeIdSchema,
  /** Groups granted by Grant Access (may be empty when only account assignments were asked for). */
  entitlements: z.array(groupRefSchema),
  /** Account-assignment entitlements assigned by Assign Accounts. */
  accountAssignments: z.array(z.looseObject({ id: z.string().min(1), kind: z.literal('account-assignment') })).optional(),
  durationMinutes: z.int().positive(),
  results: z.looseObject({
    approvals: z.array(z.looseObject({ approver: z.email() })).optional(),
    identity: identityResultSchema,
  }),
  ...executionIds,
});
export type RecordTimeBoundGrantsInput = z.infer<typeof recordTimeBoundGrantsInputSchema>;

export const recordedTimeBoundGrantsSchema = z.object({
  expiresAt: z.string(),
  grantKeys: z.array(z.string()),
  recorded: z.int().min(0),
  /** The after-the-fact review's campaign id, for a break-glass request. */
  breakGlassReview: z.string().optional(),
});
export type RecordedTimeBoundGrants = z.infer<typeof recordedTimeBoundGrantsSchema>;

/**
 * The same function, time-bound "Extend Grants" (issue #17): an approved extension moves the end of
 * every active grant item of the extended request and of its request item, conditionally (still
 * active, still ending at `currentEnd`, not yet reached), audits grant.extended per item and tells the
 * holder (access-extended). A retry finds its own move and changes nothing; an ended or already-moved
 * grant is refused (ExtensionRefusedError). Returns $.results.extension; "Move Expiry Schedule" reads `expiresAt`.
 */
export const extendTimeBoundGrantsInputSchema = z.object({
  extend: z.object({
    requestId: requestIdSchema,
    grantRequestId: requestIdSchema,
    employeeId: employeeIdSchema,
    currentEnd: z.iso.datetime(),
    newEnd: z.iso.datetime(),
  }),
  results: z.looseObject({ approvals: z.array(z.looseObject({ approver: z.email() })).optional() }),
  ...executionIds,
});
export type ExtendTimeBoundGrantsInput = z.infer<typeof extendTimeBoundGrantsInputSchema>;

export const extendedTimeBoundGrantsSchema = z.object({
  grantRequestId: z.string(),
  previousEnd: z.string(),
  expiresAt: z.string(),
  grantKeys: z.array(z.string()),
  /** Items this run moved (0 on a retry that found its own move). */
  extended: z.int().min(0),
});
export type ExtendedTimeBoundGrants = z.infer<typeof extendedTimeBoundGrantsSchema>;

/** Both steps' results (task-outputs.test.ts checks a path against each). */
export const recordTimeBoundGrantsOutputSchema = z.union([recordedTimeBoundGrantsSchema, extendedTimeBoundGrantsSchema]);

/**
 * What `functions/record-time-bound-grants` does (its Lambda description, read by infra/spec/functions) and the ASL
 * Task states that run it (test/unit/architecture/task-contracts.test.ts checks both against the ASL).
 */
export const TASK = {
  description:
    'Time-bound "Record Time-Bound Grants": expiresAt, grant items, grant.applied; break-glass: security told, review started. "Extend Grants": an approved extension moves the end (conditional), grant.extended.',
  states: ['Record Time-Bound Grants', 'Extend Grants'],
} as const;
